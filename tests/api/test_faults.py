"""Faults at every step of the multi-write use cases: an AWS call (DynamoDB, KMS, S3, SSM) failing
at the n-th call gives a clean 503, leaves nothing half-written (counters match what exists, the
audit chain holds), and the same request sent again completes exactly once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import Any

from botocore.exceptions import ClientError, ReadTimeoutError

from chalicelib.core import aws, keys, stores
from tests.builders import decide, report, subject

SERVICES = ("dynamodb", "kms", "s3", "ssm")
WRITES = ("Put", "Update", "Delete", "TransactWrite", "BatchWrite", "Upload", "CreateMultipart", "CompleteMultipart",
          "GenerateDataKey", "Encrypt")


def _throttled(operation: str) -> Exception:
    return ClientError({"Error": {"Code": "ThrottlingException", "Message": "injected"}}, operation)


def _server_error(operation: str) -> Exception:
    return ClientError({"Error": {"Code": "InternalServerError", "Message": "injected"},
                        "ResponseMetadata": {"HTTPStatusCode": 500}}, operation)


def _timeout(operation: str) -> Exception:
    return ReadTimeoutError(endpoint_url=f"https://{operation}.injected")


class Faults:
    """Every AWS call the app makes, seen through botocore's before-call event (after botocore's own
    retries would have given up); the n-th after arming fails once: throttled, a 500 or a timeout,
    in turn, so every step meets each kind across a test."""

    KINDS = (_throttled, _server_error, _timeout)

    def __init__(self) -> None:
        """Hooked on this test's clients; conftest drops them (and the hook) after every test."""
        self.armed_at: int | None = None
        self.calls = 0
        self.failed: list[str] = []
        self.operations: list[str] = []
        for service in SERVICES:
            aws.client(service).meta.events.register("before-call", self._before)

    def _before(self, model: Any, **_: Any) -> None:
        self.calls += 1
        self.operations.append(model.name)
        if self.armed_at is not None and self.calls == self.armed_at:
            self.armed_at = None
            self.failed.append(model.name)
            raise self.KINDS[len(self.failed) % len(self.KINDS)](model.name)

    def count(self, action: Callable[[Any], Any]) -> int:
        """Calls a warm run makes (the first run fills per-container caches)."""
        action(0)
        self.calls, self.operations = 0, []
        action(1)
        return self.calls

    def write_steps(self, action: Callable[[Any], Any]) -> list[int]:
        """The steps of a warm run worth failing when it makes many calls of a few kinds (a file upload
        repeated per file): the first call of each kind, and the last of each kind that writes."""
        self.count(action)
        first = {op: n for n, op in reversed(list(enumerate(self.operations, start=1)))}
        last = {op: n for n, op in enumerate(self.operations, start=1) if op.startswith(WRITES)}
        return sorted(set(first.values()) | set(last.values()))

    def fail_at(self, n: int) -> None:
        self.calls, self.armed_at = 0, n


def unavailable(answer: Any) -> bool:
    """A clean refusal: 503 in the error envelope, with Retry-After, never a 500."""
    return (answer.status_code == 503 and answer.json["error"]["code"].endswith("_UNAVAILABLE")
            and int(answer.headers["Retry-After"]) > 0)


def chain_holds(api, key) -> bool:
    return api.call("POST", "/v1/audit/verify", key=key, body={}).json["verified"]


def accounts_of(tenant_id: str, subject_id: str) -> tuple[int, int]:
    """(the subject's counter, the accounts under it that are not cancelled)."""
    table = stores.main_table()
    counter = table.get({"PK": keys.subject_pk(tenant_id, subject_id), "SK": "ACCOUNTS"}, consistent=True) or {}
    listed = list(table.query(KeyConditionExpression="PK = :pk AND begins_with(SK, :a)",
                              values={":pk": keys.subject_pk(tenant_id, subject_id), ":a": "ACCOUNT#"}))
    return int(counter.get("accounts", 0)), sum(item.get("status") != "CANCELLED" for item in listed)


