"""Timestamps: whatever RFC 3339 string a client sends, the API answers 4xx or keeps it in UTC ``Z`` form.

Drawn over years 1..9999 and offsets -23:59..+23:59 (where converting 9999-12-31T23:59:59-01:00 to
UTC overflows `datetime`), on the log, metric and disposition endpoints. The expected instant is
computed here with plain epoch arithmetic, independently of the product's clock module.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import app  # noqa: F401 - declares every operation, for the parametrizations below
from chalicelib.core import clock, keys, validation
from chalicelib.core.config import settings as product_settings
from chalicelib.core.dynamo import Table
from chalicelib.core.operation_spec import OPERATIONS
from chalicelib.metrics.service import series_pk

EPOCH = datetime(1970, 1, 1)
FIRST, LAST = datetime(2000, 1, 1) - EPOCH, datetime(2100, 1, 1) - EPOCH  # the documented range, inclusive
GROUND = {"article": "PA2020-19", "category": "SPAM"}
EXAMPLES = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
unique = itertools.count()


@dataclass(frozen=True)
class Stamp:
    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int
    fraction: str
    offset: str

    @property
    def text(self) -> str:
        return (f"{self.year:04d}-{self.month:02d}-{self.day:02d}T{self.hour:02d}:{self.minute:02d}:"
                f"{self.second:02d}{self.fraction}{self.offset}")

    def since_epoch(self) -> timedelta | None:
        """The instant as time since 1970 in UTC (a timedelta cannot overflow here); None for 30 February."""
        try:
            local = datetime(self.year, self.month, self.day, self.hour, self.minute, self.second)
        except ValueError:
            return None
        micro = int(self.fraction[1:7].ljust(6, "0")) if self.fraction else 0
        shift = timedelta(0) if self.offset == "Z" else (
            (1 if self.offset[0] == "+" else -1) * timedelta(hours=int(self.offset[1:3]), minutes=int(self.offset[4:])))
        return local - EPOCH - shift + timedelta(microseconds=micro)

    def accepted(self) -> str | None:
        """The UTC `Z` form with whole seconds the product must keep, or None when it must refuse."""
        found = self.since_epoch()
        if found is None or not FIRST <= found <= LAST:
            return None
        return (EPOCH + found).strftime("%Y-%m-%dT%H:%M:%SZ")


OFFSETS = st.one_of(st.just("Z"), st.builds(lambda sign, h, m: f"{sign}{h:02d}:{m:02d}",
                                            st.sampled_from("+-"), st.integers(0, 23), st.integers(0, 59)))
STAMPS = st.builds(
    Stamp, year=st.one_of(st.integers(1, 9999), st.sampled_from([1, 1999, 2000, 2026, 2099, 2100, 9999])),
    month=st.one_of(st.integers(1, 12), st.sampled_from([1, 12])),
    day=st.one_of(st.integers(1, 31), st.sampled_from([1, 31])),
    hour=st.one_of(st.integers(0, 23), st.sampled_from([0, 23])), minute=st.integers(0, 59),
    second=st.integers(0, 59), fraction=st.sampled_from(["", ".5", ".000001", ".999999999"]), offset=OFFSETS)
EDGES = ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-23:59",
         "0001-01-01T00:00:00+23:59", "2100-01-01T00:00:00.5Z", "2100-01-01T00:00:00-00:01", "1999-12-31T23:59:59Z"]


def log_event(account: str, at: str, n: int = 0) -> dict:
    return {"event_id": f"e{n}", "account_id": account, "type": "LOGIN", "at": at}


def point(account: str, at: str) -> dict:
    return {"account_id": account, "metric": "FOLLOWERS", "at": at, "value": 10}


def read_logs_at(api, key, account: str, instant: str) -> list[dict]:
    """The account's events read back through the API with the clock at `instant` (so none has expired)."""
    clock.set_source(clock.parse(instant).timestamp)
    try:
        return api.call("GET", f"/v1/logs?account_id={account}&limit=500", key=key).json["items"]
    finally:
        clock.set_source(None)


