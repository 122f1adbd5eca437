"""OpenCC's traditional phrases are searched grouped by first character (names/phrases.py `_pattern`):
a post's phrases replaced as one alternative per phrase, longest first, replaces them (prohibited content
written in traditional forms, BJ2011-10)."""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from chalicelib.names import tables
from chalicelib.names.phrases import phrased, phrased_long


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["反覆", "乾燥", "乾", "覆", "燥", "反", "今天", "天氣", "年", "1", " ", "a"]
                                + sorted(tables.t2s_phrases())[:60]), max_size=30).map("".join))
def test_a_post_s_traditional_phrases_are_replaced_as_one_alternative_per_phrase_replaces_them(text):
    # the phrases grouped by first character (phrases.py `_pattern`): the same replacements
    phrases = tables.t2s_phrases()
    plain = re.compile("|".join(map(re.escape, sorted(phrases, key=lambda p: (-len(p), p)))))
    expected = plain.sub(lambda m: phrases[m.group(0)], text)
    assert phrased(text) == (expected, plain.search(text) is not None)
    assert phrased_long(text) == phrased(text)
