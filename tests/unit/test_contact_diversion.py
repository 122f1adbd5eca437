"""Contact diversion (引流): contacts that move users off the platform are found with their kind, span and
normalized value, through their usual disguises; ordinary numbers, dates, prices and English are left alone;
a paid offer beside one grounds it in PA2020-18(7); the work stays linear on hostile posts."""

from __future__ import annotations

import pytest

from chalicelib.names import contact
from chalicelib.names.check import check
from chalicelib.names.index import NameIndex
from tests.work import python_steps


@pytest.mark.parametrize(("text", "kind", "value", "written"), [
    ("加我微信 abc_12345 详聊", "WECHAT", "abc_12345", "微信 abc_12345"),
    ("薇信：zhangsan888", "WECHAT", "zhangsan888", "薇信：zhangsan888"),
    ("威信 lily_2024", "WECHAT", "lily_2024", "威信 lily_2024"),
    ("V信 wx123456", "WECHAT", "wx123456", "V信 wx123456"),
    ("+V: lily2024", "WECHAT", "lily2024", "+V: lily2024"),
    ("ｗｘ：ａｂｃ１２３４５", "WECHAT", "abc12345", "ｗｘ：ａｂｃ１２３４５"),
    ("vx同号13812345678", "WECHAT", "138****5678", "vx同号13812345678"),
    ("扣扣 12345678", "QQ", "12345678", "扣扣 12345678"),
    ("企鹅号：九八七六五四三二", "QQ", "98765432", "企鹅号：九八七六五四三二"),
    ("QQ①②③④⑤⑥⑦", "QQ", "1234567", "QQ①②③④⑤⑥⑦"),
    ("Q群 123456789", "QQ_GROUP", "123456789", "Q群 123456789"),
    ("手机 138-1234-5678", "PHONE", "138****5678", "138-1234-5678"),
    ("电话①③⑧①②③④⑤⑥⑦⑧", "PHONE", "138****5678", "①③⑧①②③④⑤⑥⑦⑧"),
    ("一三八一二三四五六七八", "PHONE", "138****5678", "一三八一二三四五六七八"),
    ("幺三八 壹贰叁肆 伍陆柒捌", "PHONE", "138****5678", "幺三八 壹贰叁肆 伍陆柒捌"),
    ("138✨1234✨5678", "PHONE", "138****5678", "138✨1234✨5678"),
    ("1\u200b3\u200b8\u200b1234\u200b5678", "PHONE", "138****5678", "1\u200b3\u200b8\u200b1234\u200b5678"),
    ("+86 161 0123 4567", "PHONE", "161****4567", "+86 161 0123 4567"),
    ("访问 example点com", "URL", "example.com", "example点com"),
    ("https://www.abc.cn/x", "URL", "abc.cn", "https://www.abc.cn"),
    ("abc dot com", "URL", "abc.com", "abc dot com"),
    ("邮箱 test@qq.com", "EMAIL", "test@qq.com", "test@qq.com"),
    ("12345678@qq.com", "QQ", "12345678", "12345678@qq.com"),
    ("抖音号：dy_2024abc", "HANDLE", "DOUYIN:dy_2024abc", "抖音号：dy_2024abc"),
    ("tg: @freeman", "HANDLE", "TELEGRAM:freeman", "tg: @freeman"),
])
def test_each_kind_and_disguise_is_found_with_its_span_and_value(text, kind, value, written):
    # GIVEN a name or post that gives a contact in one of its usual disguises
    # WHEN contacts are looked for
    (found,) = contact.find(text)
    # THEN its kind, normalized value (phones masked) and exact span in the original text are given
    assert (found.kind, found.value, text[found.span[0]:found.span[1]]) == (kind, value, written)
    assert found.ground == contact.PLATFORM_RULES


@pytest.mark.parametrize("text", [
    "I have 13 apples and 8 oranges", "Meeting at 10.30 tomorrow", "The line between us is thin", "e.g. node.js is fun",
    "价格 138元 不含运费", "订单号 20261120080012", "今天一起去吃饭了。com", "see you at work.", "微信支付很方便",
    "1380013800", "Call 12345678901", "2026-11-20 08:00:12", "一个一个地来，三三两两", "第十一届全国人大",
    "tg is a tag", "我的QQ音乐歌单", "邮编 100086", "身高 180cm 体重 75kg", "version 2.0.1 released",
])
def test_ordinary_text_holds_no_contact(text):
    # GIVEN ordinary Chinese and English with numbers, dates, prices and dots WHEN looked through THEN none
    assert contact.find(text) == []