def test_registration_fails_cleanly_at_every_step_and_a_retry_registers_once(api, tenant):
    subject_id = subject(api, tenant.key)
    api.call("PUT", "/v1/policy", key=tenant.key, body={"accounts": {"velocity": {
        "ip": {"limit": 100, "window_minutes": 60}, "device": {"limit": 100, "window_minutes": 60}}}})
    faults = Faults()
    body = {"subject_id": subject_id, "account_type": "USER", "name": "普通用户", "external_id": "ext-0",
            "registration_ip": "198.51.100.1", "device_id": "device-1"}
    steps = faults.count(lambda k: api.call("POST", "/v1/accounts", key=tenant.key,
                                            body={**body, "external_id": f"x{k}"}))
    assert steps >= 2
    for n in range(1, steps + 1):
        attempt = {**body, "external_id": f"ext-{n}"}
        faults.fail_at(n)
        failed = api.call("POST", "/v1/accounts", key=tenant.key, body=attempt)
        assert unavailable(failed), (n, failed.json)
        counted, existing = accounts_of(tenant.tenant_id, subject_id)
        assert counted == existing, n  # never a counted slot without its account, nor the reverse
        retried = api.call("POST", "/v1/accounts", key=tenant.key, body=attempt)
        assert retried.status_code == 201, (n, retried.json)
    assert accounts_of(tenant.tenant_id, subject_id) == (steps + 2, steps + 2)
    assert chain_holds(api, tenant.key)


def test_a_report_fails_cleanly_and_a_keyed_retry_files_it_once(api, tenant):
    faults = Faults()
    sealed = {"anonymous": True, "contact": "13912345678"}  # the contact is sealed under KMS: one more service
    steps = faults.count(lambda k: report(api, tenant.key, f"post-count-{k}", reporter=sealed,
                                          headers={"Idempotency-Key": f"count-{k}"}))
    replay_record_failed = 0
    for n in range(1, steps + 1):
        headers = {"Idempotency-Key": f"report-{n}"}
        faults.fail_at(n)
        failed = report(api, tenant.key, f"post-{n}", reporter=sealed, headers=headers)
        if failed.status_code == 201:  # the fault hit only the replay record, after the report was filed
            replay_record_failed += 1
            retried = report(api, tenant.key, f"post-{n}", reporter=sealed, headers=headers)
            assert (retried.status_code, retried.json["error"]["code"]) == (409, "IDEMPOTENCY_IN_PROGRESS"), n
            case_id = failed.json["case_id"]
        else:
            assert unavailable(failed), (n, failed.json)
            first = report(api, tenant.key, f"post-{n}", reporter=sealed, headers=headers)
            again = report(api, tenant.key, f"post-{n}", reporter=sealed, headers=headers)
            assert first.status_code == 201 and first.json == again.json, n
            case_id = first.json["case_id"]
        case = api.call("GET", f"/v1/cases/{case_id}", key=tenant.key).json
        listed = api.call("GET", f"/v1/cases/{case_id}/reports", key=tenant.key).json["items"]
        assert case["reports"] == len(listed) == 1, n  # filed once, whichever call failed
    assert replay_record_failed == 1 and "GenerateDataKey" in faults.failed, faults.failed
    assert chain_holds(api, tenant.key)


def test_a_decision_fails_cleanly_and_repeating_it_applies_its_dispositions_once(api, tenant):
    faults = Faults()
    dispositions = [{"target": {"type": "ACCOUNT", "id": "acct-x"}, "type": "SUSPEND_PUBLISHING", "automated": False,
                     "statement": "刷屏", "ground": {"article": "PA2020-19", "category": "SPAM"}}]
    probes = [report(api, tenant.key, f"acct-probe-{k}", target_type="ACCOUNT", reporter={"account_id": "r-0"}).json
              for k in range(2)]
    steps = faults.count(lambda k: decide(api, tenant.key, probes[k]["case_id"], outcome="VIOLATION",
                                          dispositions=[{**dispositions[0], "target": {"type": "ACCOUNT", "id": "p"}}]))
    for n in range(1, steps + 1):
        target = f"acct-{n}"
        receipts = [report(api, tenant.key, target, target_type="ACCOUNT", reporter={"account_id": f"r-{k}"}).json
                    for k in range(2)]
        case_id = receipts[0]["case_id"]
        chosen = [{**dispositions[0], "target": {"type": "ACCOUNT", "id": target}}]
        faults.fail_at(n)
        failed = decide(api, tenant.key, case_id, outcome="VIOLATION", dispositions=chosen)
        assert unavailable(failed), (n, failed.json)
        done = decide(api, tenant.key, case_id, outcome="VIOLATION", dispositions=chosen)
        assert done.status_code == 200 and done.json["effects_status"] == "COMPLETE", (n, done.json)
        assert done.json["feedback"] == {"reports": 2, "answered": 2}
        restrictions = api.call("GET", f"/v1/accounts/{target}/restrictions", key=tenant.key).json["restrictions"]
        assert len(restrictions) == 1, n  # applied once, whichever step failed
        for k in range(2):
            items = api.call("GET", f"/v1/reporters/r-{k}/feedback", key=tenant.key).json["items"]
            assert sum(i["report_id"] == receipts[k]["report_id"] for i in items) == 1, n
    assert chain_holds(api, tenant.key)


