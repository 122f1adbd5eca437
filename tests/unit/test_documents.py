"""Offline document validation: each type's real rules, valid and invalid cases, never raising."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given, settings, strategies as st
from stdnum.cn import ric

from chalicelib.identity.documents import DocumentType as T, Reason as R, validate
from chalicelib.identity.documents.common import mod11_2_check
from chalicelib.identity.documents.organization import org_code_check
from tests import factories

TODAY = date(2026, 11, 25)


def check(kind, number):
    return validate(kind, number, TODAY)


def with_last(number: str, last: str) -> str:
    return number[:-1] + last


# --- resident ID (GB 11643) ---------------------------------------------------------------

def test_a_generated_resident_id_is_valid_with_its_details():
    number = factories.resident_id(random.Random(1), region="110105", born=date(1990, 3, 7), sex="F")
    result = check(T.RESIDENT_ID, number)
    assert result.valid and result.reasons == () and result.warnings == ()
    assert result.details == {"sex": "F", "birth_date": "1990-03-07",
                              "region": {"code": "110105", "province": "北京市", "county": "朝阳区"}}


def test_check_digit_agrees_with_python_stdnum():
    rng = random.Random(7)
    for _ in range(500):
        body = "".join(str(rng.randrange(10)) for _ in range(17))
        assert mod11_2_check(body) == ric.calc_check_digit(body + "0")


def test_x_check_digit_in_either_case_and_separators_are_accepted():
    rng = random.Random(3)
    number = next(n for n in (factories.resident_id(rng) for _ in range(200)) if n.endswith("X"))
    spaced = f"{number[:6]} {number[6:14]}-{number[14:].lower()}"
    result = check(T.RESIDENT_ID, spaced)
    assert result.valid and result.normalized == number


@pytest.mark.parametrize(("mutate", "reason"), [
    (lambda n: with_last(n, "0" if n[-1] != "0" else "1"), R.CHECKSUM),
    (lambda n: n[:17], R.FORMAT),
    (lambda n: n[:10] + "A" + n[11:], R.FORMAT),
])
def test_broken_resident_ids_say_why(mutate, reason):
    result = check(T.RESIDENT_ID, mutate(factories.resident_id(random.Random(5))))
    assert not result.valid and reason in result.reasons


def test_impossible_and_future_birth_dates_are_refused():
    body = "11010520230230901"  # 30 February
    assert R.DATE in check(T.RESIDENT_ID, body + mod11_2_check(body)).reasons
    future = factories.resident_id(born=date(2027, 1, 1))
    assert check(T.RESIDENT_ID, future).reasons == (R.DATE,)


def test_an_unknown_province_is_invalid_but_an_unknown_county_only_warns():
    body = "99010519900307901"
    assert R.REGION in check(T.RESIDENT_ID, body + mod11_2_check(body)).reasons
    abolished = factories.resident_id(region="119999")
    result = check(T.RESIDENT_ID, abolished)
    assert result.valid and result.warnings == (R.COUNTY_UNKNOWN,)
    assert result.details["region"] == {"code": "119999", "province": "北京市"}
    # python-stdnum refuses such real holders (a county its table lacks raises KeyError)
    with pytest.raises((ValueError, KeyError)):
        ric.validate(abolished)


def test_a_legacy_15_digit_number_is_upgraded_to_18():
    eighteen = factories.resident_id(random.Random(9), region="110105", born=date(1975, 6, 1))
    fifteen = eighteen[:6] + eighteen[8:17]
    result = check(T.RESIDENT_ID, fifteen)
    assert result.valid and result.normalized == eighteen and result.warnings == (R.LEGACY_15_DIGIT,)


# --- USCC (GB 32100) and organisation code (GB 11714) -------------------------------------

def test_generated_uscc_and_org_codes_are_valid():
    rng = random.Random(11)
    for authority, kind in (("9", "1"), ("1", "1"), ("1", "2"), ("5", "3"), ("N", "2")):
        number = factories.uscc(rng, authority=authority, kind=kind)
        result = check(T.USCC, number)
        assert result.valid, (number, result)
        assert result.details["org_code"] == f"{number[8:16]}-{number[16]}"
    assert check(T.USCC, factories.uscc(rng, region="100000")).details["region"]["province"] == "中央"
    code = factories.org_code(rng)
    assert check(T.ORG_CODE, f"{code[:8]}-{code[8]}").normalized == f"{code[:8]}-{code[8]}"
    assert check(T.ORG_CODE, code).valid


def test_the_gb_11714_example_check_character():
    assert org_code_check("D2143569") == "X"


def test_a_uscc_whose_embedded_org_code_is_wrong_is_invalid_even_with_a_right_outer_check():
    from chalicelib.identity.documents.organization import uscc_check

    good = factories.uscc(random.Random(12))
    wrong_inner = good[:16] + ("0" if good[16] != "0" else "1")
    forged = wrong_inner + uscc_check(wrong_inner)
    result = check(T.USCC, forged)
    assert result.reasons == (R.ORG_CODE_CHECKSUM,)


@pytest.mark.parametrize(("number", "reason"), [
    ("000000000000000000", R.DEGENERATE),
    ("91110105I00000000X", R.FORMAT),    # I is not in the alphabet
    ("Z1110105MA01ABCD0X", R.FORMAT),
])
def test_degenerate_and_malformed_usccs_are_invalid(number, reason):
    assert reason in check(T.USCC, number).reasons


def test_a_wrong_authority_type_pair_is_refused():
    from chalicelib.identity.documents.organization import uscc_check

    body = "94110105" + factories.org_code(random.Random(2))  # authority 9 has no type 4
    assert check(T.USCC, body + uscc_check(body)).reasons == (R.AUTHORITY,)


def test_a_uscc_check_character_error_is_a_checksum_reason():
    good = factories.uscc(random.Random(4))
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert check(T.USCC, bad).reasons == (R.CHECKSUM,)


# --- permits, permanent residence cards, passports ----------------------------------------

def test_permits_and_passports():
    assert check(T.HK_MACAU_PERMIT, "H12345678").valid
    assert check(T.HK_MACAU_PERMIT, "m1234567801").warnings == (R.LEGACY_FORMAT,)
    assert check(T.HK_MACAU_PERMIT, "X12345678").reasons == (R.FORMAT,)
    assert check(T.TAIWAN_PERMIT, "12345678").valid
    assert check(T.TAIWAN_PERMIT, "1234567").reasons == (R.FORMAT,)
    assert check(T.PASSPORT, "EA1234567").details == {"chinese_pattern": True}
    assert check(T.PASSPORT, "X9876543").valid
    assert check(T.PASSPORT, "ABCDEFG").reasons == (R.FORMAT,)


def test_permanent_residence_cards_old_and_new():
    new = factories.pr_card(random.Random(1))
    result = check(T.PR_CARD, new)
    assert result.valid and result.details["format"] == "2023" and result.details["issued_in"] == "北京市"
    assert check(T.PR_CARD, with_last(new, "0" if new[-1] != "0" else "1")).reasons == (R.CHECKSUM,)
    old = check(T.PR_CARD, "USA117003079012")
    assert old.valid and old.warnings == (R.CHECK_DIGIT_UNVERIFIED,)
    assert (old.details["birth_date"], old.details["nationality_code"]) == ("1970-03-07", "USA")
    assert check(T.PR_CARD, "USA119913319012").reasons == (R.DATE,)
    assert check(T.PR_CARD, "USA991107039012").reasons == (R.REGION,)


# --- mobile ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("number", "line_type", "warnings"), [
    ("+86 138 0013 8000", "MOBILE", ()),
    ("0086-199-1234-5678", "MOBILE", ()),
    ("19212345678", "MOBILE", ()),
    ("17012345678", "VIRTUAL_OPERATOR", (R.VIRTUAL_OPERATOR_RISK,)),
    ("16512345678", "VIRTUAL_OPERATOR", (R.VIRTUAL_OPERATOR_RISK,)),
    ("14512345678", "DATA_ONLY", (R.IOT_NUMBER_RISK,)),
    ("13491234567", "SATELLITE", ()),
])
def test_mobile_line_types(number, line_type, warnings):
    result = check(T.MOBILE, number)
    assert result.valid and result.details["line_type"] == line_type and result.warnings == warnings
    assert result.normalized == result.details["e164"][3:]


@pytest.mark.parametrize("number", ["10012345678", "1380013800", "+1 415 555 2671", "hello", ""])
def test_not_mainland_mobiles(number):
    assert not check(T.MOBILE, number).valid


# --- properties ---------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(list(T)), number=st.text(max_size=40))
def test_validation_never_raises_and_normalization_is_stable(kind, number):
    result = check(kind, number)
    assert result.valid == (result.reasons == ())
    if result.valid:
        again = check(kind, result.normalized)
        assert again.valid and again.normalized == result.normalized


@settings(max_examples=200, deadline=None)
@given(kind=st.sampled_from(list(T)),
       number=st.text(alphabet="0123456789XHMEGA -+()", min_size=5, max_size=20))
def test_number_like_noise_never_raises(kind, number):
    check(kind, number)
