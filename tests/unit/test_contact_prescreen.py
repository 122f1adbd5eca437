"""A short post's contacts are looked for only where its tests let them be (names/contact.py `_starts_short`:
a kind only where one of its starts stands, a domain only at a dot a top-level label follows): never a
contact left out that trying every pattern at every position finds (the platform's rules, PA2020-18(7))."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from chalicelib.names import contact
from tests.unit.test_contact_anchored import reference

# cue characters, digits in every number form, dots and "dot", top-level labels, separators and plain words
PARTS = ["加", "微信", "v", "vx", "wx", "+", "qq", "q", "扣扣", "企鹅", "群", "号", ":", "抖音", "id", "私我", "聊",
         "1", "3", "8", "0", "86", "138", "一", "八", "壹", "①", "⑴", "❶", "１", ".", "。", "·", "点", "點", "dot",
         "(dot)", "[dot]", "d", "com", "cn", "me", "abc", "x1", "@", "/", "http://", "-", "~", " ", "今天", "3.3.9"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PARTS), max_size=60).map("".join))
def test_no_contact_is_ruled_out_that_the_full_search_finds(text):
    folded = contact.fold(text)
    assert len(folded) <= contact._SHORT
    assert contact._found(folded) == reference(folded)


def test_a_full_stop_after_a_number_and_the_d_of_a_word_are_not_tried_as_a_domain_s_dot():
    folded = contact.fold("版本3.3.9。今天和朋友去吃了饺子, good food.")
    assert "DOMAIN" not in contact._starts_short(folded)
    assert contact._starts_short(contact.fold("加我 abc点com"))["DOMAIN"] == [6]
