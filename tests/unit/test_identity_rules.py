"""Pure identity rules: the publishing gate, name comparison, V-materials, provider codes, sandbox."""

from __future__ import annotations

import pytest

from chalicelib.identity import rules as identity
from chalicelib.identity.documents import DocumentType
from chalicelib.identity.provider_codes import Outcome, outcome_of
from chalicelib.identity.providers import SandboxProvider, VerificationRequest
from chalicelib.identity.upfront_rules import discrepancies

NOW, TODAY = "2026-11-25T08:00:00Z", "2026-11-25"


def codes(refusals):
    return [r.code for r in refusals]


def test_the_gate_refuses_unverified_lapsed_and_unqualified_subjects():
    gate = identity.publishing_refusals
    assert gate("VERIFIED", "2027-01-01T00:00:00Z", NOW, None, [], TODAY) == []
    assert codes(gate("UNVERIFIED", None, NOW, None, [], TODAY)) == ["NOT_VERIFIED"]
    assert codes(gate("VERIFIED", "2026-11-25T07:59:59Z", NOW, None, [], TODAY)) == ["VERIFICATION_EXPIRED"]
    assert codes(gate("EXPIRED", "2026-01-01T00:00:00Z", NOW, None, [], TODAY)) == ["VERIFICATION_EXPIRED"]
    assert codes(gate("VERIFIED", "2027-01-01T00:00:00Z", NOW, "JUDICIAL", ["2026-11-24"], TODAY)) == [
        "QUALIFICATION_REQUIRED"]
    assert gate("VERIFIED", "2027-01-01T00:00:00Z", NOW, "JUDICIAL", ["2026-11-25"], TODAY) == []
    assert [r.article for r in gate(None, None, NOW, "EDUCATION", [], TODAY)] == ["MB2018-7", "PA2020-9"]


def test_names_compare_through_width_spacing_and_bracket_forms():
    assert identity.comparable_name("北京示例（集团）有限公司") == identity.comparable_name("北京示例(集团)有限公司 ")
    assert identity.comparable_name("ＡＢＣ Ltd") == identity.comparable_name("abc ltd")
    assert identity.comparable_name("阿卜杜·热合曼") == identity.comparable_name("阿卜杜热合曼")
    assert identity.comparable_name("张三") != identity.comparable_name("张山")


def test_subject_types_accept_only_their_documents():
    assert identity.accepts(identity.SubjectType.PERSON, DocumentType.PR_CARD)
    assert not identity.accepts(identity.SubjectType.PERSON, DocumentType.USCC)
    assert identity.accepts(identity.SubjectType.STATE_ORGAN, DocumentType.ORG_CODE)
    assert not identity.accepts(identity.SubjectType.ENTERPRISE, DocumentType.ORG_CODE)


def test_foreign_organisations_need_their_china_institution_materials():
    found = discrepancies(identity.SubjectType.FOREIGN_ORG, "Example GmbH 北京代表处", "91110105X",
                          "Example GmbH 北京代表处",
                          [{"type": "BUSINESS_LICENCE", "number": "91110105X"}], lambda n: n)
    assert [(d.item, d.problem) for d in found] == [("CHINA_INSTITUTION_CERTIFICATE", "MISSING"),
                                                    ("AUTHORIZATION_LETTER", "MISSING")]


def test_an_identifying_material_without_a_number_is_a_discrepancy():
    found = discrepancies(identity.SubjectType.ENTERPRISE, "甲公司", "X", "甲公司", [{"type": "BUSINESS_LICENCE"}],
                          lambda n: n)
    assert [(d.item, d.problem) for d in found] == [("materials[0].number", "MISSING")]


@pytest.mark.parametrize(("provider", "code", "outcome"), [
    ("tencent.idcard", "0", Outcome.MATCH), ("tencent.idcard", "-5", Outcome.NO_RECORD),
    ("tencent.phone3", "-4", Outcome.MISMATCH), ("aliyun.cloudauth", "3", Outcome.NO_RECORD),
    ("aliyun.dytns", "0", Outcome.MISMATCH), ("tencent.idcard", "42", Outcome.PROVIDER_ERROR),
    (None, None, Outcome.PROVIDER_ERROR),
])
def test_provider_codes(provider, code, outcome):
    assert outcome_of(provider, code) is outcome


def test_sandbox_magic_reads_the_digits_before_the_check_character():
    def answer(kind, number, mobile=None):
        return SandboxProvider().verify(VerificationRequest("r", kind, number, "n", mobile)).outcome

    assert answer(DocumentType.RESIDENT_ID, "110105199003079917") is Outcome.MISMATCH
    assert answer(DocumentType.RESIDENT_ID, "110105199003079003") is Outcome.MATCH
    assert answer(DocumentType.PASSPORT, "E12345996") is Outcome.PROVIDER_ERROR
    assert answer(DocumentType.ORG_CODE, "12345994-X") is Outcome.UNSUPPORTED
    assert answer(DocumentType.RESIDENT_ID, "110105199003079003", "13800000991") is Outcome.MISMATCH