def test_a_group_join_fails_cleanly_at_every_step(api, tenant):
    founder = subject(api, tenant.key, seed=1)
    members = [subject(api, tenant.key, seed=10 + n) for n in range(9)]
    group_id = api.call("POST", "/v1/groups", key=tenant.key, body={
        "founder_subject_id": founder, "group_type": "PRIVATE", "name": "读书交流群"}).json["group_id"]
    faults = Faults()
    steps = faults.count(lambda k: api.call("POST", f"/v1/groups/{group_id}/members", key=tenant.key,
                                            body={"subject_id": members[k]}))
    for n in range(1, min(steps, len(members) - 2) + 1):
        faults.fail_at(n)
        failed = api.call("POST", f"/v1/groups/{group_id}/members", key=tenant.key,
                          body={"subject_id": members[n + 1]})
        assert unavailable(failed), (n, failed.json)
        group = api.call("GET", f"/v1/groups/{group_id}", key=tenant.key).json
        listed = api.call("GET", f"/v1/groups/{group_id}/members", key=tenant.key).json["items"]
        assert group["members"] == len(listed), n
        assert api.call("POST", f"/v1/groups/{group_id}/members", key=tenant.key,
                        body={"subject_id": members[n + 1]}).status_code == 201
    assert chain_holds(api, tenant.key)


def test_a_verification_fails_cleanly_at_every_step_and_a_keyed_retry_verifies_once(api, tenant):
    import random

    from tests import factories
    from tests.api.test_identity_verification import person, verify

    faults = Faults()
    numbers = [factories.resident_id(random.Random(500 + k)) for k in range(40)]
    steps = faults.count(lambda k: verify(api, tenant.key, person(numbers[k]), **{"Idempotency-Key": f"count-{k}"}))
    assert steps <= len(numbers) - 2
    for n in range(1, steps + 1):
        body, headers = person(numbers[n + 1]), {"Idempotency-Key": f"verify-{n}"}
        faults.fail_at(n)
        failed = verify(api, tenant.key, body, **headers)
        if failed.status_code == 201:  # only the replay record failed
            retried = verify(api, tenant.key, body, **headers)
            assert (retried.status_code, retried.json["error"]["code"]) == (409, "IDEMPOTENCY_IN_PROGRESS"), n
            subject_id = failed.json["subject_id"]
        else:
            assert unavailable(failed), (n, failed.json)
            first, again = verify(api, tenant.key, body, **headers), verify(api, tenant.key, body, **headers)
            assert first.status_code == 201 and first.json == again.json, (n, first.json)
            subject_id = first.json["subject_id"]
        subject = api.call("GET", f"/v1/identity/subjects/{subject_id}", key=tenant.key).json
        assert subject["status"] == "VERIFIED", n
    assert {"GenerateDataKey", "TransactWriteItems"} <= set(faults.failed), faults.failed
    assert chain_holds(api, tenant.key)


