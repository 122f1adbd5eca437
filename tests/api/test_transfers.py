"""Account transfers (PA2020-11): application, announcement, completion after the notice period."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from chalicelib.core import clock
from tests.builders import register, subject


def apply(api, key, account_id, transferee):
    return api.call("POST", f"/v1/accounts/{account_id}/transfers", key=key,
                    body={"transferee_subject_id": transferee, "reason": "公司主体变更"})


def test_a_transfer_completes_only_after_its_announcement_and_notice_period(api, tenant):
    owner, buyer = subject(api, tenant.key, seed=1), subject(api, tenant.key, seed=2)
    account_id = register(api, tenant.key, owner, name="示例资讯号", account_type="PUBLIC_ACCOUNT").json["account_id"]
    applied = apply(api, tenant.key, account_id, buyer)
    assert applied.status_code == 201 and applied.json["status"] == "APPLIED"
    transfer = applied.json["transfer_id"]
    twice = apply(api, tenant.key, account_id, buyer)
    assert (twice.status_code, twice.json["error"]["code"]) == (409, "TRANSFER_PENDING")
    early = api.call("POST", f"/v1/transfers/{transfer}/completion", key=tenant.key)
    assert (early.status_code, early.json["error"]["code"]) == (409, "TRANSFER_STATE")
    announced = api.call("POST", f"/v1/transfers/{transfer}/announcement", key=tenant.key,
                         body={"text": "本账号将迁移至新主体", "url": "https://example.com/notice"}).json
    assert announced["announcement"]["notice_days"] == 30
    waiting = api.call("POST", f"/v1/transfers/{transfer}/completion", key=tenant.key)
    assert (waiting.status_code, waiting.json["error"]["code"]) == (409, "TRANSFER_NOTICE_PERIOD")
    clock.set_source((datetime.now(timezone.utc) + timedelta(days=31)).timestamp)
    done = api.call("POST", f"/v1/transfers/{transfer}/completion", key=tenant.key)
    assert done.status_code == 200 and done.json["status"] == "COMPLETED", done.json
    account = api.call("GET", f"/v1/accounts/{account_id}", key=tenant.key).json
    assert account["subject_id"] == buyer and "pending_transfer" not in account
    assert [a["account_id"] for a in api.call("GET", f"/v1/subjects/{buyer}/accounts", key=tenant.key).json["items"]] \
        == [account_id]
    assert api.call("GET", f"/v1/subjects/{owner}/accounts", key=tenant.key).json["accounts"] == 0
    events = [e["type"] for e in api.call("GET", "/v1/audit", key=tenant.key).json["items"]]
    assert [e for e in events if e.startswith("transfer.")] == ["transfer.apply", "transfer.announce",
                                                                "transfer.complete"]


def test_the_transferees_limit_holds(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={"accounts": {"max_per_subject": {"PERSON": 1},
                                                                     "transfer_notice_days": 0}})
    owner, buyer = subject(api, tenant.key, seed=1), subject(api, tenant.key, seed=2)
    account_id = register(api, tenant.key, owner, name="普通用户甲").json["account_id"]
    register(api, tenant.key, buyer, name="普通用户乙")
    transfer = apply(api, tenant.key, account_id, buyer).json["transfer_id"]
    api.call("POST", f"/v1/transfers/{transfer}/announcement", key=tenant.key, body={"text": "公告"})
    refused = api.call("POST", f"/v1/transfers/{transfer}/completion", key=tenant.key)
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "LIMIT_REACHED")
    assert api.call("GET", f"/v1/accounts/{account_id}", key=tenant.key).json["subject_id"] == owner


def test_transfers_to_oneself_or_an_unverified_subject_are_refused(api, tenant):
    owner = subject(api, tenant.key, seed=1)
    account_id = register(api, tenant.key, owner).json["account_id"]
    self_transfer = apply(api, tenant.key, account_id, owner)
    assert (self_transfer.status_code, self_transfer.json["error"]["code"]) == (422, "TRANSFER_TO_SELF")
    assert apply(api, tenant.key, account_id, "sub_" + "0" * 40).status_code == 404
    assert api.call("GET", "/v1/transfers/trf_missing", key=tenant.key).status_code == 404
