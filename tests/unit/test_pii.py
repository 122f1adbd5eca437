"""Masking and log redaction of identity and phone numbers (MB2018-7, RL2020-24)."""

from __future__ import annotations

from chalicelib.domain import pii


def test_masks_keep_only_the_ends():
    assert pii.mask_document("110101199003070078") == "1101**********0078"
    assert pii.mask_mobile("13800138000") == "138****8000"
    assert pii.mask_middle("ab", 3, 4) == "**"


def test_redact_masks_every_identity_shape_inside_free_text():
    line = ('{"msg":"verify 11010119900307007X for +86 13800138000, '
            'org 91350100M000100Y43, old 110101900307007"}')
    redacted = pii.redact(line)
    assert "11010119900307007X" not in redacted
    assert "13800138000" not in redacted
    assert "91350100M000100Y43" not in redacted
    assert "110101900307007" not in redacted
    assert "1101**********007X" in redacted
    assert "138****8000" in redacted


def test_redact_leaves_ordinary_numbers_alone():
    line = '{"epoch_ms":1795613651959,"latency":87.964,"request_id":"26ceb867-1910-4d91","sha":"' + "a" * 64 + '"}'
    assert pii.redact(line) == line
