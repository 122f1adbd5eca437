"""The shipped character tables are exactly what their generators produce (no drift, no hand edits)."""

from __future__ import annotations

import json

import pytest

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
