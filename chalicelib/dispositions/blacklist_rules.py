"""Blacklist records and their entries (GR2017-11, PA2017-13, RL2020-11). Pure rules: one entry per
disposition on a record, which entry is in force, and how one transaction's entries are grouped by record.
"""

from __future__ import annotations

from typing import Any

# A blacklist record (list type, key) holds one entry per disposition that listed it, as an attribute
# ``e_{disposition_id}``: a second blacklisting never overwrites the first, and revoking one
# disposition marks only its own entry (GR2017-11, PA2017-13, RL2020-11).
ENTRY_PREFIX = "e_"
ENTRY_FIELDS = ("status", "reason", "article", "category", "created_at", "expires_at", "removed_at", "removed_reason")


def entry_attribute(disposition_id: str) -> str:
    return f"{ENTRY_PREFIX}{disposition_id}"


def blacklist_entries(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Every entry on a blacklist record, each with its list type, key and source disposition.

    A record written before entries were kept per disposition carries one entry in its own fields.
    """
    base = {"list_type": record["list_type"], "key": record["key"]}
    found = [{**base, **value, "source_disposition": name[len(ENTRY_PREFIX):]}
             for name, value in sorted(record.items()) if name.startswith(ENTRY_PREFIX) and isinstance(value, dict)]
    if "status" in record and "source_disposition" in record:
        found.append({**base, "source_disposition": record["source_disposition"], "legacy": True,
                      **{k: record[k] for k in ENTRY_FIELDS if k in record}})
    return found


def entry_in_force(entry: dict[str, Any], now: str) -> bool:
    return entry.get("status") == "ACTIVE" and (entry.get("expires_at") is None or now < entry["expires_at"])


def entry_in_force_longest(record: dict[str, Any] | None, now: str) -> dict[str, Any] | None:
    """The entry in force with the latest expiry (no expiry is the latest), or None when none is in force."""
    live = [e for e in blacklist_entries(record) if entry_in_force(e, now)] if record else []
    if not live:
        return None
    return max(live, key=lambda e: (e.get("expires_at") is None, e.get("expires_at") or "", e["created_at"]))


def entries_by_record(entries: list[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Entries by (list type, key): a record is written once per transaction, however many dispositions list it."""
    grouped: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for entry in entries:  # the same disposition listing one key twice writes its entry once
        grouped.setdefault((entry["list_type"], entry["key"]), {})[entry["source_disposition"]] = entry
    return {pair: list(group.values()) for pair, group in grouped.items()}
