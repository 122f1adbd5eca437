"""A short text's marks (names/short_tables.py): the steps its characters trigger, whether one keeps a number form
other than its digit, whether one begins a traditional phrase. The numeric channel's translation and the
phrase search are made only where a mark says they can change something; the keys stay those of the
per-character loop (tests/unit/test_short_text_tables.py)."""

from __future__ import annotations

import pytest

from chalicelib.names import normalize as normalize_module, tables
from chalicelib.names.normalize import normalize
from chalicelib.names.phrases import screen as phrase_screen


class _Refused(dict):
    def __missing__(self, code: int) -> str:
        raise AssertionError(f"{chr(code)!r} read through the numeric table")


def test_a_text_keeping_no_number_form_is_its_own_numeric_key(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN the numeric table refused
    monkeypatch.setattr(normalize_module, "NUMERALS", _Refused())
    # WHEN texts with ASCII digits, letters and Han characters but no other number form are normalized
    found = normalize("今天2024年ＡＢ好好的 walking！！")
    # THEN their numeric key is the raw key, the table never read
    assert found.numeric == found.raw == "今天2024年ab好好的walking"
    # AND a Chinese numeral still goes through it
    with pytest.raises(AssertionError):
        normalize("六四")


def test_a_text_beginning_no_traditional_phrase_is_not_searched_for_one(monkeypatch: pytest.MonkeyPatch) -> None:
    searched = []

    def phrased(text: str) -> tuple[str, bool]:
        searched.append(text)
        return text, False

    # GIVEN the phrase search counted
    monkeypatch.setattr(normalize_module, "phrased", phrased)
    # WHEN a text without any phrase's first character, then one with 反覆 (反 begins it), are normalized
    normalize("今天天气很好")
    normalize("他反覆说")
    # THEN only the second was searched
    assert searched == ["他反覆说"]


def test_every_traditional_phrase_begins_where_the_screen_looks() -> None:
    screen = phrase_screen()
    assert screen is not None
    phrases = tables.t2s_phrases()
    assert all(screen.match(phrase) for phrase in phrases)
    assert normalize("他反覆说").key == "他反复说" and "traditional" in normalize("他反覆说").steps
    assert screen.search("今天天气很好") is None
