"""Name checks and lexicon management (PA2020-8, PA2020-18(1)(2), BJ2011-10, PA2017-13).

The index a check runs on is the built-in data plus the tenant's lexicon, compiled per lexicon
version. Each check reads the version (one GetItem), so a change takes effect on the very next
request; a container keeps the compiled index of the version it last saw, loads a new version's
artifact (named by the digest of its records, see core/artifacts.py) from storage, and builds,
stores and records it only when no container has yet.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import unicodedata
from datetime import timedelta
from functools import lru_cache
from typing import Any

from chalicelib.core import artifacts, audit_events as audit, clock, policy, scenes, stores
from chalicelib.core.errors import ComplianceError, InvalidRequest
from chalicelib.names import entries, normalize, store as storage, tables
from chalicelib.names.check import NameCheck, check
from chalicelib.names.index import ALLOW, BANNED, MIN_KEY_LENGTH, PROTECTED, TERM, NameIndex
from chalicelib.names.store import NamesStore, lexicon_pk

_builtin: list[NameIndex] = []
_lock = threading.Lock()


def _store() -> NamesStore:
    return storage.store()


# bumped when NameIndex gains a structure or reads more of a record (i7: allow-list phrases' scenes), so stored
# artifacts are rebuilt
INDEX_FORMAT = "i7"


def index_version(tenant_version: int) -> str:
    return f"{tenant_version}.{tables.builtin()['version']}.{normalize.VERSION}.{INDEX_FORMAT}"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """What compiles a lexicon besides its records: the index format, the normalizer, and the bytes of
    every data table (built-in names, pinyin, look-alikes), so an edited table is never answered by
    an artifact compiled with the old one."""
    digest = hashlib.sha256()
    for path in sorted(tables.DATA.glob("*.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{INDEX_FORMAT}.{normalize.VERSION}.{digest.hexdigest()}"


# Compiled indexes of the tenants this container served last; bounded, since a large lexicon
# compiles to hundreds of megabytes.
_compiled = artifacts.Compiled("names", NameIndex.from_artifact, fingerprint, limit=4)


def builtin_index() -> NameIndex:
    if not _builtin:
        with _lock:
            if not _builtin:
                _builtin.append(NameIndex.build(entries.builtin(), index_version(0)))
    return _builtin[0]


def compiled(tenant_id: str, version: int | None = None) -> NameIndex:
    """The tenant's index at its current version (`version` when the caller has just read it: held
    in memory at that version, no further read)."""
    if version == 0:
        return builtin_index()
    held = _compiled.held(tenant_id, index_version(version)) if version is not None else None
    if held is not None:
        return held
    # The VERSION item, read again on a miss: it carries the digest that names the stored artifact.
    source = artifacts.Source.read(stores.main_table(), {"PK": lexicon_pk(tenant_id), "SK": "VERSION"})
    if source.number == 0:
        return builtin_index()
    wanted = index_version(source.number)

    def build() -> tuple[NameIndex, str]:
        records = _store().all_records(tenant_id)
        found = [e for record in records for e in entries.from_record(record)]
        return NameIndex.build(entries.builtin() + found, wanted), artifacts.rows_digest(records)

    return _compiled.get(tenant_id, wanted, source, build)


def _refuse_text(text: str, field: str, limit: int) -> None:
    if not text.strip() or all(unicodedata.category(c)[0] in "CZ" for c in text):
        raise InvalidRequest("The text is empty or has only control, format or space characters.",
                             message_zh="文本为空，或仅包含控制、格式或空白字符。", code="TEXT_EMPTY")
    if len(text) > limit:
        raise InvalidRequest(f"The {field} is longer than {limit} characters.", message_zh=f"文本超过 {limit} 个字符。",
                             code="TEXT_TOO_LONG", details={"limit": limit, "length": len(text)})


def check_name(tenant_id: str, text: str, field: str, subject_id: str | None,
               lexicon_version: int | None = None, scene: str | None = None) -> dict[str, Any]:
    """One name in `field`, under the policy scene `scene` (none: DEFAULT, the policy as it is)."""
    rules = scene_of(tenant_id, scene)
    _refuse_text(text, field, policy.setting(tenant_id, "names", "max_length", field))
    return _answer(tenant_id, compiled(tenant_id, lexicon_version), text, field, subject_id, clock.iso(),
                   rules, scene is not None)


def check_record(check: dict[str, Any]) -> dict[str, Any]:
    """What an account or group keeps of its name's check: the decision and hits, and the scene when one was
    named (as the check's answer says it)."""
    return {k: check[k] for k in ("decision", "hits", "scene") if k in check}


def scene_of(tenant_id: str, scene: str | None) -> scenes.Scene:
    """The policy scene a check names, resolved (422 SCENE_UNKNOWN when the policy has none of that name)."""
    return scenes.resolve(policy.setting(tenant_id, "scenes"), scene)


def check_names(tenant_id: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Up to 100 names against one read of the lexicon version: each item's answer, or its own error (what a
    single check would have refused it with), by index. A store or provider failure fails the whole call."""
    index, now = compiled(tenant_id), clock.iso()
    answers: list[dict[str, Any]] = []
    for number, item in enumerate(items):
        try:
            rules = scene_of(tenant_id, item.get("scene"))
            _refuse_text(item["text"], item["field"], policy.setting(tenant_id, "names", "max_length", item["field"]))
            answers.append({"index": number, "result": _answer(tenant_id, index, item["text"], item["field"],
                                                               item.get("subject_id"), now, rules,
                                                               "scene" in item)})
        except ComplianceError as exc:
            answers.append(refused(number, exc))
    return {"items": answers, "lexicon_version": index.version}


def refused(number: int, error: ComplianceError) -> dict[str, Any]:
    """A batch item's own error, as its single check would have answered it: a refusal the client can fix
    (4xx); anything else (a store or provider failure, 5xx) fails the whole call."""
    if error.status >= 500:
        raise error
    return {"index": number, **error.envelope()}


def _answer(tenant_id: str, index: NameIndex, text: str, field: str, subject_id: str | None,
            now: str, scene: scenes.Scene = scenes.DEFAULT_SCENE, named: bool = False) -> dict[str, Any]:
    result: NameCheck = check(index, text, field, subject_id, now,
                              scene.contact_action(policy.setting(tenant_id, "names", "contact_diversion")), scene)
    answer = {"decision": result.decision, "hits": [h.as_dict() for h in result.hits],
              "normalized": result.normalized.key,
              "normalization": {"version": normalize.VERSION, "steps": list(result.normalized.steps)},
              "lexicon_version": index.version}
    return {**answer, "scene": scene.view()} if named else answer  # a check naming no scene answers as before


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def _usable(text: str) -> str:
    """Single characters and repeated ones (习, 哈哈) are entries like any other; only text with no letter,
    digit or character left once normalized (punctuation, emoji, spaces) cannot be matched."""
    if len(normalize.raw_of(text)) < MIN_KEY_LENGTH:
        raise InvalidRequest(f"{text!r} has no letter, digit or character left once normalized.",
                             message_zh="规范化后不含任何文字或数字，无法作为词条。", code="LEXICON_ENTRY_TOO_SHORT")
    return text


def _limited(tenant_id: str, item: dict[str, Any]) -> dict[str, Any]:
    """An entry's `scenes` (core/scenes.py), each a scene of the policy or `default`; none: every scene."""
    if not item.get("scenes"):
        return {}
    scenes.known(policy.setting(tenant_id, "scenes"), item["scenes"])
    return {"scenes": list(dict.fromkeys(item["scenes"]))}


def add_protected(tenant_id: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    now = clock.iso()
    records = [{"entry_id": _new_id("pn"), "kind": PROTECTED, "name": _usable(i["name"]), "category": i["kind"],
                "aliases": [_usable(a) for a in i.get("aliases", [])],
                "owner_subject_ids": i.get("owner_subject_ids", []), "created_at": now, **_limited(tenant_id, i)}
               for i in items]
    return _added(tenant_id, records, "names.protected.add")


def _added(tenant_id: str, records: list[dict[str, Any]], event_type: str) -> dict[str, Any]:
    version = _store().add(tenant_id, records, audit.event(tenant_id, event_type, count=len(records)))
    return {"items": [_view(r) for r in records], "lexicon_version": index_version(version)}


def add_terms(tenant_id: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    now = clock.iso()
    records = [{"entry_id": _new_id("tm"), "kind": TERM, "name": _usable(i["term"]), "category": i["category"],
                "action": i["action"], "match": i.get("match", "word"), "created_at": now, **_limited(tenant_id, i)}
               for i in items]
    return _added(tenant_id, records, "names.terms.add")


def add_allowed(tenant_id: str, phrases: list[str], scenes: list[str] | None = None) -> dict[str, Any]:
    """Allow-list phrases, each limited to `scenes` when given (none: every scene)."""
    now, limited = clock.iso(), _limited(tenant_id, {"scenes": scenes})
    records = [{"entry_id": _new_id("al"), "kind": ALLOW, "name": _usable(p), "created_at": now, **limited}
               for p in phrases]
    return _added(tenant_id, records, "names.allow.add")


def ban_name(tenant_id: str, name: str, *, reason: str, article: str = "PA2017-13", days: int | None = None,
             source: str | None = None) -> dict[str, Any]:
    """PA2020-8, PA2017-13: the name of an account closed for violations cannot come back.

    Called by the dispositions service when an account is closed, and by POST /v1/names/banned.
    """
    return ban_names(tenant_id, [{"name": name, "reason": reason, "article": article, "days": days}], source)


def ban_names(tenant_id: str, items: list[dict[str, Any]], source: str | None = None) -> dict[str, Any]:
    """Bans in bulk (PA2020-8, PA2017-13): every name is checked before any is written, so a refused batch
    writes nothing; each ban lasts its own `days` or the policy's reregistration_ban_days."""
    default_days, now = policy.setting(tenant_id, "names", "reregistration_ban_days"), clock.now()
    records = [{"entry_id": _new_id("bn"), "kind": BANNED, "name": _usable(i["name"]), "reason": i["reason"],
                "article": i.get("article") or "PA2017-13", "source": source, "created_at": clock.iso(now),
                "expires_at": clock.iso(now + timedelta(days=i.get("days") or default_days)), **_limited(tenant_id, i)}
               for i in items]
    return _added(tenant_id, records, "names.banned.add")


def remove(tenant_id: str, kind: str, entry_id: str) -> dict[str, Any]:
    event = audit.event(tenant_id, f"names.{kind.lower()}.remove", entry_id=entry_id)
    return {"removed": entry_id, "lexicon_version": index_version(_store().remove(tenant_id, kind, entry_id, event))}


def listing(tenant_id: str, kind: str, limit: int, cursor: str | None) -> dict[str, Any]:
    items, next_cursor = _store().page(tenant_id, kind, limit, cursor)
    return {"items": [_view(i) for i in items], "next_cursor": next_cursor}


_VIEW_FIELDS = ("entry_id", "kind", "name", "category", "action", "match", "aliases", "owner_subject_ids", "reason",
                "article", "expires_at", "created_at", "source", "scenes")


def _view(record: dict[str, Any]) -> dict[str, Any]:
    return {k: record[k] for k in _VIEW_FIELDS if record.get(k) is not None}


def lexicon(tenant_id: str) -> dict[str, Any]:
    data = tables.builtin()
    return {"lexicon_version": index_version(_store().version(tenant_id)), "normalizer_version": normalize.VERSION,
            "builtin": {"version": data["version"], "protected": len(data["protected"]), "terms": len(data["terms"]),
                        "allow": len(data["allow"]), "affixes": data["affixes"]}}


def forget() -> None:
    _compiled.clear()
