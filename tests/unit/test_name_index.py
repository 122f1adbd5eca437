"""The name index and normalizer: near copies exactly as a scan of every window finds them; normalizing
and checking never raise, normalizing twice changes nothing, spans index the text."""

from __future__ import annotations

from functools import lru_cache

from hypothesis import given, settings, strategies as st

from chalicelib.names import entries
from chalicelib.names.index import SUBSTITUTION_MIN_LENGTH, NameIndex, within_one_edit

# A small alphabet makes shared halves, repeats and near copies common.
ALPHABET = "中国人民日报银行"
keys = st.text(ALPHABET, min_size=3, max_size=8)


def _by_every_window(names: list[str], text: str) -> set[tuple[int, int, str]]:
    found = set()
    for name in names:
        n = len(name)
        for m in ((n + 1,) if n < SUBSTITUTION_MIN_LENGTH else (n - 1, n, n + 1)):
            for start in range(len(text) - m + 1):
                piece = text[start:start + m]
                if piece != name and within_one_edit(piece, name):
                    found.add((start, start + m, name))
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(keys, min_size=1, max_size=12, unique=True), st.text(ALPHABET + "甲乙", max_size=80))
def test_near_copies_equal_a_scan_of_every_window(names: list[str], text: str) -> None:
    lexicon = [e for number, name in enumerate(names) for e in entries.protected(f"p{number}", name, "MEDIA", [], [])]
    index = NameIndex.build(lexicon, "t")
    # normalizing collapses repeats, so a key may be shorter than its name; near copies start at three
    stored = [key for key in (index.entry(n).key for n in range(len(index.rows))) if len(key) >= 3]
    found = {(start, end, entry.key) for start, end, entry in index.near_copies(text)}
    assert found == _by_every_window(stored, text)


def test_each_kind_of_edit() -> None:
    index = NameIndex.build(entries.protected("p1", "人民日报社", "MEDIA", [], []), "t")
    assert [(s, e) for s, e, _ in index.near_copies("看人民日刊社")] == [(1, 6)]
    assert [(s, e) for s, e, _ in index.near_copies("人名日报社了")] == [(0, 5)]
    assert [(s, e) for s, e, _ in index.near_copies("人民日报")] == [(0, 4)]          # one dropped
    assert {(s, e) for s, e, _ in index.near_copies("人民甲日报社")} == {(0, 6)}      # one inserted
    # equal is an exact hit, not a copy (its four-character parts are; the check drops them under the exact hit)
    assert {(s, e) for s, e, _ in index.near_copies("人民日报社")} == {(0, 4), (1, 5)}


def test_three_character_keys_match_an_insertion_only() -> None:
    index = NameIndex.build(entries.protected("p1", "新华社", "MEDIA", [], []), "t")
    assert [(s, e) for s, e, _ in index.near_copies("新华甲社")] == [(0, 4)]
    assert list(index.near_copies("新华报")) == []
    assert list(index.near_copies("新社")) == []


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40))
def test_normalization_never_raises_and_is_idempotent(text: str) -> None:
    from chalicelib.names.normalize import key_of, normalize

    norm = normalize(text)
    assert key_of(norm.key) == norm.key
    assert len(norm.origin) == len(norm.key) and all(0 <= i < len(text) for i in norm.origin)


@lru_cache(maxsize=1)
def _builtin() -> NameIndex:
    return NameIndex.build(entries.builtin(), "builtin")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_a_check_never_raises_and_its_spans_index_the_text(text: str) -> None:
    from chalicelib.names.check import check

    found = check(_builtin(), text, "description", None)
    assert found.decision in ("PASS", "REVIEW", "REJECT")
    assert all(0 <= h.span[0] < h.span[1] <= len(text) for h in found.hits)
