"""Masking and log redaction of identity and phone numbers (MB2018-7, RL2020-24); redaction of any
line holding a number never raises, is idempotent and leaves the number nowhere."""

from __future__ import annotations

import random

from hypothesis import given, settings, strategies as st

from chalicelib.core import pii
from tests import factories


def test_masks_keep_only_the_ends_within_a_third():
    assert pii.mask_document("110101199003070078", "RESIDENT_ID") == "11************0078"
    assert pii.mask_mobile("13800138000") == "********000"
    assert pii.mask_document("ab", "MOBILE") == "**"


def test_redact_masks_every_identity_shape_inside_free_text():
    line = ('{"msg":"verify 11010119900307007X for +86 13800138000, '
            'org 91350100M000100Y43, old 110101900307007"}')
    redacted = pii.redact(line)
    assert "11010119900307007X" not in redacted
    assert "13800138000" not in redacted
    assert "91350100M000100Y43" not in redacted
    assert "110101900307007" not in redacted
    assert "11************007X" in redacted
    assert "+86 ********000" in redacted
    assert "91************0Y43" in redacted
    assert "1**********7007" in redacted  # legacy 15 digits: 5 of 15


def test_redact_leaves_ordinary_numbers_alone():
    line = '{"epoch_ms":1795613651959,"latency":87.964,"request_id":"26ceb867-1910-4d91","sha":"' + "a" * 64 + '"}'
    assert pii.redact(line) == line


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789Xx+- ,:\"{}abcMN甲"), max_size=80), st.data())
def test_redaction_never_raises_is_idempotent_and_leaves_no_identity_number(text, data):
    number = data.draw(st.sampled_from([factories.resident_id(random.Random(n)) for n in range(5)]
                                       + [factories.mobile(random.Random(n)) for n in range(5)]))
    at = data.draw(st.integers(0, len(text)))
    line = f"{text[:at]} {number} {text[at:]}"
    redacted = pii.redact(line)
    assert pii.redact(redacted) == redacted
    assert number not in redacted
    assert len(redacted) == len(line)  # masking replaces digits, never moves the rest of the line
