"""A schema refusal never hands back the number it refused (RL2020-24): jsonschema quotes the value, so a
padded identity number or phone would come back in the 400 and in any log of it."""

from __future__ import annotations

import random

import pytest

from chalicelib.core import validation
from tests import factories

NUMBER = factories.resident_id(random.Random(7))


PADDED = [NUMBER + "0" * 60, "证件" + NUMBER + "号码" * 30, factories.mobile(random.Random(2)) * 7,
          "１２３４５６７８９０" * 7]


@pytest.mark.parametrize("value", PADDED)
def test_a_refused_string_with_a_run_of_digits_is_named_by_its_length(value):
    # GIVEN a body whose document number is past its bound, padded as a careless client would send it
    body = {"document_type": "RESIDENT_ID", "document_number": value}
    # WHEN it is refused
    found = validation.problems("subject_lookup_request.json", body)
    # THEN the refusal says what is wrong and how long the value was, and holds no run of its digits
    assert found and f"a string of {len(value)} characters is too long" in found[0]["message"]
    assert value not in str(found) and NUMBER[:8] not in str(found) and "１２３４５６" not in str(found)


def test_a_refused_word_is_still_quoted_so_the_client_sees_what_it_sent():
    # GIVEN a document type the API does not know WHEN it is refused THEN the refusal names it
    found = validation.problems("subject_lookup_request.json", {"document_type": "DRIVING_LICENCE",
                                                                "document_number": "1"})
    assert "'DRIVING_LICENCE' is not one of" in found[0]["message"]
