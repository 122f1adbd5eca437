"""Account registration: every refusal with its article, the atomic limit, velocity and flags."""

from __future__ import annotations

import pytest

from tests.builders import register, subject


def test_a_verified_subject_registers_and_the_account_is_listed(api, tenant):
    subject_id = subject(api, tenant.key)
    created = register(api, tenant.key, subject_id, external_id="u-1", category="LIFESTYLE")
    assert created.status_code == 201, created.json
    assert (created.json["status"], created.json["name_check"]["decision"]) == ("ACTIVE", "PASS")
    fetched = api.call("GET", f"/v1/accounts/{created.json['account_id']}", key=tenant.key).json
    assert fetched["account_id"] == created.json["account_id"]
    listed = api.call("GET", f"/v1/subjects/{subject_id}/accounts", key=tenant.key).json
    assert (listed["accounts"], listed["public_accounts"], listed["multi_account_filing"]) == (1, 1, False)
    register(api, tenant.key, subject_id, name="普通用户二号")
    assert api.call("GET", f"/v1/subjects/{subject_id}/accounts", key=tenant.key).json["multi_account_filing"] is True
    taken = register(api, tenant.key, subject_id, name="普通用户三号", external_id="u-1")
    assert (taken.status_code, taken.json["error"]["code"]) == (409, "EXTERNAL_ID_TAKEN")


def test_the_limit_per_subject_is_enforced_with_the_count(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={"accounts": {"max_per_subject": {"PERSON": 2}}})
    subject_id = subject(api, tenant.key)
    assert [register(api, tenant.key, subject_id, name=f"普通用户{n}号").status_code for n in "一二"] == [201, 201]
    refused = register(api, tenant.key, subject_id, name="普通用户三号")
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "LIMIT_REACHED")
    assert refused.json["error"]["details"] == {"limit": 2, "current": 2, "subject_type": "PERSON",
                                                "article": "PA2017-7"}


def test_unverified_blacklisted_and_badly_named_registrations_are_refused(api, tenant):
    unverified = subject(api, tenant.key, seed=2, magic="991")
    refused = register(api, tenant.key, unverified)
    assert (refused.status_code, refused.json["error"]["code"], refused.json["error"]["details"]["article"]) == (
        409, "SUBJECT_NOT_VERIFIED", "MB2018-7")

    listed = subject(api, tenant.key, seed=3)
    api.call("POST", "/v1/dispositions", key=tenant.key, body={
        "target": {"type": "SUBJECT", "id": listed}, "type": "BLACKLIST", "statement": "fraud ring",
        "ground": {"article": "GR2017-11", "category": "FRAUD"}, "automated": False})
    refused = register(api, tenant.key, listed)
    assert (refused.status_code, refused.json["error"]["code"]) == (403, "SUBJECT_BLACKLISTED")
    assert refused.json["error"]["details"]["article"] == "GR2017-11"
    assert refused.json["error"]["message"].endswith("fraud ring")

    fine = subject(api, tenant.key, seed=4)
    impersonating = register(api, tenant.key, fine, name="人民日报官方")
    assert (impersonating.status_code, impersonating.json["error"]["code"]) == (422, "NAME_REFUSED")
    assert impersonating.json["error"]["details"]["hits"][0]["code"] == "NAME_IMPERSONATES_MEDIA"
    review = register(api, tenant.key, fine, name="renminribao")
    assert (review.status_code, review.json["status"]) == (201, "UNDER_REVIEW")

    api.call("POST", "/v1/dispositions", key=tenant.key, body={
        "target": {"type": "ACCOUNT", "id": "a-x"}, "type": "BLACKLIST", "statement": "device farm",
        "ground": {"article": "PA2020-18(8)", "category": "ACCOUNT_TRADING"}, "automated": True,
        "blacklist": [{"type": "DEVICE", "key": "dev-farm-1"}]})
    device = register(api, tenant.key, fine, name="普通用户四号", device_id="dev-farm-1")
    assert (device.status_code, device.json["error"]["code"]) == (403, "DEVICE_BLACKLISTED")


def test_bursts_from_one_ip_are_throttled_and_repeated_bursts_flag_hoarding(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={"accounts": {
        "velocity": {"ip": {"limit": 2, "window_minutes": 60}}, "hoarding_bursts": 2,
        "max_per_subject": {"PERSON": 100}}})
    subject_id = subject(api, tenant.key)
    codes = [register(api, tenant.key, subject_id, name=f"普通用户{n}", registration_ip="198.51.100.9").status_code
             for n in range(4)]
    assert codes == [201, 201, 429, 429]
    throttled = register(api, tenant.key, subject_id, name="普通用户九", registration_ip="198.51.100.9")
    assert throttled.json["error"]["code"] == "REGISTRATION_VELOCITY_IP"
    assert int(throttled.headers["Retry-After"]) <= 3600 and throttled.json["error"]["details"]["hoarding_flagged"]
    assert api.call("GET", f"/v1/subjects/{subject_id}/accounts", key=tenant.key).json["hoarding_flag"] is True
    assert register(api, tenant.key, subject_id, name="普通用户十", registration_ip="198.51.100.10").status_code == 201


@pytest.mark.parametrize("path", ["/v1/accounts/acc_" + "0" * 20, "/v1/accounts/nope"])
def test_unknown_accounts_are_404(api, tenant, path):
    response = api.call("GET", path, key=tenant.key)
    assert (response.status_code, response.json["error"]["code"]) == (404, "ACCOUNT_NOT_FOUND")


def test_registrations_per_phone_are_throttled_and_the_phone_is_never_stored(api, tenant, backend):
    import boto3

    from chalicelib.core.config import settings

    api.call("PUT", "/v1/policy", key=tenant.key, body={"accounts": {"velocity": {"phone": {"limit": 2,
                                                                                           "window_minutes": 60}}}})
    subject_id = subject(api, tenant.key)
    phone = "+8613912345678"
    codes = [register(api, tenant.key, subject_id, name=f"普通用户{n}", registration_phone=phone).status_code
             for n in "一二三"]
    assert codes == [201, 201, 429]
    items = boto3.client("dynamodb", region_name="cn-north-1").scan(TableName=settings().main_table)["Items"]
    assert "13912345678" not in str(items)
