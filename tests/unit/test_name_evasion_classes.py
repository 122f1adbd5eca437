"""The classes outside test sets found in the name and post checks (PA2020-8, PA2020-18, BJ2011-10, PA2017-13),
each written the way a careless platform or an evader would meet it: Latin terms inside ordinary words,
number forms, entries the normalizer used to erase, typed and tone-marked pinyin, surname readings,
traditional phrases, and owners of a name a built-in entry also has."""

from __future__ import annotations

from functools import lru_cache

import pytest

from chalicelib.names import entries
from chalicelib.names.check import check
from chalicelib.names.index import NameIndex
from chalicelib.names.post import LONG_TEXT, check_text

PADDING = "。" * (LONG_TEXT + 1)  # past LONG_TEXT a post takes the array path: both paths must agree


@lru_cache(maxsize=1)
def _index() -> NameIndex:
    extra = [entries.term("t-av", "av", "OBSCENITY_GAMBLING_VIOLENCE", "REJECT"),
             entries.term("t-sex", "sex", "OBSCENITY_GAMBLING_VIOLENCE", "REJECT"),
             entries.term("t-nc", "national congress", "OTHER_PROHIBITED", "REVIEW"),
             entries.term("t-64", "六四", "OTHER_PROHIBITED", "REJECT"),
             entries.term("t-8964", "8964", "OTHER_PROHIBITED", "REJECT"),
             entries.term("t-xi", "习", "OTHER_PROHIBITED", "REVIEW"),
             entries.term("t-hh", "哈哈", "OTHER_PROHIBITED", "REVIEW"),
             entries.term("t-88", "8899", "OTHER_PROHIBITED", "REVIEW"),
             entries.term("t-fu", "反复无常", "OTHER_PROHIBITED", "REVIEW"),
             entries.term("t-cas", "cas", "OTHER_PROHIBITED", "REVIEW", substring=True),
             *entries.protected("p-shan", "单雄信", "PUBLIC_FIGURE", [], []),
             *entries.protected("p-own", "人民日报", "MEDIA", [], ["sub_owner"])]
    return NameIndex.build(entries.builtin() + extra, "classes")


def _post_terms(text: str) -> set[str]:
    short, long = check_text(_index(), text), check_text(_index(), text + PADDING)
    assert {h.term for h in short.hits} == {h.term for h in long.hits}, text
    return {h.term for h in short.hits}


@pytest.mark.parametrize("text", ["I have a cat", "Middlesex and Essex", "the International Congress Centre",
                                  "Sussex", "avocado toast", "gravy", "in 1964 and 19643"])
def test_latin_and_digit_terms_are_not_found_inside_ordinary_words(text):
    # GIVEN the terms av, sex, national congress, 8964 and 六四 (a word-matched lexicon)
    # WHEN ordinary English holding them inside longer words is checked, as a name and as a post
    # THEN nothing is found
    assert check(_index(), text, "description", None).decision == "PASS", text
    assert _post_terms(text) == set()


@pytest.mark.parametrize(("text", "term"), [("watch av now", "av"), ("买AV片", "av"), ("free sex", "sex"),
                                            ("the National Congress met", "national congress"),
                                            ("s.e.x", "sex"), ("ѕех", "sex"), ("look: 8964!", "8964")])
def test_latin_terms_are_still_found_as_words(text, term):
    # GIVEN the same lexicon WHEN the term stands as a word (beside CJK, over separators, in look-alikes)
    # THEN it is found, on the names and the posts path
    assert term in {h.term for h in check(_index(), text, "description", None).hits}
    assert term in _post_terms(text)


def test_a_term_that_asked_for_substrings_is_found_inside_words():
    # GIVEN a term added with match=substring WHEN it sits inside a word THEN it is found
    assert "cas" in {h.term for h in check(_index(), "casino", "description", None).hits}
    assert "cas" in _post_terms("casino night")


