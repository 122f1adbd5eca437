"""Filings with the internet information offices (MB2018-9/10, GR2017-7/11, PA2017-7/13, PA2020-7/10/19).

For one tenant and one ended period, per province of registration: public accounts by
category, subjects with several public accounts (business scope, account list), V-verified
accounts by category, and the dispositions and blacklistings reported to the competent
departments. Written to ``filings/{tenant}/{period}/{province}/`` as CSV and JSONL, with
``manifest.json`` (counts, SHA-256 of every file, generator version, the policy in force).
Queries are paginated and rows spill to disk, so memory stays flat as records grow. Identity
data is decrypted only here, and only the subject's name: documents stay masked.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from chalicelib.core import audit_events as audit, audit_trail, aws, clock, crypto, policy, stores
from chalicelib.core.config import settings
from chalicelib.core.dynamo import Table
from chalicelib.core.errors import InvalidRequest, Unprocessable
from chalicelib.core.pii import remask
from chalicelib.filings import rules
from chalicelib.filings.files import FilingFiles
from chalicelib.filings.store import FilingStore, subject_of
from chalicelib.identity.upfront_rules import Category

UPFRONT_CATEGORIES = tuple(c.value for c in Category)  # MB2018-10: every category is filed
PAGE = 100
URL_SECONDS = 900
Progress = Callable[[str, int], None]


class _Subjects:
    """Subjects looked up a page at a time (one BatchGetItem), kept in a bounded cache."""

    def __init__(self, tenant_id: str, size: int = 4096) -> None:
        self.tenant_id, self.size = tenant_id, size
        self.cache: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def load(self, subject_ids: Iterable[str], *, names: bool = False) -> None:
        wanted = [s for s in dict.fromkeys(subject_ids) if s and (s not in self.cache or
                                                                 (names and "subject_name" not in self.cache[s]))]
        for start in range(0, len(wanted), PAGE):
            found = _store().subjects(self.tenant_id, wanted[start:start + PAGE])
            for item in found:
                info = {"subject_type": item.get("subject_type"), "document_type": item.get("document_type"),
                        "document_masked": remask(item.get("document_masked"), item.get("document_type")),
                        "region_code": item.get("region_code")}
                if names and item.get("pii"):
                    sealed = crypto.Sealed(item["pii"], item["pii_key"])
                    info["subject_name"] = crypto.unseal(self.tenant_id, item["subject_id"], sealed)["name"]
                self.cache[item["subject_id"]] = info
                self.cache.move_to_end(item["subject_id"])
        while len(self.cache) > self.size:
            self.cache.popitem(last=False)

    def get(self, subject_id: str | None) -> dict[str, Any]:
        return self.cache.get(subject_id or "", {})


def _store() -> FilingStore:
    return FilingStore(stores.main_table(), Table(settings().records_table))


def _query(query: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
    """A filing query's items, a page of PAGE at a time."""
    return _pages(_store().read(query))


