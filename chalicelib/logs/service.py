"""Six-month user logs (MB2018-16, GR2017-13, PA2017-16).

A batch of up to 500 events is checked event by event: a bad event is reported by its index and
the good ones are stored (BatchWriteItem, 25 a call, unprocessed ones retried with backoff and
jitter); if the store still would not take some, the batch is a 503 and sending it again stores
each event once (core/dynamo.py): nothing is dropped silently.
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

from chalicelib.accounts import store as accounts_store
from chalicelib.core import clock, policy, validation
from chalicelib.logs import store as logs_store


def _event_id(event: dict[str, Any]) -> str:
    if event.get("event_id"):
        return event["event_id"]
    return "h" + hashlib.sha256(json.dumps(event, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:31]


def by_content(tenant_id: str, content_sha256: str, limit: int) -> list[dict[str, Any]]:
    """Log events carrying this content hash, earliest first; expired ones filtered."""
    now = int(clock.now_epoch())
    found = []
    for item in logs_store.store().by_content(tenant_id, content_sha256):
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
        items.append(logs_store.item(tenant_id, {**event, "event_id": event_id}, clock.iso(at),
                                    int((at + timedelta(days=days)).timestamp())))
        positions.append(index)
    unwritten = logs_store.store().put(items)
    failed = [{"index": positions[n], "code": "STORE_THROTTLED"} for n in unwritten]
    stored = [items[n] for n in range(len(items)) if n not in set(unwritten)]
    _touch_accounts(tenant_id, stored)
    return {"received": len(events), "stored": len(stored), "rejected": rejected, "failed": failed}


def _touch_accounts(tenant_id: str, stored: list[dict[str, Any]]) -> None:
    latest: dict[str, str] = {}
    for item in stored:
        latest[item["account_id"]] = max(latest.get(item["account_id"], ""), item["at"])
    accounts = accounts_store.store()
    for account_id, at in latest.items():
        accounts.touch(tenant_id, account_id, at)  # PA2020-10: each batch moves last activity forward, never back


def listing(tenant_id: str, account_id: str, since: str | None, until: str | None, limit: int,
            cursor: str | None) -> dict[str, Any]:
    items, next_cursor = logs_store.store().page(tenant_id, account_id, since or "0", until or "9", limit, cursor,
                                       int(clock.now_epoch()))
    return {"items": [_view(i) for i in items], "next_cursor": next_cursor}


_FIELDS = ("event_id", "account_id", "type", "at", "ip", "device_id", "group_id", "content_ref", "content_sha256")


def _view(item: dict[str, Any]) -> dict[str, Any]:
    found = {k: item[k] for k in _FIELDS if k in item}
    found["expires_at"] = clock.iso(datetime.fromtimestamp(item["ttl"], tz=clock.now().tzinfo))
    return found
