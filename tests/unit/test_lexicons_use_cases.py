"""Managing the name lexicon and the avatar banks (PA2017-13, PA2020-8) on the in-memory stores: no AWS,
milliseconds. Checking names and images against them (the compiled indexes, artifacts) stays in tests/api."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.avatars import banks
from chalicelib.core import clock, policy
from chalicelib.core.errors import InvalidRequest, NotFound, Unprocessable
from chalicelib.names import service as names, store as names_store
from chalicelib.names.index import BANNED
from tests import memory_stores

T = "acme"
START = datetime(2026, 11, 18, 8, 0, tzinfo=timezone.utc)
PDQ, OTHER = "f" * 64, "0f" * 32


memory = memory_stores.fixture_at(START)


def test_a_ban_batch_is_checked_whole_before_any_is_written_and_each_ban_lasts_its_own_days(memory):
    policy.apply_patch(T, {"names": {"reregistration_ban_days": 30}})
    # WHEN a batch holds one name with nothing left once normalized THEN nothing of it is written
    with pytest.raises(InvalidRequest) as refused:
        names.ban_names(T, [{"name": "快乐小屋", "reason": "r"}, {"name": "！！！", "reason": "r"}])
    assert refused.value.error_code == "LEXICON_ENTRY_TOO_SHORT"
    assert names.listing(T, BANNED, 10, None)["items"] == [] and memory.names.version(T) == 0
    # WHEN the batch is good THEN both are kept in one version, each until its own end
    banned = names.ban_names(T, [{"name": "快乐小屋", "reason": "r"}, {"name": "阳光", "reason": "r", "days": 7}])
    assert banned["lexicon_version"].split(".")[0] == "1"
    ends = {i["name"]: i["expires_at"] for i in names.listing(T, BANNED, 10, None)["items"]}
    assert ends == {"快乐小屋": clock.iso(START + timedelta(days=30)), "阳光": clock.iso(START + timedelta(days=7))}


def test_a_bulk_add_bumps_the_version_once_a_transaction_and_a_removal_of_nothing_changes_nothing(memory):
    items = [{"name": f"机构{n:03d}", "kind": "ORGANIZATION"} for n in range(names_store.CHUNK + 1)]
    assert names.add_protected(T, items)["lexicon_version"].split(".")[0] == "2"
    assert memory.events().count("names.protected.add") == 2
    first = names.listing(T, "PROTECTED", 1, None)["items"][0]["entry_id"]
    assert names.remove(T, "PROTECTED", first)["lexicon_version"].split(".")[0] == "3"
    with pytest.raises(NotFound) as missing:
        names.remove(T, "PROTECTED", first)
    assert missing.value.error_code == "LEXICON_ENTRY_NOT_FOUND" and memory.names.version(T) == 3


def test_a_csv_import_is_idempotent_reports_bad_lines_and_bumps_the_bank_once(memory):
    text = f"\ufeffhash,label,quality\n{PDQ},共享哈希,90\nnot-a-hash,坏行,1\n{PDQ},again,80\n"
    for version in (1, 2):
        imported = banks.import_csv(T, "BANNED", text)
        assert (imported["imported"], imported["refused"]) == (1, [{"line": 3, "reason": "HASH_INVALID"}])
        assert imported["bank_version"] == str(version)  # one bump per file, however many rows
    listed = banks.listing(T, "BANNED", 10, None)["items"]
    assert [(e["pdq"], e["source"], e["label"]) for e in listed] == [(PDQ, "import", "again")]  # the last row wins
    with pytest.raises(Unprocessable) as no_column:
        banks.import_csv(T, "BANNED", "label\nx\n")
    assert no_column.value.error_code == "CSV_INVALID"
    assert memory.avatars.version(T) == 2


def test_an_entry_added_by_hash_is_removed_once_and_a_missing_one_is_404(memory):
    added = banks.add(T, "PROTECTED", {"pdq": OTHER, "label": "徽标", "owner_subject_ids": ["sub_1"]})
    assert (added["owner_subject_ids"], added["source"]) == (["sub_1"], "pdq")
    removed = banks.remove(T, "PROTECTED", added["entry_id"])
    assert removed["bank_version"] == "2"
    with pytest.raises(NotFound) as missing:
        banks.remove(T, "PROTECTED", added["entry_id"])
    assert missing.value.error_code == "AVATAR_ENTRY_NOT_FOUND" and memory.avatars.version(T) == 2
    assert memory.events() == ["avatar_bank.add", "avatar_bank.remove"]
