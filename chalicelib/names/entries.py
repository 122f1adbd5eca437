"""Lexicon entries as the index takes them: built-in data and a tenant's own records."""

from __future__ import annotations

from typing import Any

from chalicelib.names import tables
from chalicelib.names.index import ALLOW, BANNED, PROTECTED, TERM, Entry, make_entry


def protected(entry_id: str, name: str, kind: str, aliases: list[str], owners: list[str],
              scenes: tuple[str, ...] = ()) -> list[Entry]:
    """A protected name and each alias, all reporting the protected name."""
    return [make_entry(entry_id, PROTECTED, surface, name, kind, "REJECT", tuple(owners), scenes=scenes)
            for surface in dict.fromkeys([name, *aliases])]


def term(entry_id: str, text: str, category: str, action: str, substring: bool = False,
         scenes: tuple[str, ...] = ()) -> Entry:
    """A prohibited term; a Latin or digit one matches whole words unless `substring` (the tenant's choice)."""
    return make_entry(entry_id, TERM, text, text, category, action, substring=substring, scenes=scenes)


def allow(entry_id: str, phrase: str, scenes: tuple[str, ...] = ()) -> Entry:
    """An allow-list phrase: a hit it holds whole is no hit, in the scenes it is limited to (none: every scene)."""
    return make_entry(entry_id, ALLOW, phrase, phrase, "ALLOW", "PASS", scenes=scenes)


def banned(entry_id: str, name: str, expires_at: str | None = None, scenes: tuple[str, ...] = ()) -> Entry:
    return make_entry(entry_id, BANNED, name, name, "REREGISTRATION", "REJECT", expires_at=expires_at, scenes=scenes)


def from_record(record: dict[str, Any]) -> list[Entry]:
    """Entries of one stored lexicon record (see names/store.py); `scenes` limits it (core/scenes.py)."""
    kind, scenes = record["kind"], tuple(record.get("scenes") or ())
    if kind == PROTECTED:
        return protected(record["entry_id"], record["name"], record["category"], record.get("aliases", []),
                         record.get("owner_subject_ids", []), scenes)
    if kind == TERM:
        return [term(record["entry_id"], record["name"], record["category"], record["action"],
                     record.get("match") == "substring", scenes)]
    if kind == ALLOW:
        return [allow(record["entry_id"], record["name"], scenes)]
    return [banned(record["entry_id"], record["name"], record.get("expires_at"), scenes)]


def builtin() -> list[Entry]:
    data = tables.builtin()
    found: list[Entry] = []
    for item in data["protected"]:
        found += protected(item["id"], item["name"], item["kind"], item["aliases"], item["owner_subject_ids"])
    found += [term(t["id"], t["term"], t["category"], t["action"]) for t in data["terms"]]
    found += [allow(a["id"], a["phrase"]) for a in data["allow"]]
    return found
