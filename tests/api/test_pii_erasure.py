"""Personal data that outlives its use (MB2018-7, PA2017-9, RL2020-24): a V-verification's claimed name,
what erasure leaves on a subject, and a report's tracking token in URLs, logs and idempotency records."""

from __future__ import annotations

import base64
import binascii
import json
import random
from collections.abc import Iterator
from typing import Any

import boto3
from botocore.exceptions import ClientError
from cryptography.exceptions import InvalidTag

from chalicelib.core import crypto, idempotency, stores
from chalicelib.core.config import settings
from tests import factories
from tests.api.test_filings import next_month, objects, rows
from tests.api.test_pii_at_rest import every_item
from tests.builders import report

COMPANY = "杭州拾贰号测试科技有限公司"
PERSON = "欧阳拾贰"


def scan(table: str) -> list[dict[str, Any]]:
    dynamodb = boto3.client("dynamodb", region_name="cn-north-1")
    return [i for page in dynamodb.get_paginator("scan").paginate(TableName=table) for i in page["Items"]]


def strings(value: Any) -> Iterator[str]:
    """Every string inside a stored item (DynamoDB JSON), however deep."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from strings(inner)


def openable(tenant_id: str, owners: list[str]) -> list[str]:
    """What an attacker with the table and the key service opens: every stored string tried as a KMS
    ciphertext under each owner's encryption context (how the subject's and the account's data keys are wrapped)."""
    kms, opened = boto3.client("kms", region_name="cn-north-1"), []
    for value in {s for item in every_item() for s in strings(item)}:
        try:
            blob = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            continue
        for owner in owners:
            try:
                kms.decrypt(CiphertextBlob=blob, EncryptionContext={"tenant_id": tenant_id, "subject_id": owner})
            except ClientError:
                continue
            opened.append(owner)
    return opened


def enterprise(api, key, uscc: str) -> str:
    verified = api.call("POST", "/v1/identity/verifications", key=key, body={
        "subject_type": "ENTERPRISE", "document": {"type": "USCC", "number": uscc}, "real_name": COMPANY})
    assert verified.json["verified"], verified.json
    return verified.json["subject_id"]


def v_verify(api, key, subject_id: str, claimed: str, materials: list[dict[str, Any]], category: str) -> Any:
    return api.call("POST", "/v1/identity/upfront-verifications", key=key, body={
        "subject_id": subject_id, "claimed_name": claimed, "category": category, "materials": materials})


def test_a_v_verification_stores_no_claimed_name_yet_its_filing_shows_it(api, tenant):
    # GIVEN a verified enterprise
    uscc = factories.uscc(random.Random(12), region="330106")
    subject_id = enterprise(api, tenant.key, uscc)
    # WHEN its V-verification is approved under its name, written the way a platform's form might send it
    licence = {"type": "BUSINESS_LICENCE", "number": uscc, "name": COMPANY, "sha256": "c" * 64}
    approved = v_verify(api, tenant.key, subject_id, f" {COMPANY} ", [licence], "ENTERPRISE")
    assert approved.status_code == 201, approved.json
    # THEN the answer names it for the caller who sent it...
    assert approved.json["claimed_name"] == f" {COMPANY} "
    # ...no table holds the name in plain text, in any item...
    assert COMPANY not in json.dumps(every_item(), ensure_ascii=False)
    # ...and the filing of the period still shows the certified name (decrypted from the sealed identity)
    from chalicelib.filings import export as filings

    period = next_month()
    filings.export(tenant.tenant_id, period)
    filed = objects(f"filings/{tenant.tenant_id}/{period}/33/upfront_verified.csv")
    assert [(r["主体编号"], r["认证名称"]) for r in rows(next(iter(filed.values())))] == [(subject_id, COMPANY)]


def test_erasure_leaves_nothing_that_leads_back_to_the_person(api, tenant):
    # GIVEN a person verified with a mobile, V-verified, with one account that has a contact
    rng = random.Random(13)
    number, mobile, contact = factories.resident_id(rng), factories.mobile(rng), factories.mobile(rng)
    subject_id = api.call("POST", "/v1/identity/verifications", key=tenant.key, body={
        "subject_type": "PERSON", "document": {"type": "RESIDENT_ID", "number": number}, "real_name": PERSON,
        "mobile": mobile}).json["subject_id"]
    approved = v_verify(api, tenant.key, subject_id, PERSON, [
        {"type": "IDENTITY_DOCUMENT", "number": number}, {"type": "EMPLOYMENT_PROOF", "name": PERSON}], "PERSONAL")
    assert approved.status_code == 201, approved.json
    account = api.call("POST", "/v1/accounts", key=tenant.key, body={
        "subject_id": subject_id, "account_type": "PUBLIC_ACCOUNT", "name": "拾贰的日常",
        "profile": {"contact": contact, "content_types": ["LIFESTYLE"]}}).json
    owners = [subject_id, account["account_id"]]
    index = crypto.blind_index(crypto.index_key(tenant.tenant_id, stores.main_table()), "MOBILE", mobile)
    assert sorted(set(openable(tenant.tenant_id, owners))) == sorted(owners)  # the probe opens what is sealed
    assert index in json.dumps(every_item())

    # WHEN its last account is cancelled
    cancelled = api.call("POST", f"/v1/accounts/{account['account_id']}/cancellation", key=tenant.key,
                         body={"reason": "用户申请注销"})
    assert cancelled.status_code == 200 and cancelled.json["subject_pii_erased"] is True, cancelled.json

    # THEN nothing stored opens under the subject's or the account's context any more
    assert openable(tenant.tenant_id, owners) == []
    # AND no item anywhere holds the phone's blind index, its masked form on the subject, the name or the contact
    stored = json.dumps(every_item(), ensure_ascii=False)
    assert index not in stored
    assert PERSON not in stored and "contact_masked" not in stored and "claimed_name" not in stored
    subject = stores.main_table().get({"PK": f"T#{tenant.tenant_id}#SUBJECT#{subject_id}", "SK": "SUBJECT"})
    assert subject is not None and not {"pii", "pii_key", "mobile_masked", "mobile_index"} & set(subject)
    assert "contact_masked" not in cancelled.json["account"].get("profile", {})
    # AND the records the law keeps are still there: the account, its V-verification, the subject's masked document
    seen = api.call("GET", f"/v1/identity/subjects/{subject_id}", key=tenant.key).json
    assert [u["upfront_id"] for u in seen["upfront_verifications"]] == [approved.json["upfront_id"]]
    assert seen["document"]["masked"] == subject["document_masked"] and number not in stored
    assert api.call("GET", f"/v1/accounts/{account['account_id']}", key=tenant.key).json["status"] == "CANCELLED"


