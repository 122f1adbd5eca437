"""PA2017-9, RL2020-24: every attribute a verification writes on a subject is either erased with the
subject's last account or kept on purpose, so a new one cannot slip past erasure unnoticed."""

from __future__ import annotations

from chalicelib.identity import store


def test_every_subject_attribute_is_erased_or_kept_on_purpose():
    # GIVEN what a verification writes on the subject item WHEN it is split by the erasure rule
    erased, kept = set(store.ERASED_FIELDS), set(store.KEPT_FIELDS)
    # THEN each attribute is in exactly one of the two
    assert erased | kept == set(store._SUBJECT_FIELDS) and not erased & kept


def test_erasure_removes_the_sealed_identity_its_key_and_the_mobile_blind_index():
    # GIVEN the erasure step of a cancellation
    update = store.erasure("acme", "sub_" + "0" * 40, "2026-01-01T00:00:00Z")["Update"]
    # THEN it removes the ciphertext, the wrapped key that opens it, and the phone's masked form and blind index
    removed = {f.strip() for f in update["UpdateExpression"].split("REMOVE", 1)[1].split(",")}
    assert {"pii", "pii_key", "mobile_masked", "mobile_index"} <= removed
    assert update["values"] == {":now": "2026-01-01T00:00:00Z"}