@pytest.mark.parametrize(("text", "term"), [
    ("6四", "六四"), ("⑥④", "六四"), ("❻❹", "六四"), ("陆肆", "六四"), ("⒍⒋", "六四"), ("⑹⑷", "六四"), ("６４", "六四"),
    ("➅➃", "六四"), ("八九六四", "8964"), ("捌玖陆肆", "8964"), ("8九6四", "8964"), ("⑧⑨⑥④", "8964"),
    ("８９６４", "8964"), ("⁸⁹⁶⁴", "8964"),
])
def test_number_forms_meet_in_the_numeric_channel(text, term):
    # GIVEN terms written in Chinese numerals (六四) and in digits (8964)
    # WHEN a text writes them in another number form
    found = check(_index(), text, "nickname", None)
    # THEN the term is found, on the numeric channel when no other found it, with its span the whole text
    (hit,) = [h for h in found.hits if h.term == term]
    assert hit.span == (0, len(text)) and hit.channel in ("numeric", "normalized", "exact")
    assert term in _post_terms(text)


def test_a_number_inside_a_longer_number_is_not_a_number_term():
    # GIVEN 六四 and 8964 WHEN a year or a date holds their digits THEN nothing is found
    for text in ("1964年", "一九六四年", "电话 189643", "1989年6月4日"):
        assert check(_index(), text, "description", None).decision == "PASS", text
        assert _post_terms(text) == set()


def test_single_character_and_repeated_character_entries_are_found_as_written():
    # GIVEN 习, 哈哈 and 8899 WHEN texts hold them THEN each is found, and a shorter run is not its repeat
    assert {h.term for h in check(_index(), "学习", "nickname", None).hits} == {"习"}
    assert {h.term for h in check(_index(), "哈哈哈", "nickname", None).hits} == {"哈哈"}
    assert check(_index(), "哈", "nickname", None).decision == "PASS"
    assert {h.term for h in check(_index(), "号码8899", "nickname", None).hits} == {"8899"}
    assert check(_index(), "号码89", "nickname", None).decision == "PASS"
    assert _post_terms("哈哈哈 学习") == {"哈哈", "习"}


@pytest.mark.parametrize("text", [
    "zhongguogongchandangzhongyangweiyuanhui", "zhong guo gong chan dang zhong yang wei yuan hui",
    "ZhongGuo GongChanDang ZhongYang WeiYuanHui", "zhōngguó gòngchǎndǎng zhōngyāng wěiyuánhuì", "guówùyuàn",
    "guo wu yuan"])
def test_protected_names_typed_in_pinyin_are_found(text):
    # GIVEN the built-in protected names (中国共产党中央委员会 has a doubled g at a syllable boundary)
    # WHEN a name types one in pinyin, spaced or not, with capitals or tone marks
    found = check(_index(), text, "account_name", None)
    # THEN it is found on the pinyin channel, for review
    assert found.decision == "REVIEW" and {h.channel for h in found.hits} == {"pinyin"}, found.hits


def test_person_names_are_found_by_their_surname_reading():
    # GIVEN a public figure whose surname 单 reads shan (its common reading is dan)
    # WHEN the name is typed with the surname reading, or the common one
    # THEN both find it
    for typed in ("shanxiongxin", "shan xiong xin", "danxiongxin"):
        assert {h.term for h in check(_index(), typed, "nickname", None).hits} == {"单雄信"}, typed


def test_traditional_phrases_whose_characters_map_to_several_simplified_ones_are_found_with_exact_spans():
    # GIVEN the term 反复无常; 覆 alone stays 覆 (覆盖), in 反覆 it is 复
    text = "他這人反覆無常"
    # WHEN the traditional phrase is written THEN the term is found over exactly those characters
    (hit,) = check(_index(), text, "description", None).hits
    assert (hit.term, text[hit.span[0]:hit.span[1]]) == ("反复无常", "反覆無常")
    assert _post_terms(text) == {"反复无常"}
    assert check(_index(), "覆盖范围", "description", None).decision == "PASS"


def test_the_owner_of_a_tenant_entry_may_use_a_name_a_built_in_entry_also_has():
    # GIVEN the tenant's 人民日报 owned by sub_owner, and the built-in 人民日报社 (alias 人民日报, no owners)
    # WHEN the owner and another subject register the name
    # THEN the owner passes, the other is rejected
    assert check(_index(), "人民日报", "account_name", "sub_owner").decision == "PASS"
    assert check(_index(), "人民日报", "account_name", "sub_other").decision == "REJECT"
