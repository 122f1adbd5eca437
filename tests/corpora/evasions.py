"""Evasion cases per class, each (text, what must be found): generated from the built-in lexicon and the
terms of tests/corpora with fixed seeds."""

from __future__ import annotations

import random
from collections.abc import Iterator

from tests.corpora import LATIN_TERMS, NUMBER_TERMS, REPEAT_TERMS, SHORT_TERMS

DIGIT_FORMS = {
    "ascii": "0123456789", "full-width": "０１２３４５６７８９", "chinese": "〇一二三四五六七八九",
    "financial": "零壹贰叁肆伍陆柒捌玖", "circled": "⓪①②③④⑤⑥⑦⑧⑨", "parenthesized": "0⑴⑵⑶⑷⑸⑹⑺⑻⑼",
    "full stop": "0⒈⒉⒊⒋⒌⒍⒎⒏⒐", "dingbat negative": "⓿❶❷❸❹❺❻❼❽❾", "dingbat sans": "0➀➁➂➃➄➅➆➇➈",
    "superscript": "⁰¹²³⁴⁵⁶⁷⁸⁹",
}
_DIGIT_OF = {c: n for forms in DIGIT_FORMS.values() for n, c in enumerate(forms)} | {"两": 2}
SEPARATORS = (" ", "·", "_", "-", "*", ".", "/", "~", "✨", "\u200b", "😀")
ZH_AROUND = ("今天看到有人说", "朋友发来", "群里都在传", "这个", "我想要", "")
EN_AROUND = ("look at this ", "someone said ", "the ", "my friend sent ", "")


def _in_forms(text: str, rng: random.Random) -> Iterator[str]:
    """`text` with its number characters written in every form, and in a mix of them."""
    for forms in DIGIT_FORMS.values():
        yield "".join(forms[_DIGIT_OF[c]] if c in _DIGIT_OF else c for c in text)
    yield "".join(rng.choice(list(DIGIT_FORMS.values()))[_DIGIT_OF[c]] if c in _DIGIT_OF else c for c in text)


def latin_words(rng: random.Random) -> list[tuple[str, str]]:
    cases = []
    for term in LATIN_TERMS:
        cases += [(f"{rng.choice(EN_AROUND)}{term} {rng.choice(('now', 'here', 'video', 'pics'))}", term),
                  (f"{rng.choice(ZH_AROUND)}{term}视频", term), (f"{term.upper()}!!", term),
                  (rng.choice(SEPARATORS[:8]).join(term), term),
                  ("".join(chr(ord(c) + 0xFEE0) if c != " " else c for c in term), term)]
    return cases


def number_forms(rng: random.Random) -> list[tuple[str, str]]:
    """Each number term in every other number form; a term made only of Chinese numerals (六四) is not
    expected in plain ASCII digits (64 is an ordinary number: a tenant adds 64 itself if it wants it)."""
    def expected(term: str, written: str) -> bool:
        return written != term and not (all(c in _DIGIT_OF for c in term) and written.isascii()
                                        and not any(c.isascii() for c in term))

    return [(f"{rng.choice(ZH_AROUND)}{written}", term) for term in NUMBER_TERMS for written in _in_forms(term, rng)
            if expected(term, written)]


def short_entries(rng: random.Random) -> list[tuple[str, str]]:
    cases = [(f"{rng.choice(ZH_AROUND)}{term}{rng.choice(('场', '品', '支', '', '了'))}", term) for term in SHORT_TERMS
             for _ in range(5)]
    cases += [(f"{rng.choice(ZH_AROUND)}{term}{rng.choice(('', '！', '呀'))}", term) for term in REPEAT_TERMS
              for _ in range(5)]
    return cases


def typed_pinyin(names: list[str], rng: random.Random) -> list[tuple[str, str]]:
    """Every protected name of two to eight Han characters typed in pinyin: run together, spaced, with capitals,
    with tone marks."""
    from pypinyin import Style, lazy_pinyin

    cases = []
    for name in names:
        if not 2 <= len(name) <= 8 or not all("\u4e00" <= c <= "\u9fff" for c in name):
            continue
        plain, toned = lazy_pinyin(name), lazy_pinyin(name, style=Style.TONE)
        cases += [("".join(plain), name), (" ".join(plain), name), ("".join(s.title() for s in plain), name),
                  (rng.choice(("", " ")).join(toned), name)]
    return cases


def surname_readings(rng: random.Random) -> list[tuple[str, str, str]]:
    """(typed text, person's name, surname) for public figures whose surname reads otherwise than usual."""
    from pypinyin import lazy_pinyin

    from chalicelib.names import tables

    cases = []
    for surname, reading in sorted(tables.surnames().items()):
        name = surname + "".join(rng.choice("伟芳明华建国志强") for _ in range(2))
        cases.append((reading + "".join(lazy_pinyin(name[len(surname):])), name, surname))
    return cases


