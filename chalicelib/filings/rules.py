"""What is filed with the internet information offices, per province of registration (pure rules).

MB2018-9/10 (V-verified accounts by category), PA2017-7 and PA2020-10 (public accounts by
category; subjects with several public accounts, with their business scope and account list),
GR2017-7/11, PA2017-13, PA2020-19 (dispositions and blacklistings reported to the competent
departments). Each record set has columns an inspector can read: Chinese headers in the CSV,
English keys in the JSONL.

A CSV is opened by an inspector in a spreadsheet, and account names, statements, business scopes
and claimed names reach it as their users wrote them. A text cell that a spreadsheet would read
as a formula (`=HYPERLINK(...)`, `=cmd|...`, `+`, `-`, `@`, a leading tab or carriage return, the
full-width and small forms of these, or any of them after leading blanks) is filed with a single
quote in front, so it shows as the text it is. Only a column a record set declares numeric, holding
a number, is filed as written (a negative count stays a number). The JSONL keeps every text exact.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from chalicelib.dispositions import reasons
from chalicelib.identity.documents.regions import NATIONAL, PROVINCES

GENERATOR_VERSION = "1.0.0"
UNKNOWN_PROVINCE = ("00", "未知省份")
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$|^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class RecordSet:
    name: str
    title_zh: str
    articles: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]  # (JSON key, Chinese CSV header)
    numeric: frozenset[str] = frozenset()  # keys of columns holding numbers; every other column is text
    # what a stored record lacks and its filing needs (fields added since it was written), filled in
    fill: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None


PUBLIC_ACCOUNTS = RecordSet("public_accounts", "公众账号", ("PA2017-7", "PA2020-10"), (
    ("account_id", "账号编号"), ("name", "账号名称"), ("category", "账号类别"), ("business_scope", "经营范围"),
    ("status", "账号状态"), ("created_at", "注册时间"), ("subject_id", "主体编号"), ("subject_type", "主体类型"),
    ("subject_name", "主体名称"), ("document_type", "证件类型"), ("document_masked", "证件号码（脱敏）")))
MULTI_ACCOUNT_SUBJECTS = RecordSet("multi_account_subjects", "多账号主体", ("PA2017-7", "PA2020-10"), (
    ("subject_id", "主体编号"), ("subject_type", "主体类型"), ("subject_name", "主体名称"),
    ("document_type", "证件类型"), ("document_masked", "证件号码（脱敏）"), ("business_scope", "经营范围"),
    ("public_accounts", "公众账号数量"), ("accounts", "账号清单")), numeric=frozenset({"public_accounts"}))
UPFRONT_VERIFIED = RecordSet("upfront_verified", "前台实名认证账号", ("MB2018-8", "MB2018-10"), (
    ("subject_id", "主体编号"), ("claimed_name", "认证名称"), ("category", "认证类别"), ("approved_at", "认证时间"),
    ("upfront_id", "认证编号")))
DISPOSITIONS = RecordSet("dispositions", "处置记录", ("GR2017-11", "PA2017-13", "PA2020-19"), (
    ("disposition_id", "处置编号"), ("type", "处置类型"), ("target_type", "对象类型"), ("target_id", "对象编号"),
    ("subject_id", "主体编号"), ("article", "依据条款"), ("category", "违规类别"), ("statement", "处置说明"),
    ("starts_at", "开始时间"), ("ends_at", "结束时间"), ("status", "状态"), ("case_id", "关联案件"),
    ("created_at", "记录时间"),
    # the statement of reasons (PA2020-20, GR2017-11): ground, automation, what started it, who decided
    ("decision_ground", "决定依据类型"), ("platform_rule_id", "平台规则编号"), ("automated_detection", "是否自动发现"),
    ("automated_decision", "自动化决定程度"), ("source_type", "案件来源"), ("content_type", "内容类型"),
    ("decided_by", "决定人")), fill=reasons.filed)
BLACKLISTINGS = RecordSet("blacklistings", "黑名单", ("GR2017-11", "PA2017-13", "RL2020-23"), (
    ("list_type", "名单类型"), ("key", "名单对象（电话、设备为盲索引）"), ("disposition_id", "来源处置"),
    ("subject_id", "主体编号"), ("article", "依据条款"), ("category", "违规类别"), ("created_at", "列入时间"),
    ("expires_at", "到期时间")))
CONTENT_ACTIONS = RecordSet("content_actions", "违法信息处置记录", ("MB2018-12", "PA2020-19"), (
    ("action_id", "记录编号"), ("content_id", "内容编号"), ("content_sha256", "内容摘要（SHA-256）"),
    ("account_id", "账号编号"), ("subject_id", "主体编号"), ("action", "处置方式"), ("category", "违法类别"),
    ("article", "依据条款"), ("statement", "说明"), ("at", "处置时间")))
RECORD_SETS = (PUBLIC_ACCOUNTS, MULTI_ACCOUNT_SUBJECTS, UPFRONT_VERIFIED, DISPOSITIONS, BLACKLISTINGS, CONTENT_ACTIONS)


def province_of(region_code: str | None) -> tuple[str, str]:
    """(two-digit code, name) of the province a subject registered in, from its document's division code."""
    if not region_code:
        return UNKNOWN_PROVINCE
    code = region_code[:2]
    if code == NATIONAL[0]:
        return NATIONAL
    return (code, PROVINCES[code]) if code in PROVINCES else UNKNOWN_PROVINCE


