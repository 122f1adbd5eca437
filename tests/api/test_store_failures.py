"""The data store never fails open and never turns input into a 500.

Under throttling DynamoDB answers a BatchGetItem or BatchWriteItem in part and names the rest as
UnprocessedKeys / UnprocessedItems. A key left unread must never read as "absent": absent means
"not blacklisted" to the blacklist check and the registration gate (GR2017-11, PA2017-13), and an
item left unwritten must never be dropped from the six-month logs (MB2018-16, GR2017-13). The
answer is the whole result or a 503 with Retry-After, never a partial one.

A request DynamoDB refuses as invalid (an item over 400 KB, a key over its size limit, an empty
key) is the client's to fix: a 400, without AWS's own words, which could quote the data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from chalicelib.core import aws, dynamo_batches, keys, stores
from chalicelib.core.dynamo import Table, batch_get_tables
from chalicelib.core.errors import InvalidRequest, ProviderUnavailable
from tests.api.test_logs import event
from tests.api.test_rumours import REFUTATION
from tests.builders import dispose, register, verified_subject

Key = tuple[str, str]


def _plain(wire: dict[str, Any]) -> Key:
    return wire["PK"]["S"], wire["SK"]["S"]


class Unprocessed:
    """DynamoDB leaving part of a batch unprocessed, as it does when throttled, at the botocore level.

    The keys (reads) or put requests (writes) whose (PK, SK) `matches` selects are taken out of the
    request before it is sent and handed back as UnprocessedKeys / UnprocessedItems, in `times`
    calls (None: every call). Hooked on this test's client; conftest drops it after the test."""

    def __init__(self, matches: Callable[[Key], bool], times: int | None = None) -> None:
        self.matches, self.times, self.withheld = matches, times, 0
        events = aws.client("dynamodb").meta.events
        for operation in ("BatchGetItem", "BatchWriteItem"):
            events.register(f"before-parameter-build.dynamodb.{operation}", self._withhold)
            events.register(f"before-call.dynamodb.{operation}", self._skip_if_empty)
            events.register(f"after-call.dynamodb.{operation}", self._hand_back)

    def clear(self) -> None:
        self.times = 0

    def _withhold(self, params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        if self.times is not None and self.times <= 0:
            return
        reads = model.name == "BatchGetItem"
        sent: dict[str, Any] = {}
        held: dict[str, Any] = {}
        for table, part in params["RequestItems"].items():
            asked = part["Keys"] if reads else part
            kept = [r for r in asked if not self.matches(_plain(r if reads else r["PutRequest"]["Item"]))]
            taken = [r for r in asked if r not in kept]
            if kept:
                sent[table] = {**part, "Keys": kept} if reads else kept
            if taken:
                held[table] = {**part, "Keys": taken} if reads else taken
        if held:
            self.withheld += 1
            if self.times is not None:
                self.times -= 1
        params["RequestItems"] = sent
        context["withheld"], context["nothing_sent"] = held, not sent

    def _skip_if_empty(self, context: dict[str, Any], **_: Any) -> Any:
        if context.get("nothing_sent"):
            return AWSResponse("https://dynamodb.injected", 200, {}, None), {"Responses": {}}
        return None

    def _hand_back(self, parsed: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        held = context.get("withheld")
        if held:
            parsed["UnprocessedKeys" if model.name == "BatchGetItem" else "UnprocessedItems"] = held


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The backoff's pauses, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(dynamo_batches, "sleep", slept.append)
    return slept


def assert_unavailable(answer: Any) -> None:
    assert answer.status_code == 503, answer.json
    assert answer.json["error"]["code"] == "STORE_UNAVAILABLE"
    assert answer.headers["Retry-After"]


def listed_subject(api: Any, key: str, seed: int = 1) -> str:
    subject_id, _ = verified_subject(api, key, seed=seed)
    listed = dispose(api, key, target={"type": "SUBJECT", "id": subject_id}, type="BLACKLIST",
                     ground={"article": "GR2017-11", "category": "FRAUD"})
    assert listed.status_code == 201, listed.json
    return subject_id


def blacklist_entry(pk_sk: Key) -> bool:
    return "#BL#" in pk_sk[0]


# -- 1. batch reads and writes: all or 503 -------------------------------------------------------


def test_a_listed_subject_whose_entry_stays_unprocessed_is_a_503_never_not_listed(api, tenant, sleeps):
    # GIVEN a blacklisted subject, and DynamoDB leaving every blacklist key unprocessed
    subject_id = listed_subject(api, tenant.key)
    Unprocessed(blacklist_entry)
    # WHEN the platform checks it, alone and among other keys
    alone = api.call("POST", "/v1/blacklist/check", key=tenant.key, body={"items": [
        {"type": "REGISTRATION_SUBJECT", "key": subject_id}]})
    among = api.call("POST", "/v1/blacklist/check", key=tenant.key, body={"keys": {
        "PUBLIC_ACCOUNT": ["acct-1", "acct-2"], "REGISTRATION_SUBJECT": [subject_id]}})
    # THEN the answer is a 503 to retry, never "no hits"
    assert_unavailable(alone)
    assert_unavailable(among)
    # AND the retries backed off within a bounded time before giving up
    assert 0 < len(sleeps) <= 2 * 8 and all(0 <= s <= 1.0 for s in sleeps)


def test_an_entry_unprocessed_once_is_asked_again_and_found(api, tenant, sleeps):
    # GIVEN a blacklisted subject, and DynamoDB leaving its key unprocessed on the first call only
    subject_id = listed_subject(api, tenant.key)
    unprocessed = Unprocessed(blacklist_entry, times=1)
    # WHEN the platform checks it with a clean key
    answer = api.call("POST", "/v1/blacklist/check", key=tenant.key, body={"items": [
        {"type": "PUBLIC_ACCOUNT", "key": "acct-clean"}, {"type": "REGISTRATION_SUBJECT", "key": subject_id}]})
    # THEN the retry finds it: the hit is reported, after one pause
    assert answer.status_code == 200, answer.json
    assert [h["index"] for h in answer.json["hits"]] == [1] and unprocessed.withheld == 1
    assert len(sleeps) == 1


REGISTRATION_READS: dict[str, Callable[[Key], bool]] = {
    "subject": lambda k: k[1] == "SUBJECT",
    "restriction summary": lambda k: k[1] == "SUMMARY",
    "subject blacklist entry": lambda k: "#BL#REGISTRATION_SUBJECT#" in k[0],
    "device blacklist entry": lambda k: "#BL#DEVICE#" in k[0],
    "lexicon version": lambda k: k[0].endswith("#NAMES") and k[1] == "VERSION",
    "audit chain head": lambda k: k[1] == "HEAD",
}


def accounts_of(subject_id: str) -> list[dict[str, Any]]:
    return list(stores.main_table().query(KeyConditionExpression="PK = :pk AND begins_with(SK, :account)",
                                          values={":pk": keys.subject_pk("acme", subject_id), ":account": "ACCOUNT#"}))


@pytest.mark.parametrize("read", list(REGISTRATION_READS))
def test_a_registration_read_left_unprocessed_is_a_503_and_no_account_is_created(api, tenant, sleeps, read):
    # GIVEN a verified subject and a device, and one of the registration's reads left unprocessed every time
    subject_id, _ = verified_subject(api, tenant.key, seed=7)
    Unprocessed(REGISTRATION_READS[read])
    # WHEN the platform registers an account for it
    answer = register(api, tenant.key, subject_id, device_id="dev-1")
    # THEN the answer is a 503, and nothing was registered
    assert_unavailable(answer)
    assert accounts_of(subject_id) == []


def test_a_listed_subject_is_refused_registration_however_its_entry_is_throttled(api, tenant, sleeps):
    # GIVEN a blacklisted subject
    subject_id = listed_subject(api, tenant.key, seed=5)
    # WHEN its blacklist entry and restriction summary (which also refuses it) stay unprocessed,
    # THEN registration is a 503 and creates nothing
    unprocessed = Unprocessed(lambda k: "#BL#" in k[0] or k[1] == "SUMMARY")
    assert_unavailable(register(api, tenant.key, subject_id))
    assert accounts_of(subject_id) == []
    # WHEN it is unprocessed once only, THEN the retry reads it and registration is refused for it
    unprocessed.times = 1
    refused = register(api, tenant.key, subject_id)
    assert (refused.status_code, refused.json["error"]["code"]) == (403, "SUBJECT_BLACKLISTED")
    assert accounts_of(subject_id) == []


def logged(api: Any, key: str, account: str) -> list[str]:
    return [e["event_id"] for e in api.call("GET", f"/v1/logs?account_id={account}", key=key).json["items"]]


def test_log_events_left_unwritten_are_a_503_and_sending_again_stores_each_once(api, tenant, sleeps):
    # GIVEN DynamoDB leaving every write of account b's log items unprocessed
    unprocessed = Unprocessed(lambda k: "#LOG#b" in k[0])
    batch = {"events": [event(1, account="a"), event(2, account="b"), event(3, account="b")]}
    # WHEN the platform sends a batch with events of a and b
    answer = api.call("POST", "/v1/logs", key=tenant.key, body=batch)
    # THEN the batch is a 503 to send again, not a success that lost b's events
    assert_unavailable(answer)
    # WHEN the store recovers and the batch is sent again
    unprocessed.clear()
    again = api.call("POST", "/v1/logs", key=tenant.key, body=batch)
    # THEN every event is stored, each once
    assert (again.status_code, again.json["stored"], again.json["failed"]) == (200, 3, [])
    assert (logged(api, tenant.key, "a"), logged(api, tenant.key, "b")) == (["e1"], ["e2", "e3"])


def test_log_events_unwritten_once_are_written_on_the_retry(api, tenant, sleeps):
    # GIVEN DynamoDB leaving account b's log items unprocessed in one call
    Unprocessed(lambda k: "#LOG#b" in k[0], times=1)
    # WHEN a batch of 60 events (three BatchWriteItem calls) is sent
    batch = {"events": [event(n, account="ab"[n % 2]) for n in range(60)]}
    answer = api.call("POST", "/v1/logs", key=tenant.key, body=batch)
    # THEN all of them are stored
    assert (answer.status_code, answer.json["stored"], answer.json["failed"]) == (200, 60, [])
    assert len(logged(api, tenant.key, "a")) == len(logged(api, tenant.key, "b")) == 30


def test_batch_reads_and_writes_give_everything_or_raise(backend, sleeps):
    # GIVEN 120 stored items (more than one BatchGetItem takes) and a store that leaves the odd ones unprocessed
    table = stores.main_table()
    items = [{"PK": "T#acme#BATCH", "SK": f"{n:03d}", "n": n} for n in range(120)]
    assert table.batch_put(items) == []
    wanted = [{"PK": i["PK"], "SK": i["SK"]} for i in items]
    odd = Unprocessed(lambda k: int(k[1]) % 2 == 1)
    # WHEN they are read or written, THEN the call raises rather than answering in part
    with pytest.raises(ProviderUnavailable) as read:
        table.batch_get(wanted)
    with pytest.raises(ProviderUnavailable) as written:
        table.batch_put(items)
    with pytest.raises(ProviderUnavailable):
        batch_get_tables({table.name: wanted[:3]})
    assert read.value.error_code == written.value.error_code == "STORE_UNAVAILABLE"
    assert read.value.status == 503 and read.value.headers["Retry-After"]
    # WHEN the store recovers, THEN every item comes back, each once, duplicates in the ask included
    odd.clear()
    assert sorted(i["n"] for i in table.batch_get(wanted + wanted[:5])) == list(range(120))


def test_the_backoff_is_exponential_with_full_jitter_and_bounded(backend, sleeps, monkeypatch):
    # GIVEN a store that never processes a key, and the jitter drawing its largest value
    monkeypatch.setattr(dynamo_batches, "jitter", lambda: 1.0)
    Unprocessed(lambda k: True)
    # WHEN one key is read
    with pytest.raises(ProviderUnavailable):
        stores.main_table().batch_get([{"PK": "T#acme#X", "SK": "X"}])
    # THEN it was asked at most 8 times, pausing 25 ms doubling up to 1 s: under 3 s in all
    assert sleeps == [0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.0]
    # AND with full jitter each pause is drawn from [0, that bound]
    sleeps.clear()
    monkeypatch.setattr(dynamo_batches, "jitter", lambda: 0.5)
    with pytest.raises(ProviderUnavailable):
        stores.main_table().batch_get([{"PK": "T#acme#X", "SK": "X"}])
    assert sleeps == [0.0125, 0.025, 0.05, 0.1, 0.2, 0.4, 0.5]


# -- 2. what DynamoDB refuses as invalid is a 400 ------------------------------------------------


def test_a_schema_valid_rumour_too_large_to_store_is_a_400_not_a_500(api, tenant):
    # GIVEN a rumour within its schema (50 samples of 5000 characters) that makes an item over 400 KB
    samples = ["谣" * 5000 for _ in range(50)]
    body = {"claim": "紧急通知：明天全市停水三天", "samples": samples, "refutation": REFUTATION}
    # WHEN it is registered
    answer = api.call("POST", "/v1/rumours", key=tenant.key, raw=json.dumps(body, ensure_ascii=False).encode())
    # THEN it is refused as input, without AWS's own message, and nothing is stored
    assert (answer.status_code, answer.json["error"]["code"]) == (400, "STORE_REJECTED_INPUT"), answer.json
    assert answer.json["error"]["details"] == {"reason": "ITEM_TOO_LARGE"}
    assert "exceeded" not in answer.body.decode()
    assert list(stores.main_table().query(KeyConditionExpression="PK = :pk",
                                          values={":pk": keys.tenant_pk("acme", "RUMOURS")})) == []


BIG = "x" * 410_000


@pytest.mark.parametrize(("operation", "expected"), [
    (lambda t: t.put({"PK": "T#acme#BIG", "SK": "A", "v": BIG}), "ITEM_TOO_LARGE"),
    (lambda t: t.put({"PK": "T#acme#" + "k" * 2048, "SK": "A"}), "KEY_TOO_LONG"),
    (lambda t: t.put({"PK": "T#acme#K", "SK": "s" * 1025}), "KEY_TOO_LONG"),
    (lambda t: t.put({"PK": "", "SK": "A"}), "KEY_EMPTY"),
    (lambda t: t.put({"PK": "T#acme#K", "SK": "A", "GSI1PK": ""}), "KEY_EMPTY"),
    (lambda t: t.get({"PK": "", "SK": "A"}), "KEY_EMPTY"),
    (lambda t: t.update({"PK": "T#acme#BIG", "SK": "A"}, UpdateExpression="SET v = :v", values={":v": BIG}),
     "ITEM_TOO_LARGE"),
    (lambda t: t.batch_put([{"PK": "T#acme#BIG", "SK": "A", "v": BIG}]), "ITEM_TOO_LARGE"),
    (lambda t: t.batch_put([{"PK": "T#acme#" + "k" * 2048, "SK": "A"}]), "KEY_TOO_LONG"),
    (lambda t: t.transact([{"Put": {"Item": {"PK": "T#acme#BIG", "SK": "A", "v": BIG}}}]), "ITEM_TOO_LARGE"),
    (lambda t: t.transact([{"Put": {"Item": {"PK": "T#acme#" + "k" * 2048, "SK": "A"}}}]), "KEY_TOO_LONG"),
], ids=["put-big", "put-long-pk", "put-long-sk", "put-empty-pk", "put-empty-gsi", "get-empty", "update-big",
        "batch-big", "batch-long-pk", "transact-big", "transact-long-pk"])
def test_what_dynamodb_refuses_as_invalid_is_a_400(backend, operation, expected):
    # GIVEN moto's DynamoDB, which refuses these as a ValidationException
    # WHEN the table is asked, THEN the refusal is a 400 naming only its kind
    with pytest.raises(InvalidRequest) as refused:
        operation(stores.main_table())
    assert (refused.value.status, refused.value.error_code) == (400, "STORE_REJECTED_INPUT")
    assert refused.value.details == {"reason": expected}


SECRET = "110105199001011234"
OPERATIONS: dict[str, Callable[[Table], Any]] = {
    "GetItem": lambda t: t.get({"PK": "T#acme#K", "SK": "A"}),
    "PutItem": lambda t: t.put({"PK": "T#acme#K", "SK": "A"}),
    "UpdateItem": lambda t: t.update({"PK": "T#acme#K", "SK": "A"}, UpdateExpression="SET v = :v", values={":v": 1}),
    "Query": lambda t: list(t.query(KeyConditionExpression="PK = :pk", values={":pk": "T#acme#K"})),
    "Query (count)": lambda t: t.count(KeyConditionExpression="PK = :pk", values={":pk": "T#acme#K"}),
    "Query (page)": lambda t: t.page(partition=("PK", "T#acme#K"), limit=5, cursor=None,
                                     KeyConditionExpression="PK = :pk", values={":pk": "T#acme#K"}),
    "BatchGetItem": lambda t: t.batch_get([{"PK": "T#acme#K", "SK": "A"}]),
    "BatchWriteItem": lambda t: t.batch_put([{"PK": "T#acme#K", "SK": "A"}]),
    "TransactWriteItems": lambda t: t.transact([{"Put": {"Item": {"PK": "T#acme#K", "SK": "A"}}}]),
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_every_operation_maps_a_validation_exception_to_a_400_without_echoing_it(backend, name):
    # GIVEN DynamoDB refusing the call with a ValidationException whose message quotes a value
    def refuse(model: Any, **_: Any) -> None:
        raise ClientError({"Error": {"Code": "ValidationException",
                                     "Message": f"One or more parameter values were invalid: {SECRET}"}}, model.name)

    aws.client("dynamodb").meta.events.register("before-call.dynamodb", refuse)
    # WHEN the table is asked
    with pytest.raises(InvalidRequest) as refused:
        OPERATIONS[name](stores.main_table())
    # THEN it is a 400, and the value is nowhere in what the client is shown
    assert (refused.value.status, refused.value.error_code) == (400, "STORE_REJECTED_INPUT")
    assert SECRET not in str(refused.value.envelope())


def test_a_transaction_cancelled_for_a_validation_error_is_a_400_and_for_throttling_a_503(backend):
    # GIVEN DynamoDB cancelling a transaction, once for an invalid item and once because it was throttled
    def cancelled(reason: str) -> Callable[..., None]:
        def raise_it(model: Any, **_: Any) -> None:
            raise ClientError({"Error": {"Code": "TransactionCanceledException", "Message": f"[None, {reason}]"},
                               "CancellationReasons": [{"Code": "None"}, {"Code": reason, "Message": SECRET}]},
                              model.name)
        return raise_it

    events = aws.client("dynamodb").meta.events
    ops = [{"Put": {"Item": {"PK": "T#acme#K", "SK": "A"}}}, {"Put": {"Item": {"PK": "T#acme#K", "SK": "B"}}}]
    events.register("before-call.dynamodb.TransactWriteItems", cancelled("ValidationError"), unique_id="fault")
    # WHEN it is written, THEN an invalid item is the client's 400, not a condition that failed
    with pytest.raises(InvalidRequest) as refused:
        stores.main_table().transact(ops)
    assert refused.value.error_code == "STORE_REJECTED_INPUT" and SECRET not in str(refused.value.envelope())
    # AND a throttled transaction is a 503 to retry
    events.unregister("before-call.dynamodb.TransactWriteItems", unique_id="fault")
    events.register("before-call.dynamodb.TransactWriteItems", cancelled("ThrottlingError"), unique_id="fault")
    with pytest.raises(ProviderUnavailable):
        stores.main_table().transact(ops)
    # AND a condition that failed still reaches the caller as DynamoDB said it
    events.unregister("before-call.dynamodb.TransactWriteItems", unique_id="fault")
    events.register("before-call.dynamodb.TransactWriteItems", cancelled("ConditionalCheckFailed"), unique_id="fault")
    with pytest.raises(ClientError):
        stores.main_table().transact(ops)