def traditional_phrases(rng: random.Random) -> list[tuple[str, str]]:
    """Terms whose traditional spelling needs a phrase conversion (反覆 → 反复), written traditionally."""
    from chalicelib.names import tables
    from chalicelib.names.normalize import key_of

    phrases = sorted((t, s) for t, s in tables.t2s_phrases().items() if len(t) >= 2 and t != s and key_of(s) == s)
    return [(f"{rng.choice(ZH_AROUND)}{trad}", simple) for trad, simple in rng.sample(phrases, 120)]


def _digits_in(number: str, rng: random.Random) -> str:
    form = rng.choice(list(DIGIT_FORMS.values()))
    gap = rng.choice(("", "", " ", "-", "✨", "\u200b", "."))
    return gap.join(form[int(c)] for c in number)


def contacts(rng: random.Random) -> list[tuple[str, str]]:
    """(text, kind) per kind of contact, each in its usual disguises."""
    from chalicelib.names import tables

    prefixes = sorted(tables.mobile_segments())
    cases = []
    for _ in range(60):
        phone = rng.choice(prefixes) + "".join(rng.choice("0123456789") for _ in range(7))
        user = f"{rng.choice(('lily', 'wang', 'kk', 'abc', 'mei'))}{rng.choice(('_', '', '-'))}"
        user += str(rng.randint(100, 99999))
        qq = str(rng.randint(10000, 9999999999))
        cases += [
            (f"有需要{rng.choice(('打', '联系', 'call'))}{_digits_in(phone, rng)}", "PHONE"),
            (f"{rng.choice(('加我', '+', '加'))}{rng.choice(('微信', '薇信', '威信', 'V信', 'vx', 'wx', 'V'))}"
             f"{rng.choice(('：', ' ', ':'))}{user}", "WECHAT"),
            (f"{rng.choice(('微信', '薇信', '威信', 'V信', '徽信'))}{user}", "WECHAT"),
            (f"{rng.choice(('QQ', '扣扣', '企鹅', 'qq号'))}{rng.choice(('', '：', ' '))}{_digits_in(qq, rng)}", "QQ"),
            (f"{rng.choice(('Q群', 'QQ群', '群号'))}{rng.choice(('', '：', ' '))}{_digits_in(qq, rng)}", "QQ_GROUP"),
            (f"看{user.replace('_', '').replace('-', '')}{rng.choice(('.', '点', ' dot ', '。'))}"
             f"{rng.choice(('com', 'cn', 'net', 'top', 'vip'))}", "URL"),
            (f"邮箱 {user}@{rng.choice(('gmail.com', '163.com', 'outlook.com'))}", "EMAIL"),
            (f"{rng.choice(('抖音号', '小红书号', 'tg:', '快手号'))}{rng.choice(('', '：', ' '))}{user}", "HANDLE"),
        ]
    return cases


CUE_ADDS = ("加", "加我", "加个", "加一下", "加下", "添加", "私聊加", "快加", "可以加", "+", "＋", "➕")
CUE_CHANNELS = {"WECHAT": ("V", "v", "Ｖ", "微信", "薇信", "威信", "V信", "vx", "VX", "ｖｘ", "wx", "WX", "微", "薇"),
                "QQ": ("扣扣", "企鹅", "QQ", "qq", "Q", "球球", "抠抠"),
                "QQ_GROUP": ("Q群", "QQ群", "扣扣群", "企鹅群")}
CUE_ASKED = ("微信", "薇信", "威信", "V信", "vx", "VX", "wx", "扣扣", "企鹅", "QQ")
CUE_INVITES = ("详聊", "了解", "咨询", "私我", "聊", "私聊", "联系", "找我", "滴滴")
CUE_TAILS = ("", "！", "～", " 有惊喜", "😀", "，先到先得", "领取资料", "备注来意", "。")
CUE_BEFORE = ("想要资料的", "有兴趣的", "价格美丽，", "今天上新，", "需要的朋友", "宝子们", "", "")


def contact_cues(rng: random.Random) -> list[tuple[str, str]]:
    """(text, kind) of a cue to move off the platform with no id after it: a channel added (加V, 私聊加扣扣,
    +V, 加企鹅, 加Q群) with or without an invitation after, or a channel and an invitation (vx私我, wx聊)."""
    cases = []
    for kind, channels in CUE_CHANNELS.items():
        for channel in channels:
            for _ in range(8):
                tail = rng.choice(CUE_INVITES + CUE_TAILS) if channel not in ("微", "薇") else rng.choice(
                    CUE_INVITES + ("", "！", " 有惊喜"))
                cases.append((f"{rng.choice(CUE_BEFORE)}{rng.choice(CUE_ADDS)}{channel}{tail}", kind))
    for channel in CUE_ASKED:
        for _ in range(8):
            kind = "QQ" if channel in ("扣扣", "企鹅", "QQ") else "WECHAT"
            cases.append((f"{rng.choice(CUE_BEFORE)}{channel}{rng.choice(('', ' '))}{rng.choice(CUE_INVITES)}"
                          f"{rng.choice(CUE_TAILS)}", kind))
    return cases
