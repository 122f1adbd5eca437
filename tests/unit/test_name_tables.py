"""The shipped character tables are exactly what their generators produce (no drift, no hand edits)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

from infra import name_tables


@pytest.mark.parametrize("name", sorted(name_tables.TABLES))
def test_shipped_table_matches_its_generator(name):
    shipped = json.loads((name_tables.DATA / name).read_text("utf-8"))
    assert shipped == name_tables.TABLES[name]()


def test_tables_cover_what_the_checks_rely_on():
    t2s = json.loads((name_tables.DATA / "t2s.json").read_text("utf-8"))
    confusables = json.loads((name_tables.DATA / "confusables.json").read_text("utf-8"))
    pinyin = json.loads((name_tables.DATA / "pinyin.json").read_text("utf-8"))
    assert t2s["國"] == "国" and t2s["報"] == "报"
    assert confusables["с"] == "c" and confusables["ο"] == "o"
    assert (pinyin["报"], pinyin["宝"]) == ("bao", "bao")


SAMPLE = list("法轮功發財ＡＢab12 ，。！·\u200b①乾隆") + [chr(0x4e00 + n) for n in range(50)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(SAMPLE), min_size=0, max_size=400))
def test_the_long_text_path_normalizes_exactly_like_the_per_character_one(text):
    from chalicelib.names.index import pinyin_long, pinyin_of
    from chalicelib.names.normalize import normalize
    from chalicelib.names.normalize_long import normalize_long

    short, long = normalize(text), normalize_long(text)
    assert (long.key, tuple(int(i) for i in long.origin), long.steps) == (short.key, short.origin, short.steps)
    spelled, origin = pinyin_long(short.key)
    assert (spelled, tuple(int(i) for i in origin)) == pinyin_of(short.key)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["法轮功", "代开发票", "普通", "天气", "发票", "ab", "轮功"]), max_size=30),
       st.text(alphabet=st.sampled_from([chr(0x4e00 + n) for n in range(30)] + list("abc")), max_size=200))
def test_the_long_text_matcher_finds_what_the_automaton_finds(words, filler):
    from chalicelib.names.index import TERM, NameIndex, make_entry
    from chalicelib.names.normalize import key_of

    index = NameIndex.build([make_entry(f"t{n}", TERM, w, w, "OTHER_PROHIBITED", "REVIEW")
                             for n, w in enumerate(["法轮功", "代开发票", "发票", "轮功"])], "t")
    key = key_of(filler + "".join(words) + filler)
    as_set = lambda found: {(s, e, x.entry_id) for s, e, x in found}  # noqa: E731
    assert as_set(index.exact_long(key)) == as_set(index.exact(key))
