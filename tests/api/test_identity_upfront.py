"""Upfront (V) verification against materials (MB2018-8/10) and professional qualifications (PA2020-9)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from tests import factories

COMPANY = "北京示例科技有限公司"


def verified(api, key, body) -> str:
    response = api.call("POST", "/v1/identity/verifications", key=key, body=body)
    assert response.status_code == 201 and response.json["verified"], response.json
    return response.json["subject_id"]


def enterprise(api, key, uscc: str) -> str:
    return verified(api, key, {"subject_type": "ENTERPRISE", "document": {"type": "USCC", "number": uscc},
                               "real_name": COMPANY})


def apply(api, key, subject_id, claimed, materials, category="ENTERPRISE"):
    return api.call("POST", "/v1/identity/upfront-verifications", key=key,
                    body={"subject_id": subject_id, "claimed_name": claimed, "category": category,
                          "materials": materials})


def test_an_enterprise_whose_licence_agrees_is_approved(api, tenant):
    uscc = factories.uscc(random.Random(1))
    subject_id = enterprise(api, tenant.key, uscc)
    licence = {"type": "BUSINESS_LICENCE", "number": uscc.lower(), "name": "北京示例科技有限公司 ", "sha256": "a" * 64}
    response = apply(api, tenant.key, subject_id, "北京示例科技有限公司", [licence])
    assert response.status_code == 201, response.json
    assert (response.json["status"], response.json["materials_checked"]) == ("APPROVED", ["BUSINESS_LICENCE"])
    subject = api.call("GET", f"/v1/identity/subjects/{subject_id}", key=tenant.key).json
    assert [u["category"] for u in subject["upfront_verifications"]] == ["ENTERPRISE"]


def test_every_discrepancy_is_listed_and_nothing_is_approved(api, tenant):
    rng = random.Random(2)
    uscc = factories.uscc(rng)
    subject_id = enterprise(api, tenant.key, uscc)
    licence = {"type": "BUSINESS_LICENCE", "number": factories.uscc(rng), "name": "上海另一家有限公司"}
    response = apply(api, tenant.key, subject_id, "北京示例科技（集团）有限公司", [licence])
    assert (response.status_code, response.json["error"]["code"]) == (422, "UPFRONT_DISCREPANCY")
    assert response.json["error"]["details"]["article"] == "MB2018-10"
    assert response.json["error"]["details"]["discrepancies"] == [
        {"item": "claimed_name", "problem": "NAME_MISMATCH"},
        {"item": "materials[0].name", "problem": "NAME_MISMATCH"},
        {"item": "materials[0].number", "problem": "NUMBER_MISMATCH"},
    ]
    assert COMPANY not in response.body.decode()
    assert api.call("GET", f"/v1/identity/subjects/{subject_id}", key=tenant.key).json["upfront_verifications"] == []


def test_an_organ_needs_its_certificate_and_an_authorization_letter(api, tenant):
    code = factories.org_code(random.Random(3))
    subject_id = verified(api, tenant.key,
                          {"subject_type": "STATE_ORGAN", "document": {"type": "ORG_CODE", "number": code},
                                             "real_name": "某市示例局"})
    missing = apply(api, tenant.key, subject_id, "某市示例局", [{"type": "ORG_CERTIFICATE", "number": code}],
                    category="PARTY_GOVERNMENT")
    assert missing.json["error"]["details"]["discrepancies"] == [{"item": "AUTHORIZATION_LETTER", "problem": "MISSING"}]
    uscc_with_same_org_code = factories.uscc(random.Random(3), authority="1", kind="1")  # same rng → same org code
    assert uscc_with_same_org_code[8:17] == code
    approved = apply(api, tenant.key, subject_id, "某市示例局",
                     [{"type": "BUSINESS_LICENCE", "number": uscc_with_same_org_code},
                      {"type": "AUTHORIZATION_LETTER", "sha256": "b" * 64}], category="PARTY_GOVERNMENT")
    assert approved.status_code == 201, approved.json


def test_a_person_needs_an_identity_document_and_a_professional_proof(api, tenant):
    number = factories.resident_id(random.Random(4))
    subject_id = verified(api, tenant.key,
                          {"subject_type": "PERSON", "document": {"type": "RESIDENT_ID", "number": number},
                                             "real_name": "测试 用户"})
    only_id = apply(api, tenant.key, subject_id, "测试用户", [{"type": "IDENTITY_DOCUMENT", "number": number}],
                    category="PERSONAL")
    assert only_id.json["error"]["details"]["discrepancies"] == [
        {"item": "EMPLOYMENT_PROOF/PROFESSIONAL_CERTIFICATE", "problem": "MISSING"}]
    ok = apply(api, tenant.key, subject_id, "测试用户", [{"type": "IDENTITY_DOCUMENT", "number": number},
                                                      {"type": "EMPLOYMENT_PROOF", "name": "测试用户"}],
               category="PERSONAL")
    assert ok.status_code == 201


def test_an_unverified_subject_cannot_apply(api, tenant):
    number = factories.resident_id(magic="991")
    response = api.call("POST", "/v1/identity/verifications", key=tenant.key, body={
        "subject_type": "PERSON", "document": {"type": "RESIDENT_ID", "number": number}, "real_name": "某人"})
    subject_id = response.json["subject_id"]
    refused = apply(api, tenant.key, subject_id, "某人", [{"type": "IDENTITY_DOCUMENT", "number": number}])
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "SUBJECT_NOT_VERIFIED")


def test_qualified_domains_need_a_valid_qualification(api, tenant):
    number = factories.resident_id(random.Random(5))
    subject_id = verified(api, tenant.key,
                          {"subject_type": "PERSON", "document": {"type": "RESIDENT_ID", "number": number},
                                             "real_name": "医生"})
    gate = api.call("GET", f"/v1/identity/subjects/{subject_id}/can-publish?domain=MEDICAL_HEALTH", key=tenant.key).json
    assert gate["allowed"] is False
    assert gate["reasons"][0] == {"code": "QUALIFICATION_REQUIRED", "article": "PA2020-9", "message":
                                  "Publishing MEDICAL_HEALTH content needs a valid professional qualification.",
                                  "message_zh": "发布该领域内容需具备有效的相关专业资质。"}
    until = (date.today() + timedelta(days=365)).isoformat()
    body = {"subject_id": subject_id, "domain": "MEDICAL_HEALTH", "certificate_type": "医师资格证书",
            "certificate_number": "110110000000001", "issuer": "国家卫生健康委员会", "valid_until": until}
    recorded = api.call("POST", "/v1/identity/qualifications", key=tenant.key, body=body)
    assert recorded.status_code == 201
    assert recorded.json["certificate_masked"] == "1**********0001"
    assert "110110000000001" not in recorded.body.decode()
    assert api.call("GET", f"/v1/identity/subjects/{subject_id}/can-publish?domain=MEDICAL_HEALTH",
                    key=tenant.key).json["allowed"] is True
    assert api.call("GET", f"/v1/identity/subjects/{subject_id}/can-publish?domain=JUDICIAL",
                    key=tenant.key).json["allowed"] is False
    expired = api.call("POST", "/v1/identity/qualifications", key=tenant.key,
                       body={**body, "valid_until": "2020-01-01"})
    assert (expired.status_code, expired.json["error"]["code"]) == (422, "QUALIFICATION_EXPIRED")
    bad_domain = api.call("GET", f"/v1/identity/subjects/{subject_id}/can-publish?domain=COOKING", key=tenant.key)
    assert bad_domain.status_code == 400
