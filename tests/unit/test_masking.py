"""Masks never show more than a third of a number (MB2018-7, GR2017-6, PA2017-9, RL2020-24), whatever the
document type and length, and masked forms stored by earlier code are cut to the same bound on read."""

from __future__ import annotations

import random
import string

import pytest
from hypothesis import given, settings, strategies as st

from chalicelib.core import pii
from chalicelib.identity.documents import DocumentType
from tests import factories

KINDS = [*DocumentType, None]  # None: a certificate or contact of no known type
ALPHABET = string.digits + string.ascii_uppercase + "-@."


def visible(original: str, masked: str) -> int:
    return sum(1 for a, b in zip(original, masked, strict=True) if a == b and b != pii.MASK)


def assert_bounded(original: str, masked: str) -> None:
    assert len(masked) == len(original)
    assert all(m in (o, pii.MASK) for o, m in zip(original, masked, strict=True))  # nothing but the number or *
    assert visible(original, masked) <= len(original) // 3


def test_every_document_type_has_a_shape():
    # GIVEN the closed set of document types WHEN a new one is added THEN it needs its mask shape here
    assert set(pii.SHAPES) == {kind.value for kind in DocumentType}


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: getattr(k, "value", "UNTYPED"))
@pytest.mark.parametrize("length", range(1, 41))
def test_a_mask_shows_at_most_a_third_for_every_type_and_length(kind, length):
    # GIVEN a number of any length 1..40 and any type
    number = "".join(random.Random(length).choice(ALPHABET) for _ in range(length))
    # WHEN it is masked as that type THEN at most floor(length / 3) characters show, in place
    assert_bounded(number, pii.mask_document(number, kind))


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(KINDS), st.text(alphabet=ALPHABET, min_size=1, max_size=40), st.data())
def test_a_stored_mask_remasked_keeps_its_stars_and_meets_the_third(kind, number, data):
    # GIVEN a masked form stored by any earlier code: some positions starred, the rest the number
    starred = data.draw(st.sets(st.integers(0, len(number) - 1)))
    stored = "".join(pii.MASK if i in starred else c for i, c in enumerate(number))
    # WHEN it is read back through remask
    shown = pii.remask(stored, kind)
    # THEN every star stays, it shows at most a third, and a fresh mask is left as it is
    assert all(shown[i] == pii.MASK for i in starred)
    assert_bounded(number, shown)
    assert pii.remask(pii.mask_document(number, kind), kind) == pii.mask_document(number, kind)


def test_the_shapes_an_inspector_and_a_holder_see():
    number, uscc, mobile = factories.resident_id(random.Random(1)), factories.uscc(random.Random(1)), "13800138000"
    assert pii.mask_document(number, DocumentType.RESIDENT_ID) == number[:2] + "*" * 12 + number[-4:]
    assert pii.mask_document(uscc, "USCC") == uscc[:2] + "*" * 12 + uscc[-4:]
    assert pii.mask_document("E12345678", "PASSPORT") == "E******78"  # was E123*5678: 8 of 9
    assert pii.mask_document("C12345678", "HK_MACAU_PERMIT") == "C******78"
    assert pii.mask_document("12345678", "TAIWAN_PERMIT") == "******78"
    assert pii.mask_document("110101900307007", "RESIDENT_ID") == "1**********7007"  # legacy 15: 5 of 15
    assert pii.mask_mobile(mobile) == "********000"  # 3 of 11; 138****8000 showed 7
    assert pii.mask_document("ab") == "**" and pii.mask_document("abc") == "**c"


@pytest.mark.parametrize(("stored", "kind", "shown"), [
    ("1101**********0078", "RESIDENT_ID", "11************0078"),
    ("9111**********001X", "USCC", "91************001X"),
    ("E123*5678", "PASSPORT", "E******78"),
    ("138****8000", "MOBILE", "********000"),
    ("139****5678", None, "********678"),  # a reporter's contact: no type is stored with it
    ("a****@example.com", None, "a" + "*" * 12 + ".com"),
    ("1101*******0001", None, "1**********0001"),  # a qualification certificate
])
def test_forms_stored_by_earlier_code_read_as_fresh_masks(stored, kind, shown):
    assert pii.remask(stored, kind) == shown
    assert pii.remask(None, kind) is None


def test_a_reporters_or_accounts_contact_is_masked_to_the_same_bound(monkeypatch):
    from chalicelib.core import crypto
    from chalicelib.reports import intake

    monkeypatch.setattr(crypto, "seal", lambda tenant, owner, data: crypto.Sealed("sealed", "key"))  # no KMS here
    # GIVEN a phone written loosely, an e-mail and a handle WHEN each is sealed THEN its mask meets the third
    for contact, digits in (("+86 139-1234-5678", "13912345678"), ("alice@example.com", None), ("wechat_alice", None)):
        masked = intake.seal_contact("acme", "acc_1", contact)["contact_masked"]
        assert visible(digits or contact, masked) <= len(masked) // 3, (contact, masked)
    assert intake.seal_contact("acme", "acc_1", "alice@example.com")["contact_masked"] == "a" + "*" * 12 + ".com"