def province_name(code: str) -> str:
    names = {UNKNOWN_PROVINCE[0]: UNKNOWN_PROVINCE[1], NATIONAL[0]: NATIONAL[1], **PROVINCES}
    return names.get(code, UNKNOWN_PROVINCE[1])


def period_bounds(period: str) -> tuple[str, str]:
    """``2026-11`` (a month) or ``2026-Q4`` (a quarter) → [start, end) as RFC 3339 UTC strings."""
    found = _PERIOD.match(period)
    if not found:
        raise ValueError(f"period must look like 2026-11 or 2026-Q4, not {period!r}")
    if found.group(1):
        year, first, months = int(found.group(1)), int(found.group(2)), 1
    else:
        year, first, months = int(found.group(3)), 3 * int(found.group(4)) - 2, 3
    last = first + months - 1
    start = datetime(year, first, 1, tzinfo=UTC)
    end = datetime(year + last // 12, last % 12 + 1, 1, tzinfo=UTC)
    return _stamp(start), _stamp(end)


def last_complete_period(now: datetime, kind: str) -> str:
    """The newest period that has ended by `now`: MONTHLY → last month, QUARTERLY → last quarter."""
    if kind == "QUARTERLY":
        quarter = (now.month - 1) // 3  # the current quarter's index, 0-3; the previous one ended
        return f"{now.year - 1}-Q4" if quarter == 0 else f"{now.year}-Q{quarter}"
    return f"{now.year - 1}-12" if now.month == 1 else f"{now.year}-{now.month - 1:02d}"


def row(record_set: RecordSet, record: Mapping[str, Any]) -> dict[str, object]:
    """The record as filed: exactly the set's columns, in order, missing ones empty (or as the set fills them)."""
    filled = record_set.fill(record) if record_set.fill else record
    return {key: filled.get(key) for key, _ in record_set.columns}


FORMULA_STARTS = frozenset("=+-@")
_CONTROL_STARTS = ("\t", "\r")


def spreadsheet_text(text: str) -> str:
    """`text` as a CSV cell no spreadsheet evaluates: a quote in front of anything that could start a formula."""
    return "'" + text if text.startswith(_CONTROL_STARTS) or _first_visible(text) in FORMULA_STARTS else text


def _first_visible(text: str) -> str:
    """The first character after blanks and invisible format characters (spreadsheets trim them on
    import), NFKC-folded so the full-width ＝＋－＠ and small ﹦﹢﹣﹫ forms read as = + - @; "" if none."""
    for char in text:
        if not char.isspace() and unicodedata.category(char) != "Cf":
            return unicodedata.normalize("NFKC", char)[:1]
    return ""


def csv_cell(record_set: RecordSet, key: str, value: object) -> str:
    """A filed value as its CSV cell: numbers in numeric columns as written, everything else as safe text."""
    if value is None:
        return ""
    if key in record_set.numeric and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return spreadsheet_text(str(value))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
