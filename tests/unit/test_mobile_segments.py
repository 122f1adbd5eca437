"""Mobile segments come from phonenumbers' metadata (MB2018-7): no live segment is refused by a hand table,
and the shipped table is what the metadata gives (the drift test is test_name_tables, over every table)."""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from chalicelib.identity.documents import mobile
from chalicelib.identity.documents.common import DocumentType as T, Reason as R


def test_a_china_broadnet_161x_number_is_a_mobile_number():
    # GIVEN a number in the 1610 segment, live and valid in phonenumbers' metadata
    # WHEN it is validated
    result = mobile.validate("16101234567")
    # THEN it is a mobile number of China Broadnet, not NOT_MOBILE
    assert result.valid, result.reasons
    assert (result.details["line_type"], result.details["operator"]) == ("MOBILE", "CHINA_BROADNET")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=10_000_000_000, max_value=19_999_999_999))
def test_every_number_phonenumbers_takes_as_mobile_is_accepted(number):
    # GIVEN any eleven-digit number starting with 1 that the metadata's mobile pattern accepts
    from phonenumbers import PhoneMetadata

    pattern = PhoneMetadata.metadata_for_region("CN").mobile.national_number_pattern
    text = str(number)
    # WHEN validated, THEN it is valid exactly when the metadata says it is a mobile number
    result = mobile.validate(text)
    assert result.valid == bool(re.fullmatch(pattern, text)), (text, result.reasons)
    if not result.valid:
        assert result.reasons == (R.NOT_MOBILE,)
    assert result.type is T.MOBILE
