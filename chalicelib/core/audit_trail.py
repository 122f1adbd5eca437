"""The audit trail in DynamoDB: a per-tenant hash chain, appended in the same transaction as the
state change it records (GR2017-11, PA2017-11, PA2017-13).

Events live in the records table: PK ``T#{tenant}#AUDIT``, SK ``E#{seq:012d}``; the chain's head
is SK ``HEAD`` ({seq, hash, expires, mac}). `commit` reads the head, writes the caller's operations, the
event and the new head in ONE TransactWriteItems, conditional on the head not having moved, so
concurrent writers cannot fork the chain and a change is never stored without its event; a
writer that lost the race reads the new head and tries again.

The head is sealed: ``mac`` is an HMAC-SHA-256 over (tenant, seq, hash, expires) made by a KMS HMAC key
that only the product's function role may use, so whoever can write the table but not use that key
cannot cut the chain's tail and write a matching head. A writer checks the MAC of the head it builds on
(a forged head would otherwise be sealed by the next write) and refuses to build on a missing or forged
one: the change is answered 503 AUDIT_TRAIL_UNAVAILABLE until an operator restores the head
(chalicelib/audit/repair.py), never chained onto a rewritten history.
"""

from __future__ import annotations

import random
import time
from contextvars import ContextVar
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core import clock, keys
from chalicelib.core.audit_chain import GENESIS, HASHED, Event, digest, expiry
from chalicelib.core.audit_seal import authentic, seal, vouch
from chalicelib.core.config import settings
from chalicelib.core.dynamo import Table
from chalicelib.core.errors import Conflict, ProviderUnavailable

ATTEMPTS = 20
CHAIN_ITEMS = 2  # what commit() adds to a transaction for one event: the event and the head
# Who acts: the API key id of the request, "operator" for the CLI, "system" for schedules.
current_actor: ContextVar[str] = ContextVar("current_actor", default="system")
# Who acted for the platform, as its request said (X-Actor), recorded beside the key id when given.
current_x_actor: ContextVar[str | None] = ContextVar("current_x_actor", default=None)


class ConditionFailed(Exception):
    """A condition on one of the caller's own operations failed (not the chain's)."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


def trail() -> Table:
    return Table(settings().records_table)


def audit_pk(tenant_id: str) -> str:
    return keys.tenant_pk(tenant_id, "AUDIT")


def head(tenant_id: str) -> dict[str, Any] | None:
    return trail().get({"PK": audit_pk(tenant_id), "SK": "HEAD"}, consistent=True)


def newest_stored(tenant_id: str) -> dict[str, Any] | None:
    """The newest event item stored, expired or not, with its seq taken from its key."""
    newest = trail().query(KeyConditionExpression="PK = :pk AND begins_with(SK, :e)", ScanIndexForward=False,
                           Limit=1, ConsistentRead=True, values={":pk": audit_pk(tenant_id), ":e": "E#"})
    item = next(newest, None)
    return {**item, "seq": int(item["SK"][2:])} if item else None


def last_stored_seq(tenant_id: str) -> int | None:
    """A chain exists once it has stored an event, whether that event has expired since or not."""
    item = newest_stored(tenant_id)
    return item["seq"] if item else None


def refused(reason: str, seq: int | None) -> ProviderUnavailable:
    """A write the trail cannot record: the head is missing or forged, so nothing is chained onto it."""
    return ProviderUnavailable(
        "The audit trail's head is missing or not authentic; changes are refused until an operator restores it.",
        message_zh="审计链头缺失或未通过校验；在运维人员恢复之前，拒绝所有变更。", code="AUDIT_TRAIL_UNAVAILABLE",
        article="GR2017-11", details={"reason": reason, "seq": seq}, headers={"Retry-After": "300"})


def _base(tenant_id: str, current: dict[str, Any] | None) -> tuple[int, str, int]:
    """(seq, hash, expiry floor) to append after; a new chain only where no event was ever stored."""
    if current is None:
        stored = last_stored_seq(tenant_id)
        if stored is not None:
            raise refused("HEAD_MISSING", stored)
        return 0, GENESIS, 0
    if not authentic(tenant_id, current):
        raise refused("HEAD_INVALID", current.get("seq") if type(current.get("seq")) is int else None)
    return current["seq"], current["hash"], current["expires"]


def link(tenant_id: str, base: tuple[int, str, int],
         appended: list[Event]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The event items after `base` and the sealed head that names the last of them."""
    seq, prev_hash, floor = base
    now, at, items = int(clock.now_epoch()), clock.iso(), []
    for one in appended:
        seq += 1
        item = {"seq": seq, "prev_hash": prev_hash, "prev_expires": floor, "at": at, "type": one.type,
                "actor": current_actor.get(), "data": one.data}
        if (x_actor := current_x_actor.get()) is not None:
            item["x_actor"] = x_actor
        item["hash"] = prev_hash = digest(item)
        floor = expiry(now + 86400 * one.ttl_days, floor)
        items.append({"PK": audit_pk(tenant_id), "SK": f"E#{seq:012d}", **item, "ttl": floor})
    sealed = {"seq": seq, "hash": prev_hash, "expires": floor, "mac": seal(tenant_id, seq, prev_hash, floor)}
    return items, sealed


