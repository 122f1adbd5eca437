"""Masked forms stored by earlier code (four characters at each end, ``138****8000``) are cut to the
third on every read that shows them (MB2018-7, GR2017-8, PA2017-7, RL2020-24): the subject, its
history and the re-confirmation list, a group's information page, an account's and a reporter's
contact, and the filings."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from chalicelib.core import keys, stores
from chalicelib.core.keys import account_item
from tests import factories
from tests.api.test_filings import new_account, next_month, objects, rows
from tests.api.test_groups import found, join, subjects
from tests.builders import report


def older_code_wrote(key: dict[str, str], **fields: object) -> None:
    """The item as code before the third stored it."""
    item = stores.main_table().get(key, consistent=True)
    assert item is not None
    stores.main_table().put({**item, **fields})


def old_document_mask(number: str) -> str:
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def verified_with_old_masks(api, tenant) -> tuple[str, str, str]:
    number, mobile = factories.resident_id(random.Random(7), region="310104"), factories.mobile(random.Random(7))
    subject_id = api.call("POST", "/v1/identity/verifications", key=tenant.key, body={
        "subject_type": "PERSON", "real_name": "张三", "document": {"type": "RESIDENT_ID", "number": number},
        "mobile": mobile}).json["subject_id"]
    older_code_wrote(keys.subject_item(tenant.tenant_id, subject_id), document_masked=old_document_mask(number),
                     mobile_masked=mobile[:3] + "****" + mobile[-4:])
    partition = keys.subject_pk(tenant.tenant_id, subject_id)
    for item in stores.main_table().query(KeyConditionExpression="PK = :pk AND begins_with(SK, :v)",
                                          values={":pk": partition, ":v": "VERIFICATION#"}):
        older_code_wrote({"PK": item["PK"], "SK": item["SK"]}, document_masked=old_document_mask(number))
    return subject_id, number, mobile


def test_a_subject_stored_with_old_masks_reads_within_the_third(api, tenant):
    # GIVEN a subject whose document and mobile were stored as 1101**********0078 and 138****8000
    subject_id, number, mobile = verified_with_old_masks(api, tenant)
    new_document, new_mobile = number[:2] + "*" * 12 + number[-4:], "*" * 8 + mobile[-3:]
    # WHEN it is read THEN every masked form shows at most a third
    subject = api.call("GET", f"/v1/identity/subjects/{subject_id}", key=tenant.key).json
    assert subject["document"]["masked"] == new_document and subject["mobile_masked"] == new_mobile
    assert [h["document_masked"] for h in subject["history"]] == [new_document]
    horizon = (datetime.now(UTC) + timedelta(days=400)).strftime("%Y-%m-%dT%H:%M:%SZ")
    due = api.call("GET", f"/v1/identity/reconfirmations?due_before={horizon}", key=tenant.key).json["items"]
    assert [i["document_masked"] for i in due if i["subject_id"] == subject_id] == [new_document]


def test_a_group_page_shows_an_old_founder_mask_within_the_third(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={"groups": {"large_group_members": 2}})
    founder, first, second = subjects(api, tenant.key, 3)
    group_id = found(api, tenant.key, founder).json["group_id"]
    join(api, tenant.key, group_id, first)
    join(api, tenant.key, group_id, second)
    # GIVEN the founder's document stored by earlier code WHEN members read the page THEN it shows 6 of 18
    older_code_wrote(keys.subject_item(tenant.tenant_id, founder), document_masked="1101**********0078")
    page = api.call("GET", f"/v1/groups/{group_id}/info", key=tenant.key).json
    assert page["founder"]["document_masked"] == "11************0078"


def test_old_contact_masks_read_within_the_third(api, tenant):
    # GIVEN an account's and a reporter's contact stored as 139****5678 and a****@example.com
    subject_id = subjects(api, tenant.key, 1)[0]
    account_id = new_account(api, tenant.key, subject_id, "示例资讯", profile={"contact": "13912345678"})
    older_code_wrote(account_item(tenant.tenant_id, account_id),
                     profile={**stores.main_table().get(account_item(tenant.tenant_id, account_id))["profile"],
                              "contact_masked": "139****5678"})
    # WHEN they are read THEN each shows at most a third
    shown = api.call("GET", f"/v1/accounts/{account_id}", key=tenant.key).json["profile"]["contact_masked"]
    assert shown == "*" * 8 + "678"
    receipt = report(api, tenant.key, reporter={"anonymous": True, "contact": "alice@example.com"}).json
    older_code_wrote({"PK": f"T#{tenant.tenant_id}#REPORT#{receipt['report_id']}", "SK": "REPORT"},
                     contact_masked="a****@example.com")
    listed = api.call("GET", f"/v1/cases/{receipt['case_id']}/reports", key=tenant.key).json["items"]
    assert listed[0]["contact_masked"] == "a" + "*" * 12 + ".com"


def test_a_filing_shows_an_old_document_mask_within_the_third(api, tenant):
    from chalicelib.filings import export as filings

    # GIVEN a subject with a public account, its document stored by earlier code
    subject_id, number, _ = verified_with_old_masks(api, tenant)
    new_account(api, tenant.key, subject_id, "张三的日常", category="LIFESTYLE")
    # WHEN the period is filed THEN the inspector's CSV shows 6 of 18
    period = next_month()
    filings.export(tenant.tenant_id, period)
    key = f"filings/{tenant.tenant_id}/{period}/31/public_accounts.csv"
    filed = rows(objects(key)[key])
    assert filed[0]["证件号码（脱敏）"] == number[:2] + "*" * 12 + number[-4:]
