"""Six-month user logs (MB2018-16, GR2017-13, PA2017-16).

A batch of up to 500 events is checked event by event: a bad event is reported by its index and
the good ones are stored (BatchWriteItem, 25 a call, unprocessed ones retried with backoff);
anything the store still would not take is reported back as failed, never dropped silently.
Each event expires `retention.log_days` after it happened (at least 180; default 183); reads
filter expired events because DynamoDB deletes them up to ~48 h late. An event's key includes
the platform's event id (or a digest of the event), so re-sending a batch does not duplicate it.
Each batch also moves the accounts' `last_active_at` forward, for the inactivity rule (PA2020-10).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core import clock, keys, policy, stores, validation
from chalicelib.core.config import settings
from chalicelib.core.dynamo import Table, error_code


def _records() -> Table:
    return Table(settings().records_table)


def _event_id(event: dict[str, Any]) -> str:
    if event.get("event_id"):
        return event["event_id"]
    return "h" + hashlib.sha256(json.dumps(event, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:31]


def content_index(tenant_id: str, content_sha256: str) -> str:
    return keys.tenant_pk(tenant_id, f"CONTENT#{content_sha256}")


def by_content(tenant_id: str, content_sha256: str, limit: int) -> list[dict[str, Any]]:
    """Log events carrying this content hash, earliest first; expired ones filtered."""
    now = int(clock.now_epoch())
    found = []
    for item in _records().query(index="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                 values={":pk": content_index(tenant_id, content_sha256)}):
        if item.get("ttl", now + 1) > now:
            found.append(item)
        if len(found) >= limit:
            break
    return found


def ingest(tenant_id: str, events: list[Any]) -> dict[str, Any]:
    days = policy.setting(tenant_id, "retention", "log_days")
    rejected, items, positions = [], [], []
    for index, event in enumerate(events):
        event, found = validation.admit("log_event.json", event)  # checked on its own, `at` made UTC Z
        if found:
            rejected.append({"index": index, "errors": found})
            continue
        at = clock.parse(event["at"])
        event_id = _event_id(event)
        item = {"PK": keys.log_pk(tenant_id, event["account_id"]), "SK": f"{clock.iso(at)}#{event_id}",
                **event, "event_id": event_id, "ttl": int((at + timedelta(days=days)).timestamp())}
        if event.get("content_sha256"):  # MB2018-11 tracing back: who published this content, earliest first
            item.update(GSI1PK=content_index(tenant_id, event["content_sha256"]),
                        GSI1SK=f"{clock.iso(at)}#{event['account_id']}#{event_id}")
        items.append(item)
        positions.append(index)
    unwritten = _records().batch_put(items)
    failed = [{"index": positions[n], "code": "STORE_THROTTLED"} for n in unwritten]
    stored = [items[n] for n in range(len(items)) if n not in set(unwritten)]
    _touch_accounts(tenant_id, stored)
    return {"received": len(events), "stored": len(stored), "rejected": rejected, "failed": failed}


def _touch_accounts(tenant_id: str, stored: list[dict[str, Any]]) -> None:
    latest: dict[str, str] = {}
    for item in stored:
        latest[item["account_id"]] = max(latest.get(item["account_id"], ""), item["at"])
    for account_id, at in latest.items():
        try:
            touch(tenant_id, account_id, at)
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise


def touch(tenant_id: str, account_id: str, at: str) -> None:
    """Move `last_active_at` forward (never back), keeping the account in the activity index of the
    inactivity sweep (PA2020-10); raises ConditionalCheckFailed when `at` is not newer."""
    stores.main_table().update(
        keys.account_activity(tenant_id, account_id), UpdateExpression="SET last_active_at = :at, GSI1PK = :pk, GSI1SK = :sk",
        ConditionExpression="attribute_not_exists(last_active_at) OR last_active_at < :at",
        values={":at": at, ":pk": keys.tenant_pk(tenant_id, "ACTIVITY"), ":sk": f"{at}#{account_id}"})


def listing(tenant_id: str, account_id: str, since: str | None, until: str | None, limit: int,
            cursor: str | None) -> dict[str, Any]:
    partition = keys.log_pk(tenant_id, account_id)
    now = int(clock.now_epoch())
    items, next_cursor = _records().page(
        partition=("PK", partition), limit=limit, cursor=cursor,
        KeyConditionExpression="PK = :pk AND SK BETWEEN :from AND :to", FilterExpression="#ttl > :now",
        ExpressionAttributeNames={"#ttl": "ttl"},
        values={":pk": partition, ":from": since or "0", ":to": (until or "9") + "~", ":now": now})
    return {"items": [_view(i) for i in items], "next_cursor": next_cursor}


_FIELDS = ("event_id", "account_id", "type", "at", "ip", "device_id", "group_id", "content_ref", "content_sha256")


def _view(item: dict[str, Any]) -> dict[str, Any]:
    found = {k: item[k] for k in _FIELDS if k in item}
    found["expires_at"] = clock.iso(datetime.fromtimestamp(item["ttl"], tz=clock.now().tzinfo))
    return found