@pytest.mark.parametrize(("text", "kind", "written"), [
    ("加V详聊", "WECHAT", "加V详聊"), ("加我薇信", "WECHAT", "加我薇信"), ("私聊加扣扣", "QQ", "加扣扣"),
    ("+V了解", "WECHAT", "+V了解"), ("vx私我", "WECHAT", "vx私我"), ("wx聊", "WECHAT", "wx聊"),
    ("加企鹅", "QQ", "加企鹅"),
    ("想进群的加Q群", "QQ_GROUP", "加Q群"), ("➕V 有惊喜", "WECHAT", "➕V"), ("添加微信了解", "WECHAT", "加微信了解"),
    ("加一下vx", "WECHAT", "加一下vx"), ("ＶＸ私我", "WECHAT", "ＶＸ私我"), ("加微详聊", "WECHAT", "加微详聊"),
    ("扣扣 联系", "QQ", "扣扣 联系"), ("v私聊", "WECHAT", "v私聊"), ("宝子们加个V！", "WECHAT", "加个V"),
])
def test_a_cue_without_a_value_is_a_contact_of_its_kind_with_no_value(text, kind, written):
    # GIVEN a cue to move off the platform with no id after it
    # WHEN contacts are looked for
    (found,) = contact.find(text)
    # THEN the cue is found as a contact of the channel's kind, value None, its span the cue
    assert (found.kind, found.value, text[found.span[0]:found.span[1]]) == (kind, None, written)


@pytest.mark.parametrize("text", [
    "V领毛衣", "今天穿了V领连衣裙", "比个V", "我的vlog第3期", "wxPython教程", "Ctrl+V粘贴", "按Ctrl+C和Ctrl+V",
    "U+V的和", "微信支付很方便", "微信聊天记录", "在微信聊天", "微信联系人", "改了微信备注", "微信领取红包封面",
    "QQ音乐", "QQ空间", "加QQ音乐会员", "加油", "加班", "参加比赛", "参加微信公开课", "更加努力", "更加微妙",
    "增加微量元素", "加微笑表情", "加个鸡蛋", "企鹅宝宝", "南极企鹅", "微博加V认证的博主", "Q版头像", "了解更多", "v5",
])
def test_ordinary_text_with_a_cue_s_words_holds_no_contact(text):
    # GIVEN ordinary text with a cue's letters or words and no invitation WHEN looked through THEN none
    assert contact.find(text) == []


def test_a_cue_next_to_its_id_is_the_contact_with_its_value_only():
    # GIVEN a cue followed by its id WHEN found THEN one contact, with the value (the cue gives way)
    assert [(c.kind, c.value) for c in contact.find("加我微信 abc_12345")] == [("WECHAT", "abc_12345")]
    found = contact.find("加V详聊 ... 加企鹅 12345678")
    assert [(c.kind, c.value) for c in found] == [("WECHAT", None), ("QQ", "12345678")]


def test_a_contact_beside_an_offer_of_money_is_paid_diversion():
    # GIVEN a QQ group with an entry fee WHEN found THEN its ground is PA2020-18(7)
    (found,) = contact.find("Q群 123456789 进群费20元")
    assert found.ground == contact.PAID_DIVERSION


def test_the_name_check_reviews_a_contact_by_default_and_rejects_when_the_policy_says_so():
    # GIVEN an index with no lexicon entry for any contact
    index = NameIndex.build([], "empty")
    # WHEN a nickname carries a WeChat id, with the default action and with REJECT
    reviewed = check(index, "小王 薇信 wang_2024", "nickname", None, contact_action="REVIEW")
    rejected = check(index, "小王 薇信 wang_2024", "nickname", None, contact_action="REJECT")
    # THEN one CONTACT_DIVERSION hit on the contact channel, with the kind, value and ground
    (hit,) = reviewed.hits
    assert (reviewed.decision, rejected.decision) == ("REVIEW", "REJECT")
    assert hit.as_dict()["contact"] == {"kind": "WECHAT", "value": "wang_2024", "ground": "PLATFORM_RULES"}
    assert (hit.code, hit.channel, hit.article) == ("CONTACT_DIVERSION", "contact", "PLATFORM_RULES")


@pytest.mark.parametrize("unit", ["1", "1 ", "a.", "a.com.", "微信", "qq1", "a@", "点com", "抖音号：", "+v ", "群1",
                                  "加V详聊", "vx私我", "加", "加我", "v", "加企鹅 ", "加Q群", "微信聊"])
def test_the_work_on_a_hostile_post_grows_at_most_linearly(unit):
    # GIVEN posts of one cue or fragment repeated, of n and of 4n characters (searched once first: tables warm)
    small, large = ((unit * (size // len(unit) + 1))[:size] for size in (2_500, 10_000))
    for text in (small, large):
        contact.find(text)
    # WHEN contacts are looked for in each under a line counter
    steps = [python_steps(lambda text=text: contact.find(text)) for text in (small, large)]
    # THEN four times the text costs at most about four times the lines (a pairwise search: sixteen)
    assert steps[1] <= 4.5 * steps[0] + 200, (unit, steps)