def test_an_appeal_and_its_overturning_fail_cleanly_at_every_step(api, tenant):
    from tests.api.test_appeals import appeal, disposed_case, new_account
    from tests.builders import verified_subject

    faults = Faults()

    def appealed(k: int) -> dict:
        """A case that closed an account and blacklisted its (fresh) subject."""
        subject_id, _ = verified_subject(api, tenant.key, seed=900 + k)
        account_id = new_account(api, tenant.key, subject_id, f"分享小屋{k}")
        return {"case": disposed_case(api, tenant.key, subject_id, account_id), "subject_id": subject_id}

    cases = [appealed(k) for k in range(2)]
    filing_steps = faults.write_steps(lambda k: appeal(api, tenant.key, cases[k]["case"]["case_id"],
                                                       cases[k]["subject_id"]))
    assert "TransactWriteItems" in [faults.operations[n - 1] for n in filing_steps]
    for n in filing_steps:
        fresh = appealed(10 + n)
        faults.fail_at(n)
        failed = appeal(api, tenant.key, fresh["case"]["case_id"], fresh["subject_id"])
        assert unavailable(failed), (n, failed.json)
        assert not [a for a in api.call("GET", "/v1/appeals?limit=100", key=tenant.key).json["items"]
                    if a["case_id"] == fresh["case"]["case_id"]], n  # no appeal half-filed
        assert appeal(api, tenant.key, fresh["case"]["case_id"], fresh["subject_id"]).status_code == 201, n

    overturn = {"outcome": "OVERTURNED", "statement": "核实为盗号，撤销处置。"}
    pending = {a["case_id"]: a["appeal_id"] for a in api.call("GET", "/v1/appeals?limit=100",
                                                              key=tenant.key).json["items"]}
    decided = [pending[c["case"]["case_id"]] for c in cases]
    decision_steps = faults.write_steps(lambda k: api.call("POST", f"/v1/appeals/{decided[k]}/decision",
                                                           key=tenant.key, body=overturn))
    committed_at = faults.operations.index("TransactWriteItems") + 1
    for n in decision_steps:
        fresh = appealed(100 + n)
        appeal_id = appeal(api, tenant.key, fresh["case"]["case_id"], fresh["subject_id"]).json["appeal_id"]
        faults.fail_at(n)
        failed = api.call("POST", f"/v1/appeals/{appeal_id}/decision", key=tenant.key, body=overturn)
        if n > committed_at:  # bookkeeping after the commit failed: the decision stands and is answered
            assert failed.status_code == 200 and failed.json["status"] == "OVERTURNED", (n, failed.json)
            continue
        assert unavailable(failed), (n, failed.json)
        still = api.call("GET", f"/v1/appeals/{appeal_id}", key=tenant.key).json
        in_force = [api.call("GET", f"/v1/dispositions/{d}", key=tenant.key).json["status"]
                    for d in fresh["case"]["decision"]["disposition_ids"]]
        assert still["status"] == "PENDING" and set(in_force) == {"ACTIVE"}, (n, still, in_force)  # all or nothing
        done = api.call("POST", f"/v1/appeals/{appeal_id}/decision", key=tenant.key, body=overturn)
        assert done.status_code == 200, (n, done.json)
        assert sorted(done.json["reversed"]) == sorted(fresh["case"]["decision"]["disposition_ids"]), n
    assert chain_holds(api, tenant.key)


def test_a_cancellation_fails_cleanly_at_every_step_and_a_retry_cancels_once(api, tenant):
    from tests.builders import register

    api.call("PUT", "/v1/policy", key=tenant.key, body={"accounts": {"max_per_subject": {"PERSON": 50}}})
    faults = Faults()
    owners = [subject(api, tenant.key, seed=300 + k) for k in range(2)]
    probes = [register(api, tenant.key, owners[k], name=f"注销探针{k}").json["account_id"] for k in range(2)]
    steps = faults.count(lambda k: api.call("POST", f"/v1/accounts/{probes[k]}/cancellation", key=tenant.key,
                                            body={"reason": "用户申请注销"}))
    for n in range(1, steps + 1):
        owner = subject(api, tenant.key, seed=400 + n)
        kept, cancelled = (register(api, tenant.key, owner, name=f"普通用户{n}{k}").json["account_id"] for k in "甲乙")
        for account_id, expect_erased in ((cancelled, False), (kept, True)):  # the last one erases identity data
            faults.fail_at(n)
            failed = api.call("POST", f"/v1/accounts/{account_id}/cancellation", key=tenant.key,
                              body={"reason": "注销"})
            assert unavailable(failed), (n, failed.json)
            counted, existing = accounts_of(tenant.tenant_id, owner)
            assert counted == existing, n  # the slot and the account change together or not at all
            assert api.call("GET", f"/v1/accounts/{account_id}", key=tenant.key).json["status"] != "CANCELLED", n
            done = api.call("POST", f"/v1/accounts/{account_id}/cancellation", key=tenant.key, body={"reason": "注销"})
            assert done.status_code == 200 and done.json["subject_pii_erased"] is expect_erased, (n, done.json)
    assert chain_holds(api, tenant.key)


