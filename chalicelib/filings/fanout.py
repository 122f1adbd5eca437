"""A period's filing as units of work: a plan, one unit per province, and the manifest once every province is in.

MB2018-9/10, PA2017-7, PA2020-10, PA2020-19: a filing goes to each province's internet information office, so
a tenant's filing is cut where the offices cut it. The plan reads the period's source records once, a group of
record sets a step, and stages their rows per province of registration (chalicelib/filings/staging.py). Each
province is then its own unit: it streams its staged rows, decrypts the names of its own subjects only, and
writes its files under ``filings/{tenant}/{period}/{province}/``, a group a step, carrying what it listed in its
checkpoint. A province done records its part; the unit that finds every part of the plan in writes the
manifest (all provinces' files and totals, the time and policy the plan fixed, so any unit that writes it
writes the same bytes) and records the filing and its audit event once: the record is written only if
there is none. Every step writes the same keys when repeated, so a unit delivered twice, or killed and
delivered again, never files twice, and a province's failure leaves no filing record for the next run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.core import audit_events as audit, audit_trail, aws, clock, policy, stores
from chalicelib.core.audit_trail import ConditionFailed
from chalicelib.core.config import settings
from chalicelib.filings import rules, sources, staging
from chalicelib.filings.files import FilingFiles
from chalicelib.filings.store import FilingStore

RECORD_SETS = {s.name: s for s in rules.RECORD_SETS}
Stop = Callable[[], bool]


def _never() -> bool:
    return False


@dataclass(frozen=True)
class Step:
    """What one step did: finished or the checkpoint to continue from, and (a plan) the provinces to file."""

    finished: bool
    checkpoint: dict[str, Any] = field(default_factory=dict)
    provinces: list[str] = field(default_factory=list)
    filed: dict[str, Any] | None = None  # the filing record, when this step recorded it


def filed_prefix(tenant_id: str, period: str) -> str:
    return f"filings/{tenant_id}/{period}/"


def plan(tenant_id: str, period: str, run: str, checkpoint: dict[str, Any], *, stop: Stop = _never,
         tick: sources.Progress | None = None, replace: bool = False) -> Step:
    """The plan's next groups (at least one a step, then as long as `stop` allows); finished, the provinces to
    file (a period with no records at all is filed by the plan itself: its manifest and the grading rules)."""
    start, end = rules.period_bounds(period)
    prefix = staging.work_prefix(tenant_id, period, run)
    staged: dict[str, list[str]] = dict(checkpoint.get("staged", {}))
    first = int(checkpoint.get("next", 0))
    subjects = sources.Subjects(tenant_id)
    for index in range(first, len(sources.GROUPS)):
        if index > first and stop():
            return Step(False, {"next": index, "staged": staged})
        name, read = sources.GROUPS[index]
        with staging.StagedRows() as rows:
            read(tenant_id, start, end, rows, subjects, tick or (lambda stage, count: None))
            staged[name] = rows.upload(f"{prefix}{name}/")
    provinces = sorted({p for names in staged.values() for p in names})
    effective = policy.current(tenant_id).effective
    planned = {"period": period, "period_start": start, "period_end": end, "generated_at": clock.iso(),
               "policy": effective, "staged": staged, "provinces": provinces}
    staging.put_json(prefix + "plan.json", planned)
    if not provinces:
        return Step(True, filed=finish(tenant_id, period, run, planned, replace=replace))
    return Step(True, provinces=provinces)


def province(tenant_id: str, period: str, run: str, code: str, checkpoint: dict[str, Any], *,
             stop: Stop = _never, replace: bool = False) -> Step:
    """One province's files, a group of record sets a step; finished, its part, and the filing if it was last."""
    prefix = staging.work_prefix(tenant_id, period, run)
    planned = staging.get_json(prefix + "plan.json")
    if planned is None:
        raise RuntimeError(f"no plan for {tenant_id}/{period} in run {run}")  # redelivered until the DLQ
    listed: list[dict[str, Any]] = list(checkpoint.get("files", []))
    first = int(checkpoint.get("next", 0))
    for index in range(first, len(sources.GROUPS)):
        if index > first and stop():
            return Step(False, {"next": index, "files": listed})
        name = sources.GROUPS[index][0]
        if code in planned["staged"].get(name, []):
            listed.extend(_file_group(tenant_id, period, f"{prefix}{name}/{code}.jsonl", code))
    staging.put_json(f"{prefix}parts/{code}.json", {"files": listed})
    return Step(True, filed=finish(tenant_id, period, run, planned, replace=replace))