@given(stamp=STAMPS)
@EXAMPLES
def test_log_events_are_stored_in_utc_or_rejected_by_index_never_500(api, tenant, stamp):
    # GIVEN a batch with a good event and one carrying the drawn timestamp
    account = f"logs-{next(unique)}"
    batch = [log_event(account, "2026-11-20T08:00:00Z", 0), log_event(account, stamp.text, 1)]
    # WHEN it is sent
    answer = api.call("POST", "/v1/logs", key=tenant.key, body={"events": batch})
    # THEN the batch answers 200; the drawn event is kept in UTC Z form or rejected by its index
    assert answer.status_code == 200, (stamp.text, answer.json)
    expected = stamp.accepted()
    if expected is None:
        assert (answer.json["stored"], [r["index"] for r in answer.json["rejected"]]) == (1, [1]), stamp.text
        assert answer.json["rejected"][0]["errors"][0]["path"] == "$.at"
        return
    assert (answer.json["stored"], answer.json["rejected"]) == (2, []), stamp.text
    listed = {e["event_id"]: e["at"] for e in read_logs_at(api, tenant.key, account, expected)}
    assert listed["e1"] == expected, stamp.text


@given(stamp=STAMPS)
@EXAMPLES
def test_metric_readings_are_stored_in_utc_or_the_batch_names_the_index_never_500(api, tenant, stamp):
    account = f"metrics-{next(unique)}"
    answer = api.call("POST", "/v1/metrics", key=tenant.key,
                      body={"points": [point(account, "2026-11-20T08:00:00Z"), point(account, stamp.text)]})
    expected = stamp.accepted()
    if expected is None:
        # the metric batch is validated whole by its schema (400), the details name the reading
        assert (answer.status_code, answer.json["error"]["code"]) == (400, "SCHEMA_VIOLATION"), stamp.text
        assert "$.points[1].at" in [e["path"] for e in answer.json["error"]["details"]["errors"]]
        return
    assert (answer.status_code, answer.json["stored"]) == (200, 2), (stamp.text, answer.json)
    # readings have no read API (only the flags the sweep raises): the series is read from its table
    stored = list(Table(product_settings().records_table).query(
        KeyConditionExpression="PK = :pk", values={":pk": series_pk(tenant.tenant_id, account, "FOLLOWERS")}))
    assert expected in [item["SK"] for item in stored], stamp.text


@given(stamp=STAMPS, hours=st.sampled_from([None, 1, 876_000]))
@EXAMPLES
def test_disposition_windows_are_stored_in_utc_or_refused_never_500(api, tenant, stamp, hours):
    body = {"target": {"type": "ACCOUNT", "id": f"disp-{next(unique)}"}, "type": "WARNING", "ground": GROUND,
            "statement": "repeated spam", "automated": False, "starts_at": stamp.text,
            **({"duration_hours": hours} if hours else {})}
    created = api.call("POST", "/v1/dispositions", key=tenant.key, body=body)
    expected = stamp.accepted()
    if expected is None:
        assert (created.status_code, created.json["error"]["code"]) == (400, "SCHEMA_VIOLATION"), stamp.text
        assert created.json["error"]["details"]["errors"][0]["path"] == "$.starts_at"
        return
    assert created.status_code == 201, (stamp.text, created.json)
    fetched = api.call("GET", f"/v1/dispositions/{created.json['disposition_id']}", key=tenant.key).json
    assert fetched["starts_at"] == expected, stamp.text
    if hours:
        ends = datetime.strptime(expected, "%Y-%m-%dT%H:%M:%SZ") + timedelta(hours=hours)
        assert fetched["ends_at"] == ends.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_bad_events_in_a_batch_of_500_are_rejected_by_their_index_and_the_others_kept(api, tenant):
    # GIVEN 500 events, one at each edge of what datetime can convert (indexes 50, 110, 170, ...)
    clock.set_source(datetime(2026, 11, 21).timestamp)
    events = [log_event("acct-1", "2026-11-20T16:00:00+08:00", n) for n in range(500)]
    bad = {50 + 60 * n: at for n, at in enumerate(EDGES)}
    for index, at in bad.items():
        events[index] = log_event("acct-1", at, index)
    # WHEN the batch is sent
    answer = api.call("POST", "/v1/logs", key=tenant.key, body={"events": events})
    # THEN every other event is stored, in UTC, and each edge is rejected by its index with the reason
    assert answer.status_code == 200, answer.json
    kept = 500 - len(bad)
    assert (answer.json["received"], answer.json["stored"], answer.json["failed"]) == (500, kept, [])
    assert [(r["index"], r["errors"][0]["path"]) for r in answer.json["rejected"]] == [(i, "$.at") for i in bad]
    listed = api.call("GET", "/v1/logs?account_id=acct-1&limit=500", key=tenant.key).json["items"]
    assert len(listed) == kept and {e["at"] for e in listed} == {"2026-11-20T08:00:00Z"}