def test_a_transfer_completion_fails_cleanly_at_every_step(api, tenant):
    from datetime import datetime, timedelta

    from chalicelib.core import clock
    from tests.api.test_transfers import apply
    from tests.builders import register

    faults = Faults()
    buyer = subject(api, tenant.key, seed=600)
    api.call("PUT", "/v1/policy", key=tenant.key, body={"accounts": {"max_per_subject": {"PERSON": 50}}})

    def announced(k: int) -> tuple[str, str, str]:
        owner = subject(api, tenant.key, seed=700 + k)
        account_id = register(api, tenant.key, owner, name=f"转让资讯{k}号",
                              account_type="PUBLIC_ACCOUNT").json["account_id"]
        transfer_id = apply(api, tenant.key, account_id, buyer).json["transfer_id"]
        api.call("POST", f"/v1/transfers/{transfer_id}/announcement", key=tenant.key,
                 body={"text": "本账号将迁移至新主体", "url": "https://example.com/notice"})
        return owner, account_id, transfer_id

    ready = [announced(k) for k in range(2)]
    clock.set_source((datetime.now(UTC) + timedelta(days=31)).timestamp)
    steps = faults.count(lambda k: api.call("POST", f"/v1/transfers/{ready[k][2]}/completion", key=tenant.key))
    for n in range(1, steps + 1):
        clock.set_source(None)
        owner, account_id, transfer_id = announced(10 + n)
        clock.set_source((datetime.now(UTC) + timedelta(days=31)).timestamp)
        faults.fail_at(n)
        failed = api.call("POST", f"/v1/transfers/{transfer_id}/completion", key=tenant.key)
        assert unavailable(failed), (n, failed.json)
        assert api.call("GET", f"/v1/accounts/{account_id}", key=tenant.key).json["subject_id"] == owner, n
        assert accounts_of(tenant.tenant_id, owner) == (1, 1), n
        done = api.call("POST", f"/v1/transfers/{transfer_id}/completion", key=tenant.key)
        assert done.status_code == 200 and done.json["status"] == "COMPLETED", (n, done.json)
        assert accounts_of(tenant.tenant_id, owner) == (0, 0), n
    assert accounts_of(tenant.tenant_id, buyer)[0] == accounts_of(tenant.tenant_id, buyer)[1] == steps + 2
    assert chain_holds(api, tenant.key)


def test_an_avatar_read_from_storage_fails_cleanly(api, tenant):
    import boto3

    from chalicelib.core.config import settings
    from tests.images import encode, logo

    key = f"uploads/{tenant.tenant_id}/avatar.png"
    boto3.client("s3", region_name="cn-north-1").put_object(Bucket=settings().filings_bucket, Key=key,
                                                           Body=encode(logo(1)))
    faults = Faults()
    body = {"s3_key": key}
    steps = faults.count(lambda k: api.call("POST", "/v1/avatars/check", key=tenant.key, body=body))
    assert "GetObject" in faults.operations
    for n in range(1, steps + 1):
        faults.fail_at(n)
        failed = api.call("POST", "/v1/avatars/check", key=tenant.key, body=body)
        assert unavailable(failed), (n, failed.json)
        assert api.call("POST", "/v1/avatars/check", key=tenant.key, body=body).status_code == 200, n
    missing = api.call("POST", "/v1/avatars/check", key=tenant.key, body={**body, "s3_key": key + ".gone"})
    assert (missing.status_code, missing.json["error"]["code"]) == (404, "S3_OBJECT_NOT_FOUND")
