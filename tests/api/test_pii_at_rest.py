"""MB2018-7, RL2020-24: after real traffic, no stored item and no log line holds a plain identity number,
nor a V-verification's claimed name or a report's tracking token."""

from __future__ import annotations

import json
import random
import re
from datetime import date, timedelta

import boto3

from chalicelib.core import crypto
from chalicelib.core.pii import redact
from tests import factories

CIPHERTEXT = {"pii", "pii_key", "blind_index_key", "contact", "contact_key"}
# Shapes as they stand in text: not inside a longer run of letters and digits, such as the hex of an
# id, a digest or a blind index, where eleven decimal digits in a row occur by chance.
SHAPES = [re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"),
          re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")]


def every_item() -> list[dict]:
    dynamodb = boto3.client("dynamodb", region_name="cn-north-1")
    items = []
    for table in dynamodb.list_tables()["TableNames"]:
        for page in dynamodb.get_paginator("scan").paginate(TableName=table):
            items.extend(page["Items"])
    return items


def test_nothing_stored_or_logged_holds_a_plain_number(api, tenant, log_lines):
    rng = random.Random(99)
    people = [(factories.resident_id(rng), factories.mobile(rng)) for _ in range(4)]
    company = factories.uscc(rng)
    certificate = "330100000000777"
    for index, (number, mobile) in enumerate(people):
        headers = {"Idempotency-Key": f"k{index}"} if index % 2 else None
        api.call("POST", "/v1/identity/verifications", key=tenant.key, headers=headers, body={
            "subject_type": "PERSON", "document": {"type": "RESIDENT_ID", "number": number},
            "real_name": f"用户{index}", "mobile": mobile})
        api.call("POST", "/v1/identity/validate", key=tenant.key, body={"type": "MOBILE", "number": mobile})
    mismatch = factories.resident_id(rng, magic="991")
    api.call("POST", "/v1/identity/verifications", key=tenant.key, body={
        "subject_type": "PERSON", "document": {"type": "RESIDENT_ID", "number": mismatch}, "real_name": "某人"})
    subject_id = api.call("POST", "/v1/identity/verifications", key=tenant.key, body={
        "subject_type": "ENTERPRISE", "document": {"type": "USCC", "number": company},
        "real_name": "示例有限公司"}).json["subject_id"]
    api.call("POST", "/v1/identity/qualifications", key=tenant.key, body={
        "subject_id": subject_id, "domain": "ECONOMICS", "certificate_type": "证书", "certificate_number": certificate,
        "issuer": "某机构", "valid_until": (date.today() + timedelta(days=30)).isoformat()})

    # the later capabilities' paths for personal data: a reporter's contact, an account's contact and
    # registration phone, a blacklisted phone, and a filing export (S3)
    reporter_phone, account_phone, listed_phone = (factories.mobile(rng) for _ in range(3))
    api.call("POST", "/v1/reports", key=tenant.key, body={
        "reporter": {"anonymous": True, "contact": reporter_phone}, "target": {"type": "CONTENT", "id": "post-1"},
        "category": "SPAM", "description": "刷屏"})
    api.call("POST", "/v1/accounts", key=tenant.key, body={
        "subject_id": subject_id, "account_type": "PUBLIC_ACCOUNT", "name": "示例资讯号",
        "registration_phone": account_phone, "profile": {"contact": account_phone, "content_types": ["NEWS"]}})
    api.call("POST", "/v1/dispositions", key=tenant.key, body={
        "target": {"type": "SUBJECT", "id": subject_id}, "type": "BLACKLIST", "automated": False, "statement": "s",
        "ground": {"article": "GR2017-11", "category": "SPAM"}, "blacklist": [{"type": "PHONE", "key": listed_phone}]})
    # a V-verification under the enterprise's name, and a report followed by its token (query and header)
    licence = {"type": "BUSINESS_LICENCE", "number": company, "name": "示例有限公司"}
    assert api.call("POST", "/v1/identity/upfront-verifications", key=tenant.key, body={
        "subject_id": subject_id, "claimed_name": "示例有限公司", "category": "ENTERPRISE",
        "materials": [licence]}).status_code == 201
    receipt = api.call("POST", "/v1/reports", key=tenant.key, headers={"Idempotency-Key": "report-1"}, body={
        "reporter": {"account_id": "reporter-1"}, "target": {"type": "CONTENT", "id": "post-2"}, "category": "SPAM",
        "description": "刷屏"}).json
    assert api.call("GET", receipt["status_url"], key=tenant.key).status_code == 200
    assert api.call("GET", f"/v1/reports/{receipt['report_id']}", key=tenant.key,
                    headers={"X-Tracking-Token": receipt["tracking_token"]}).status_code == 200
    from chalicelib.filings import export as filings

    filings.export(tenant.tenant_id, "2025-Q4")
    s3 = boto3.client("s3", region_name="cn-north-1")
    from chalicelib.core.config import settings

    exported = "".join(s3.get_object(Bucket=settings().filings_bucket, Key=o["Key"])["Body"].read().decode("utf-8-sig")
                       for o in s3.list_objects_v2(Bucket=settings().filings_bucket).get("Contents", []))
    people += [(reporter_phone, account_phone), (listed_phone, listed_phone)]

    items = every_item()
    assert len(items) > 10 and exported
    stored = json.dumps(items, ensure_ascii=False)
    logged = log_lines.text()
    secrets = [n for pair in people for n in pair] + [mismatch, certificate, "用户0", "用户1"]
    for value in secrets:
        assert value not in stored, f"plain value stored: {value[:4]}…"
        assert value not in logged, f"plain value logged: {value[:4]}…"
        assert value not in exported, f"plain value exported: {value[:4]}…"
    # the claimed name is filed (decrypted for the office), never stored; the token is neither stored nor logged
    for value in ("示例有限公司", receipt["tracking_token"]):
        assert value not in stored, f"plain value stored: {value[:4]}…"
        assert value not in logged, f"plain value logged: {value[:4]}…"
    readable = json.dumps([{k: v for k, v in i.items() if k not in CIPHERTEXT} for i in items])
    for shape in SHAPES:
        assert shape.findall(readable) == []
        assert shape.findall(logged) == []
        assert shape.findall(exported) == []


def test_sealed_identity_opens_only_with_its_own_tenant_and_subject_context(api, tenant):
    number = factories.resident_id(random.Random(7))
    subject_id = api.call("POST", "/v1/identity/verifications", key=tenant.key, body={
        "subject_type": "PERSON", "document": {"type": "RESIDENT_ID", "number": number},
        "real_name": "张三"}).json["subject_id"]
    from chalicelib.core import stores
    from chalicelib.identity.store import IdentityStore

    subject = IdentityStore(stores.main_table()).subject(tenant.tenant_id, subject_id)
    sealed = crypto.Sealed(subject["pii"], subject["pii_key"])
    assert crypto.unseal(tenant.tenant_id, subject_id, sealed) == {
        "name": "张三", "document_type": "RESIDENT_ID", "document_number": number}
    try:
        crypto.unseal(tenant.tenant_id, "sub_" + "0" * 40, sealed)
    except Exception:
        pass
    else:
        raise AssertionError("sealed data opened under another subject's context")


def test_the_log_redactor_masks_the_shapes_the_scan_looks_for():
    sample = f"{factories.resident_id()} {factories.mobile()}"
    assert all(shape.findall(redact(sample)) == [] for shape in SHAPES)