def test_the_tracking_token_is_taken_from_a_header_and_still_from_the_query(api, tenant):
    # GIVEN a filed report
    receipt = report(api, tenant.key).json
    path, token = f"/v1/reports/{receipt['report_id']}", receipt["tracking_token"]
    # WHEN its status is read with the token in the header THEN the reporter sees it
    by_header = api.call("GET", path, key=tenant.key, headers={"X-Tracking-Token": token})
    assert by_header.status_code == 200 and by_header.json["report_id"] == receipt["report_id"], by_header.json
    # AND an existing client sending it in the query string still does
    assert api.call("GET", f"{path}?token={token}", key=tenant.key).json == by_header.json
    # AND the header decides when both are sent: a wrong one is not rescued by the query
    both = api.call("GET", f"{path}?token={token}", key=tenant.key, headers={"X-Tracking-Token": "trk_wrong"})
    assert (both.status_code, both.json["error"]["code"]) == (404, "REPORT_NOT_FOUND")
    # AND no token at all, or an oversized one, is a 400 that says where the token goes
    missing = api.call("GET", path, key=tenant.key)
    assert (missing.status_code, missing.json["error"]["code"]) == (400, "TRACKING_TOKEN_REQUIRED")
    assert "X-Tracking-Token" in missing.json["error"]["message"]
    long = api.call("GET", path, key=tenant.key, headers={"X-Tracking-Token": "trk_" + "a" * 200})
    assert (long.status_code, long.json["error"]["code"]) == (400, "TRACKING_TOKEN_INVALID")


def test_the_openapi_document_shows_the_header_and_the_query_parameter(api):
    document = api.call("GET", "/v1/openapi.json").json
    parameters = {(p["in"], p["name"]): p for p in document["paths"]["/v1/reports/{report_id}"]["get"]["parameters"]}
    assert {("header", "X-Tracking-Token"), ("query", "token")} <= set(parameters)
    assert not parameters[("header", "X-Tracking-Token")]["required"] and not parameters[("query", "token")]["required"]
    assert "Deprecated" in parameters[("query", "token")]["description"]


def test_the_idempotency_table_holds_no_plain_token_and_a_retry_gets_the_same_receipt(api, tenant):
    # GIVEN a report filed with an Idempotency-Key
    headers = {"Idempotency-Key": "report-token-1"}
    first = report(api, tenant.key, "post-12", headers=headers)
    assert first.status_code == 201, first.json
    token = first.json["tracking_token"]
    # WHEN the idempotency table (and every other) is read
    records = scan(settings().idempotency_table)
    # THEN the first answer is kept, but its token (alone or inside the status URL) only sealed
    assert records and token not in json.dumps(records)
    assert token not in json.dumps(every_item())
    assert token.removeprefix("trk_") not in json.dumps(records)
    # AND a retry with the same key gets the same receipt, whose token still opens the report
    again = report(api, tenant.key, "post-12", headers=headers)
    assert again.status_code == 201 and again.json == first.json
    status = api.call("GET", f"/v1/reports/{first.json['report_id']}", key=tenant.key,
                      headers={"X-Tracking-Token": again.json["tracking_token"]})
    assert status.status_code == 200, status.json


def test_a_sealed_answer_opens_only_in_the_record_it_was_sealed_for():
    # GIVEN an answer sealed for one idempotency record
    secrets = idempotency.Secrets(bytes(32), ("tracking_token",))
    sealed = secrets.seal({"tracking_token": "trk_secret", "report_id": "rpt_1"}, '["acme", "reports.create", "k1"]')
    assert sealed["report_id"] == "rpt_1" and "trk_secret" not in json.dumps(sealed)
    assert secrets.open(sealed, '["acme", "reports.create", "k1"]')["tracking_token"] == "trk_secret"
    # WHEN it is copied into another key's record, or opened under another tenant's key THEN it does not open
    for attempt in (lambda: secrets.open(sealed, '["acme", "reports.create", "k2"]'),
                    lambda: idempotency.Secrets(b"\x01" * 32, ("tracking_token",)).open(
                        sealed, '["acme", "reports.create", "k1"]')):
        try:
            attempt()
        except InvalidTag:
            continue
        raise AssertionError("a sealed token opened outside its record")


def test_a_tracking_token_never_reaches_a_log_line(log_lines):
    from chalicelib.core.observability import logger

    token = "trk_" + "Zq3-x_9" * 5
    logger.info(f"status read with {token}", extra={"path": f"/v1/reports/rpt_1?token={token}"})
    assert token not in log_lines.text() and "trk_***" in log_lines.text()