@pytest.mark.parametrize("at", EDGES)
def test_one_bad_reading_in_a_batch_of_500_is_named_by_its_index(api, tenant, at):
    points = [point(f"acct-{n}", "2026-11-20T16:00:00+08:00") for n in range(500)]
    points[250] = point("acct-250", at)
    answer = api.call("POST", "/v1/metrics", key=tenant.key, body={"points": points})
    # the metric batch contract: validated whole (400), nothing stored, every bad reading named
    assert (answer.status_code, answer.json["error"]["code"]) == (400, "SCHEMA_VIOLATION"), answer.json
    assert [e["path"] for e in answer.json["error"]["details"]["errors"]] == ["$.points[250].at"]
    assert list(Table(product_settings().records_table).query(
        KeyConditionExpression="PK = :pk", values={":pk": series_pk(tenant.tenant_id, "acct-0", "FOLLOWERS")})) == []


def test_an_action_sent_at_plus_eight_just_after_midnight_is_filed_in_the_month_before(api, tenant):
    from chalicelib.filings import export as filings

    # GIVEN an action on content at 07:00 on 1 November, Beijing time: 23:00 on 31 October, UTC
    action = {"content_id": "post-1", "account_id": "acct-1", "action": "DELETE", "category": "RUMOUR",
              "article": "MB2018-12", "at": "2026-11-01T07:00:00+08:00"}
    recorded = api.call("POST", "/v1/content/actions", key=tenant.key, body=action)
    assert (recorded.status_code, recorded.json["at"]) == (201, "2026-10-31T23:00:00Z")
    # WHEN October and November are filed
    clock.set_source(datetime(2026, 12, 2).timestamp)
    october, november = filings.export(tenant.tenant_id, "2026-10"), filings.export(tenant.tenant_id, "2026-11")
    # THEN it is in October's filing only, and October's listing finds it
    assert (october["totals"]["content_actions"], november["totals"]["content_actions"]) == (1, 0)
    listed = api.call("GET", "/v1/content/actions?from=2026-10-01T00:00:00Z&to=2026-10-31T23:59:59Z",
                      key=tenant.key).json["items"]
    assert [a["at"] for a in listed] == ["2026-10-31T23:00:00Z"]


def test_a_window_given_in_two_offsets_is_compared_as_instants(api, tenant):
    # GIVEN a start at +08:00 and an end in UTC 90 minutes later (but earlier as a string)
    body = {"target": {"type": "ACCOUNT", "id": "acct-1"}, "type": "SUSPEND_PUBLISHING", "ground": GROUND,
            "statement": "repeated spam", "automated": False,
            "starts_at": "2026-11-01T07:00:00+08:00", "ends_at": "2026-11-01T00:30:00Z"}
    created = api.call("POST", "/v1/dispositions", key=tenant.key, body=body)
    # THEN it is a valid window, kept in UTC
    assert created.status_code == 201, created.json
    assert (created.json["starts_at"], created.json["ends_at"]) == ("2026-10-31T23:00:00Z", "2026-11-01T00:30:00Z")


def test_query_times_with_an_offset_select_the_same_instants(api, tenant):
    api.call("POST", "/v1/logs", key=tenant.key, body={"events": [log_event("acct-1", "2026-10-31T23:00:00Z")]})
    clock.set_source(datetime(2026, 11, 2).timestamp)
    found = api.call("GET", "/v1/logs?account_id=acct-1&from=2026-11-01T07:00:00%2B08:00"
                            "&to=2026-11-01T07:00:00%2B08:00", key=tenant.key)
    assert [e["at"] for e in found.json["items"]] == ["2026-10-31T23:00:00Z"], found.json


DATE_TIME_QUERIES = sorted((op.operation_id, op.path, param.name) for op in OPERATIONS.values() if op.method == "GET"
                           for param in op.query if param.schema.get("format") == "date-time")


