"""The names lexicon and avatar banks contract (PA2017-13, PA2020-8), run against DynamoDB (moto) and the
in-memory fakes alike: every change bumps its version in the same transaction, a bulk add goes in
transactions of CHUNK entries each with its own bump, a removal of what is not there is refused and
changes nothing, and an index is built only from what the listing projects."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.avatars import store as avatars_store
from chalicelib.avatars.memory_store import MemoryAvatarStore
from chalicelib.core import audit_trail
from chalicelib.core.errors import NotFound
from chalicelib.core.memory_table import MemoryTable
from chalicelib.names import store as names_store
from chalicelib.names.memory_store import MemoryNamesStore
from tests.store_contract import BACKENDS, CHANGE, T, either, refused_at


def commit(store: Any, tenant_id: str, ops: list[Any], event: Any) -> int:
    """The store's ops in a caller's audited transaction, as the use cases commit them."""
    if isinstance(store.table, MemoryTable):
        return store.table.commit(tenant_id, ops, event)
    return audit_trail.commit(store.table, tenant_id, ops, event)


@pytest.fixture(params=BACKENDS)
def names(request):
    return either(request, MemoryNamesStore, names_store.store)


@pytest.fixture(params=BACKENDS)
def avatars(request):
    return either(request, MemoryAvatarStore, avatars_store.store)


def an_entry(n: int, kind: str = "PROTECTED") -> dict:
    return {"entry_id": f"pn_{n:04d}", "kind": kind, "name": f"名{n}", "created_at": "2026-11-18T08:00:00Z"}


def test_a_bulk_add_goes_in_chunks_each_bumping_the_version_and_a_removal_bumps_it_once(names):
    # GIVEN one entry more than a transaction holds
    records = [an_entry(n) for n in range(names_store.CHUNK + 1)]
    # WHEN they are added THEN two transactions ran, each with its own bump and its entries named in its event
    assert names.add(T, records, CHANGE) == 2
    assert len(names.all_records(T)) == names_store.CHUNK + 1
    page, cursor = names.page(T, "PROTECTED", 2, None)
    assert [r["entry_id"] for r in page] == ["pn_0000", "pn_0001"] and cursor
    assert names.page(T, "BANNED", 5, None) == ([], None)
    assert names.remove(T, "PROTECTED", "pn_0000", CHANGE) == 3
    with pytest.raises(NotFound) as missing:
        names.remove(T, "PROTECTED", "pn_0000", CHANGE)
    assert missing.value.error_code == "LEXICON_ENTRY_NOT_FOUND" and names.version(T) == 3
    # AND its ops join a caller's own transaction (a disposition's name ban), bump included
    commit(names, T, names.add_ops(T, [an_entry(9, "BANNED")]), CHANGE)
    commit(names, T, names.remove_ops(T, "BANNED", ["pn_0009", "pn_0404"]), CHANGE)
    assert names.version(T) == 5 and names.page(T, "BANNED", 5, None) == ([], None)


def test_bank_entries_are_put_and_removed_with_a_bump_and_listed_by_bank(avatars):
    entry = {"bank": "BANNED", "entry_id": "av_1", "pdq": "f" * 64, "label": "头像", "reason": "r",
             "owner_subject_ids": []}
    commit(avatars, T, avatars.put_ops(T, [entry]), CHANGE)
    assert avatars.version(T) == 1
    assert avatars.put_many(T, [{**entry, "entry_id": "av_2", "bank": "PROTECTED"}]) == []
    assert sorted(e["entry_id"] for e in avatars.all_entries(T)) == ["av_1", "av_2"]
    assert set(avatars.all_entries(T)[0]) <= {"bank", "entry_id", "pdq", "crop_pdq", "label", "owner_subject_ids"}
    assert [e["entry_id"] for e in avatars.page(T, "BANNED", 5, None)[0]] == ["av_1"]
    # WHEN an entry not in the bank is deleted THEN its op refuses and nothing changes
    assert refused_at(commit, avatars, T, avatars.delete_ops(T, "BANNED", ["av_1", "av_9"]), CHANGE) == 1
    assert avatars.version(T) == 1 and len(avatars.all_entries(T)) == 2
    # AND a revocation's removal takes what is there, whatever is not (named twice, or gone)
    commit(avatars, T, avatars.remove_ops(T, "BANNED", ["av_1", "av_1", "av_9"]), CHANGE)
    assert avatars.version(T) == 2 and [e["entry_id"] for e in avatars.all_entries(T)] == ["av_2"]