def _pages(items: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(items)
    while page := list(itertools.islice(iterator, PAGE)):
        yield page


def _bounds(period: str) -> tuple[str, str]:
    try:
        start, end = rules.period_bounds(period)
    except ValueError as exc:
        raise InvalidRequest(str(exc), message_zh="报送周期格式应为 2026-11 或 2026-Q4。",
                             code="PERIOD_INVALID") from exc
    if end > clock.iso():
        raise Unprocessable(f"The period {period} has not ended.", message_zh="报送周期尚未结束。",
                            code="PERIOD_NOT_ENDED")
    return start, end


def export(tenant_id: str, period: str, *, progress: Progress | None = None) -> dict[str, Any]:
    start, end = _bounds(period)
    tick = progress or (lambda stage, count: None)
    prefix = f"filings/{tenant_id}/{period}/"
    queries = _queries(tenant_id, start, end)
    with FilingFiles() as files:
        subjects = _Subjects(tenant_id)
        _public_accounts(tenant_id, queries["public_accounts"][0], files, subjects, tick)
        _upfront(queries["upfront_verified"], files, subjects, tick)
        _dispositions(tenant_id, queries["dispositions"][0], files, subjects, tick)
        _content_actions(tenant_id, start, end, files, subjects, tick)
        listed = files.upload(settings().filings_bucket, prefix, lambda n: tick("upload", n))
    listed.append(_grading_rules(tenant_id, prefix))
    manifest = _manifest(tenant_id, period, start, end, listed)
    manifest_key = prefix + "manifest.json"
    aws.client("s3").put_object(Bucket=settings().filings_bucket, Key=manifest_key, ContentType="application/json",
                                Body=json.dumps(manifest, ensure_ascii=False, indent=2).encode())
    record = {"period": period, "generated_at": manifest["generated_at"], "manifest_key": manifest_key,
              "totals": manifest["totals"], "provinces": sorted(manifest["provinces"]), "files": listed,
              "generator_version": rules.GENERATOR_VERSION}
    audit_trail.commit(stores.main_table(), tenant_id, [FilingStore.filing_op(tenant_id, record)],
                       audit.event(tenant_id, "filing.export", period=period, files=len(listed),
                                   totals=manifest["totals"],
                                   manifest_sha256=_sha256(manifest)))
    return view(record)


def _queries(tenant_id: str, start: str, end: str) -> dict[str, list[dict[str, Any]]]:
    return _store().source_queries(tenant_id, start, end, UPFRONT_CATEGORIES)


def expected(tenant_id: str, period: str) -> int:
    """How many source records an export reads (a progress bar's total)."""
    start, end = _bounds(period)
    store = _store()
    return store.count_content_actions(tenant_id, start, end) + sum(
        store.count(query) for queries in _queries(tenant_id, start, end).values() for query in queries)


def _public_accounts(tenant_id: str, query: dict[str, Any], files: FilingFiles, subjects: _Subjects,
                     tick: Progress) -> None:
    """Public accounts, streamed grouped by subject: a subject's group is complete when the next begins."""
    group: list[dict[str, Any]] = []
    for page in _query(query):
        subjects.load((subject_of(a) for a in page), names=True)
        for account in page:
            subject_id = subject_of(account)
            subject = subjects.get(subject_id)
            files.add(rules.province_of(subject.get("region_code"))[0], rules.PUBLIC_ACCOUNTS,
                      {**account, **subject, "subject_id": subject_id})
            if group and group[0]["subject_id"] != subject_id:
                _multi(files, group, subjects)
                group = []
            group.append({**account, "subject_id": subject_id})
        tick(rules.PUBLIC_ACCOUNTS.name, len(page))
    _multi(files, group, subjects)


def _multi(files: FilingFiles, group: list[dict[str, Any]], subjects: _Subjects) -> None:
    """PA2017-7, PA2020-10: a subject with more than one public account is filed with its list."""
    if len(group) < 2:
        return
    subject = subjects.get(group[0]["subject_id"])
    files.add(rules.province_of(subject.get("region_code"))[0], rules.MULTI_ACCOUNT_SUBJECTS, {
        **subject, "subject_id": group[0]["subject_id"], "public_accounts": len(group),
        "business_scope": "；".join(dict.fromkeys(a["business_scope"] for a in group
                                                  if a.get("business_scope"))) or None,
        "accounts": [{"account_id": a["account_id"], "name": a.get("name"),
                      "category": a.get("category")} for a in group]})


def _upfront(queries: list[dict[str, Any]], files: FilingFiles, subjects: _Subjects, tick: Progress) -> None:
    """MB2018-10; the certified name is the subject's verified name, decrypted here (the record keeps no copy)."""
    for query in queries:
        for page in _query(query):
            subjects.load((subject_of(i) for i in page), names=True)
            for item in page:
                subject_id = subject_of(item)
                files.add(rules.province_of(item.get("region_code"))[0], rules.UPFRONT_VERIFIED, {
                    **item, "subject_id": subject_id, "claimed_name": subjects.get(subject_id).get("subject_name")})
            tick(rules.UPFRONT_VERIFIED.name, len(page))


def _dispositions(tenant_id: str, query: dict[str, Any], files: FilingFiles, subjects: _Subjects,
                  tick: Progress) -> None:
    for page in _query(query):
        owners = _account_owners(tenant_id, [d["target_id"] for d in page
                                             if d["target_type"] == "ACCOUNT" and not d.get("subject_id")])
        subjects.load([str(d.get("subject_id") or owners.get(d["target_id"]) or "") for d in page])
        for record in page:
            subject_id = record.get("subject_id") or owners.get(record["target_id"])
            province = rules.province_of(subjects.get(subject_id).get("region_code"))[0]
            filed = {**record, "subject_id": subject_id, **record["ground"]}
            files.add(province, rules.DISPOSITIONS, filed)
            for entry in record.get("effects", {}).get("blacklist", []):
                files.add(province, rules.BLACKLISTINGS, {**filed, **entry, "expires_at": record.get("ends_at")})
        tick(rules.DISPOSITIONS.name, len(page))


def _content_actions(tenant_id: str, start: str, end: str, files: FilingFiles, subjects: _Subjects,
                     tick: Progress) -> None:
    """MB2018-12, PA2020-19: actions on prohibited content in the period, marked reportable."""
    for page in _pages(_store().content_actions(tenant_id, start, end)):
        owners = _account_owners(tenant_id, [a["account_id"] for a in page])
        subjects.load(owners.values())
        for action in page:
            subject_id = owners.get(action["account_id"])
            files.add(rules.province_of(subjects.get(subject_id).get("region_code"))[0], rules.CONTENT_ACTIONS,
                      {**action, "subject_id": subject_id})
        tick(rules.CONTENT_ACTIONS.name, len(page))


def _grading_rules(tenant_id: str, prefix: str) -> dict[str, Any]:
    """PA2020-7, PA2020-15: the graded-management rule set, filed with the provincial office."""
    rules = policy.current(tenant_id).effective["grading"]
    body = json.dumps({"articles": ["MB2018-9", "PA2020-7", "PA2020-15"], **rules}, ensure_ascii=False,
                      indent=2).encode()
    key = prefix + "grading_rules.json"
    aws.client("s3").put_object(Bucket=settings().filings_bucket, Key=key, Body=body, ContentType="application/json")
    return {"key": key, "province": "00", "record_set": "grading_rules", "format": "json",
            "records": len(rules["grades"]),
            "bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}


def _account_owners(tenant_id: str, account_ids: list[str]) -> dict[str, str]:
    return _store().account_owners(tenant_id, account_ids)


def _manifest(tenant_id: str, period: str, start: str, end: str, listed: list[dict[str, Any]]) -> dict[str, Any]:
    provinces: dict[str, dict[str, Any]] = {}
    totals = {s.name: 0 for s in rules.RECORD_SETS}
    for entry in listed:
        if entry["format"] != "csv":
            continue
        provinces.setdefault(entry["province"],
                             {"name": rules.province_name(entry["province"]),
                              "records": {}})["records"][entry["record_set"]] = entry["records"]
        totals[entry["record_set"]] += entry["records"]
    return {"tenant_id": tenant_id, "period": period, "period_start": start, "period_end": end,
            "generated_at": clock.iso(),
            "generator": {"name": "compliance-api filings", "version": rules.GENERATOR_VERSION},
            "policy": policy.current(tenant_id).effective, "totals": totals, "provinces": provinces,
            "record_sets": {s.name: {"title_zh": s.title_zh, "articles": list(s.articles),
                                     "columns": [{"key": k, "header_zh": h} for k, h in s.columns]}
                            for s in rules.RECORD_SETS},
            "files": listed}


def _sha256(document: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def listing(tenant_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    items, next_cursor = _store().filings_page(tenant_id, limit, cursor)
    return {"items": [view(i, urls=True) for i in items], "next_cursor": next_cursor}


def _url(key: str) -> str:
    return aws.client("s3").generate_presigned_url("get_object",
                                                   Params={"Bucket": settings().filings_bucket, "Key": key},
                                                   ExpiresIn=URL_SECONDS)


def view(record: dict[str, Any], *, urls: bool = False) -> dict[str, Any]:
    found = {k: record[k] for k in ("period", "generated_at", "manifest_key", "totals", "provinces",
                                    "generator_version")}
    found["files"] = [{**f, **({"url": _url(f["key"])} if urls else {})} for f in record["files"]]
    if urls:
        found["manifest_url"] = _url(record["manifest_key"])
        found["urls_expire_in"] = URL_SECONDS
    return found


def due_period(tenant_id: str) -> str | None:
    """The tenant's newest ended period (policy filings.period) when it has no filing yet."""
    period = rules.last_complete_period(clock.now(), policy.setting(tenant_id, "filings", "period"))
    return None if _store().filing(tenant_id, period) is not None else period


def export_if_missing(tenant_id: str, period: str) -> bool:
    """The schedule's unit: export `period` unless its filing is recorded; True when exported now. A run
    that failed part-way left no filing record, so the next delivery redoes it and overwrites the same
    objects; one delivered twice finds the record and does nothing."""
    if _store().filing(tenant_id, period) is not None:
        return False
    export(tenant_id, period)
    return True


def export_due(tenant_id: str) -> str | None:
    """The tenant's due period exported now, "tenant/period", or None when it was already filed."""
    period = due_period(tenant_id)
    if period is None or not export_if_missing(tenant_id, period):
        return None
    return f"{tenant_id}/{period}"
