"""The audit trail in DynamoDB: a per-tenant hash chain, appended in the same transaction as the
state change it records.

Events live in the records table: PK ``T#{tenant}#AUDIT``, SK ``E#{seq:012d}``; the chain's head
is SK ``HEAD`` ({seq, hash}). `commit` reads the head, writes the caller's operations, the event
and the new head in ONE TransactWriteItems, conditional on the head not having moved, so
concurrent writers cannot fork the chain and a change is never stored without its event; a
writer that lost the race reads the new head and tries again.
"""

from __future__ import annotations

import random
import time
from contextvars import ContextVar
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core import clock, keys
from chalicelib.core.audit_chain import GENESIS, HASHED, Event, digest
from chalicelib.core.config import settings
from chalicelib.core.dynamo import Table
from chalicelib.core.errors import Conflict

ATTEMPTS = 20
# Who acts: the API key id of the request, "operator" for the CLI, "system" for schedules.
current_actor: ContextVar[str] = ContextVar("current_actor", default="system")


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


_UNREAD: Any = object()


def commit(table: Table, tenant_id: str, ops: list[dict[str, Any]], event: Event | list[Event],
           seen_head: Any = _UNREAD) -> int:
    """Apply `ops` on `table` and append `event` (or several, in order), atomically; the last sequence number.

    `seen_head`: the head as the caller has just read it (saves a round trip); a stale one only
    costs a retry, since the append is conditional on the head."""
    records, appended = trail(), [event] if isinstance(event, Event) else event
    for attempt in range(ATTEMPTS):
        current = head(tenant_id) if attempt or seen_head is _UNREAD else seen_head
        seq = int(current["seq"]) if current else 0
        prev_hash, chain = (current["hash"] if current else GENESIS), []
        for one in appended:
            seq += 1
            item = {"seq": seq, "prev_hash": prev_hash, "at": clock.iso(), "type": one.type,
                    "actor": current_actor.get(), "data": one.data}
            item["hash"] = prev_hash = digest(item)
            chain.append({"Put": {"TableName": records.name, "ConditionExpression": "attribute_not_exists(PK)",
                                  "Item": {"PK": audit_pk(tenant_id), "SK": f"E#{seq:012d}", **item,
                                           "ttl": int(clock.now_epoch()) + 86400 * one.ttl_days}}})
        moved = ({"ConditionExpression": "attribute_not_exists(PK)"} if current is None else
                 {"ConditionExpression": "seq = :seen", "values": {":seen": int(current["seq"])}})
        chain.append({"Put": {"TableName": records.name, "Item": {"PK": audit_pk(tenant_id), "SK": "HEAD", "seq": seq,
                                                                  "hash": prev_hash}, **moved}})
        try:
            table.transact(ops + chain)
            return seq
        except ClientError as exc:
            failed = _failed_positions(exc)
            if failed is None:
                raise
            own = [i for i in failed if i < len(ops)]
            if own:
                raise ConditionFailed(own[0]) from exc
            time.sleep(random.uniform(0, 0.005 * attempt))  # another writer moved the head: back off, re-read
    raise Conflict("The audit trail is busy; retry.", message_zh="审计链正忙，请重试。", code="AUDIT_CONTENDED")


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
        if item.get("ttl", now + 1) > now:
            page.append({k: item[k] for k in (*HASHED, "hash")})
        if len(page) >= limit:
            break
    return page