def _file_group(tenant_id: str, period: str, key: str, code: str) -> list[dict[str, Any]]:
    """A province's staged rows of one group as its CSV and JSONL files, names decrypted a page at a time."""
    subjects = sources.Subjects(tenant_id)
    with FilingFiles() as files:
        for page in sources.pages({"s": s, "r": r} for s, r in staging.staged(key)):
            subjects.load((line["r"].get("subject_id") for line in page if line["s"] in sources.NAME_COLUMNS),
                          names=True)
            for line in page:
                row = line["r"]
                column = sources.NAME_COLUMNS.get(line["s"])
                if column:
                    row[column] = subjects.get(row.get("subject_id")).get("subject_name")
                files.add_row(code, RECORD_SETS[line["s"]], row)
        return files.upload(settings().filings_bucket, filed_prefix(tenant_id, period))


def finish(tenant_id: str, period: str, run: str, planned: dict[str, Any], *,
           replace: bool = False) -> dict[str, Any] | None:
    """When every province of the plan has its part: the manifest, then the filing record and its audit event,
    written once (`replace`: the operator's re-export overwrites it). The record, or None when a part is
    missing or another unit recorded the filing first."""
    prefix = staging.work_prefix(tenant_id, period, run)
    parts = [staging.get_json(f"{prefix}parts/{code}.json") for code in planned["provinces"]]
    if any(part is None for part in parts):
        return None
    listed = sorted((f for part in parts if part for f in part["files"]),
                    key=lambda f: (f["province"], f["record_set"], f["format"]))
    listed.append(_grading_rules(tenant_id, period, planned["policy"]))
    manifest = _manifest(tenant_id, planned, listed)
    manifest_key = filed_prefix(tenant_id, period) + "manifest.json"
    aws.client("s3").put_object(Bucket=settings().filings_bucket, Key=manifest_key, ContentType="application/json",
                                Body=json.dumps(manifest, ensure_ascii=False, indent=2).encode())
    record = {"period": period, "generated_at": manifest["generated_at"], "manifest_key": manifest_key,
              "totals": manifest["totals"], "provinces": sorted(manifest["provinces"]), "files": listed,
              "generator_version": rules.GENERATOR_VERSION}
    try:
        audit_trail.commit(stores.main_table(), tenant_id, [FilingStore.filing_op(tenant_id, record, once=not replace)],
                           audit.event(tenant_id, "filing.export", period=period, files=len(listed),
                                       totals=manifest["totals"], manifest_sha256=_sha256(manifest)))
    except ConditionFailed:
        return None  # another unit of the period recorded it first, with the same manifest
    return record


def _grading_rules(tenant_id: str, period: str, effective: dict[str, Any]) -> dict[str, Any]:
    """PA2020-7, PA2020-15: the graded-management rule set, filed with the provincial office."""
    grading = effective["grading"]
    body = json.dumps({"articles": ["MB2018-9", "PA2020-7", "PA2020-15"], **grading}, ensure_ascii=False,
                      indent=2).encode()
    key = filed_prefix(tenant_id, period) + "grading_rules.json"
    aws.client("s3").put_object(Bucket=settings().filings_bucket, Key=key, Body=body, ContentType="application/json")
    return {"key": key, "province": "00", "record_set": "grading_rules", "format": "json",
            "records": len(grading["grades"]), "bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}


def _manifest(tenant_id: str, planned: dict[str, Any], listed: list[dict[str, Any]]) -> dict[str, Any]:
    provinces: dict[str, dict[str, Any]] = {}
    totals = {s.name: 0 for s in rules.RECORD_SETS}
    for entry in listed:
        if entry["format"] != "csv":
            continue
        provinces.setdefault(entry["province"],
                             {"name": rules.province_name(entry["province"]),
                              "records": {}})["records"][entry["record_set"]] = entry["records"]
        totals[entry["record_set"]] += entry["records"]
    return {"tenant_id": tenant_id, "period": planned["period"], "period_start": planned["period_start"],
            "period_end": planned["period_end"], "generated_at": planned["generated_at"],
            "generator": {"name": "compliance-api filings", "version": rules.GENERATOR_VERSION},
            "policy": planned["policy"], "totals": totals, "provinces": provinces,
            "record_sets": {s.name: {"title_zh": s.title_zh, "articles": list(s.articles),
                                     "columns": [{"key": k, "header_zh": h} for k, h in s.columns]}
                            for s in rules.RECORD_SETS},
            "files": listed}


def _sha256(document: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