@pytest.mark.parametrize(("operation_id", "path", "name"), DATE_TIME_QUERIES)
@pytest.mark.parametrize("at", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
def test_every_date_time_query_parameter_is_bounded(api, tenant, operation_id, path, name, at):
    sent = path.replace("{", "").replace("}", "") + f"?{name}={at.replace('+', '%2B')}&account_id=acct-1"
    answer = api.call("GET", sent, key=tenant.key)
    assert answer.status_code == 400, (operation_id, answer.json)
    assert f"$.{name}" in [e["path"] for e in answer.json["error"]["details"]["errors"]], answer.json


@given(stamp=STAMPS)
@settings(max_examples=300, deadline=None)
def test_the_precheck_and_jsonschema_agree_on_every_bound(stamp):
    # the precheck checks formatMinimum/formatMaximum itself; jsonschema is the authority
    for name, document in (("log_event.json", log_event("a", stamp.text)),
                           ("metric_batch.json", {"points": [point("a", stamp.text)]})):
        assert validation.precheck(name)(document) == validation.validator(name).is_valid(document), stamp.text
    assert validation.validator("log_event.json").is_valid(log_event("a", stamp.text)) == (stamp.accepted() is not None)


def _date_times(node, path="$"):
    if isinstance(node, dict):
        if node.get("format") == "date-time":
            yield path, node
        for key, child in node.items():
            yield from _date_times(child, f"{path}/{key}")
    elif isinstance(node, list):
        for n, child in enumerate(node):
            yield from _date_times(child, f"{path}/{n}")


REQUEST_SCHEMAS = sorted({op.request_schema for op in OPERATIONS.values() if op.request_schema} | {"log_event.json"})


@pytest.mark.parametrize("name", REQUEST_SCHEMAS)
def test_every_request_timestamp_carries_the_documented_range(name):
    for path, node in _date_times(validation.validator(name).schema):
        assert (node.get("formatMinimum"), node.get("formatMaximum")) == (clock.iso(clock.EARLIEST),
                                                                          clock.iso(clock.LATEST)), (name, path)


def test_the_schema_range_is_the_clock_range():
    accepted = validation.all_schemas()["common.json"]["$defs"]["AcceptedTimestamp"]
    bounds = (accepted["formatMinimum"], accepted["formatMaximum"])
    assert bounds == ("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z")
    assert bounds == (clock.iso(clock.EARLIEST), clock.iso(clock.LATEST))


def test_every_date_time_of_every_schema_refers_to_the_shared_definitions():
    shared = validation.all_schemas()["common.json"]["$defs"]
    for name, schema in validation.all_schemas().items():
        for path, _ in _date_times(schema):
            assert name == "common.json" and path in (f"$/$defs/{d}" for d in ("Timestamp", "AcceptedTimestamp")), (
                name, path)
    assert {"Timestamp", "AcceptedTimestamp"} <= set(shared)


def test_the_stored_key_of_a_log_event_is_its_utc_instant(api, tenant):
    api.call("POST", "/v1/logs", key=tenant.key, body={"events": [log_event("acct-1", "2026-11-01T07:00:00+08:00")]})
    items = list(Table(product_settings().records_table).query(
        KeyConditionExpression="PK = :pk", values={":pk": keys.log_pk(tenant.tenant_id, "acct-1")}))
    assert [(i["SK"].split("#")[0], i["at"]) for i in items] == [("2026-10-31T23:00:00Z", "2026-10-31T23:00:00Z")]


def test_an_anchor_whose_unsealed_time_has_no_utc_form_is_not_trusted_and_not_a_500(api, tenant):
    from chalicelib.audit import anchors
    from tests.api.test_audit_integrity import _empty_anchors, change, run_anchor_job, s3

    # GIVEN an anchored chain whose anchor object was rewritten with a time that overflows in UTC
    # (the anchor's MAC does not cover its time)
    _empty_anchors()
    anchors.forget()
    try:
        change(api, tenant.key, 1)
        assert run_anchor_job() == {"anchored": 1}
        bucket = product_settings().audit_anchor_bucket
        (version,) = s3().list_object_versions(Bucket=bucket, Prefix=f"audit-anchors/{tenant.tenant_id}/")["Versions"]
        body = json.loads(s3().get_object(Bucket=bucket, Key=version["Key"])["Body"].read())
        s3().put_object(Bucket=bucket, Key=version["Key"], ContentType="application/json", ChecksumAlgorithm="SHA256",
                        Body=json.dumps({**body, "at": "9999-12-31T23:59:59-01:00"}).encode())
        anchors.forget()
        # WHEN the chain is verified
        answer = api.call("POST", "/v1/audit/verify", key=tenant.key, body={})
        # THEN the answer is a verdict, and the rewritten anchor is not the one it is held to
        assert answer.status_code == 200, answer.json
        assert (answer.json.get("anchor") or {}).get("at") != "9999-12-31T23:59:59-01:00", answer.json
    finally:
        _empty_anchors()
        anchors.forget()