_UNREAD: Any = object()


def commit(table: Table, tenant_id: str, ops: list[dict[str, Any]], event: Event | list[Event],
           seen_head: Any = _UNREAD) -> int:
    """Apply `ops` on `table` and append `event` (or several, in order), atomically; the last sequence number.

    `seen_head`: the head as the caller has just read it (saves a round trip); a stale one only
    costs a retry, since the append is conditional on the head."""
    records, appended = trail(), [event] if isinstance(event, Event) else event
    for attempt in range(ATTEMPTS):
        fresh = attempt or seen_head is _UNREAD or seen_head is None  # an eventually consistent "none" is re-read
        current = head(tenant_id) if fresh else seen_head
        items, sealed = link(tenant_id, _base(tenant_id, current), appended)
        moved = ({"ConditionExpression": "attribute_not_exists(PK)"} if current is None else
                 {"ConditionExpression": "seq = :seen", "values": {":seen": current["seq"]}})
        chain = [{"Put": {"TableName": records.name, "Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}
                 for item in items]
        chain.append({"Put": {"TableName": records.name, "Item": {"PK": audit_pk(tenant_id), "SK": "HEAD", **sealed},
                              **moved}})
        try:
            table.transact(ops + chain)
        except ClientError as exc:
            failed = _failed_positions(exc)
            if failed is None:
                raise
            own = [i for i in failed if i < len(ops)]
            if own:
                raise ConditionFailed(own[0]) from exc
            time.sleep(random.uniform(0, 0.005 * attempt))  # another writer moved the head: back off, re-read
            continue
        vouch(tenant_id, sealed)
        return sealed["seq"]
    raise Conflict("The audit trail is busy; retry.", message_zh="审计链正忙，请重试。", code="AUDIT_CONTENDED")


def restore(tenant_id: str, base: tuple[int, str, int], stored: dict[str, Any] | None, event: Event) -> int:
    """Operator path: seal a new head after `base` (an event the caller has verified), appending `event`,
    which records the restoration, in one transaction; the condition is that the head is still the missing
    or forged one the caller saw."""
    records = trail()
    items, sealed = link(tenant_id, base, [event])
    if stored is None:
        unchanged: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(PK)"}
    elif "seq" in stored:
        unchanged = {"ConditionExpression": "seq = :seen", "values": {":seen": stored["seq"]}}
    else:
        unchanged = {"ConditionExpression": "attribute_exists(PK) AND attribute_not_exists(seq)"}
    try:
        records.transact([*({"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}
                            for item in items),
                          {"Put": {"Item": {"PK": audit_pk(tenant_id), "SK": "HEAD", **sealed}, **unchanged}}])
    except ClientError as exc:
        if _failed_positions(exc) is None:
            raise
        raise Conflict("The audit head changed while it was being restored; check it again.",
                       message_zh="恢复期间审计链头已变化；请重新检查。", code="AUDIT_RESTORE_RACED") from exc
    vouch(tenant_id, sealed)
    return sealed["seq"]


def _failed_positions(exc: ClientError) -> list[int] | None:
    if exc.response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return None
    reasons = exc.response.get("CancellationReasons") or []
    return [i for i, reason in enumerate(reasons) if reason.get("Code") not in (None, "None")]


def events(tenant_id: str, from_seq: int, limit: int) -> list[dict[str, Any]]:
    """Up to `limit` events from `from_seq`, oldest first; expired ones filtered (TTL deletes late)."""
    now = clock.now_epoch()
    page: list[dict[str, Any]] = []
    for item in trail().query(KeyConditionExpression="PK = :pk AND SK BETWEEN :from AND :to", Limit=limit,
                              values={":pk": audit_pk(tenant_id), ":from": f"E#{from_seq:012d}", ":to": "E#9"}):
        ttl = item.get("ttl")
        if not isinstance(ttl, (int, float)) or ttl > now:
            # The key is the event's place in the chain; the hashed fields are shown as stored.
            page.append({**{k: item[k] for k in (*HASHED, "hash") if k in item}, "seq": int(item["SK"][2:])})
        if len(page) >= limit:
            break
    return page
