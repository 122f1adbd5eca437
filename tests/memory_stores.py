"""The in-memory stores of reports, dispositions, identity, names and avatars installed behind each
capability's `store()` seam on ONE shared table, so a use case that writes several capabilities in one
transaction (a decision with its dispositions, a name or avatar ban) is all or nothing on the fakes as it
is in DynamoDB; content actions on a second table, as the records table holds them. Used with the `fakes`
fixture (policy, accounts, groups ...). The tenant's blind-index key is a fixed test key (in DynamoDB it is
a KMS-wrapped key, tested in tests/api)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from chalicelib.core import clock, keys
from chalicelib.core.memory_table import MemoryTable

INDEX_KEY = b"k" * 32


@dataclass
class MemoryStores:
    table: MemoryTable
    reports: Any
    dispositions: Any
    identity: Any
    names: Any
    avatars: Any
    content: Any

    def events(self) -> list[str]:
        """The audit event types committed on the shared table, in order (GR2017-11)."""
        return [event.type for _, event in self.table.events]

    def subject(self, tenant_id: str, subject_id: str = "sub_" + "a" * 40, region_code: str = "110105") -> str:
        """GIVEN a verified person (its subject item, as a verification leaves it), registered in `region_code`."""
        self.table.put({**keys.subject_item(tenant_id, subject_id), "subject_id": subject_id,
                        "region_code": region_code, "tenant_id": tenant_id, "subject_type": "PERSON",
                        "document_type": "RESIDENT_ID",
                        "document_masked": "110***********1234", "status": "VERIFIED",
                        "verified_at": "2026-11-01T00:00:00Z", "reconfirm_by": "2027-11-01T00:00:00Z",
                        "created_at": "2026-11-01T00:00:00Z"})
        return subject_id


def install(monkeypatch: pytest.MonkeyPatch) -> MemoryStores:
    from chalicelib.avatars import store as avatars
    from chalicelib.avatars.memory_store import MemoryAvatarStore
    from chalicelib.content import store as content
    from chalicelib.content.memory_store import MemoryContentStore
    from chalicelib.core import crypto
    from chalicelib.dispositions import store as dispositions
    from chalicelib.dispositions.memory_store import MemoryDispositionsStore
    from chalicelib.identity import store as identity
    from chalicelib.identity.memory_store import MemoryIdentityStore
    from chalicelib.names import store as names
    from chalicelib.names.memory_store import MemoryNamesStore
    from chalicelib.reports import store as reports
    from chalicelib.reports.memory_store import MemoryReportsStore

    table = MemoryTable()
    installed = MemoryStores(table, MemoryReportsStore(table), MemoryDispositionsStore(table),
                             MemoryIdentityStore(table), MemoryNamesStore(table), MemoryAvatarStore(table),
                             MemoryContentStore(MemoryTable()))
    for module, fake in ((reports, installed.reports), (dispositions, installed.dispositions),
                         (identity, installed.identity), (names, installed.names), (avatars, installed.avatars),
                         (content, installed.content)):
        monkeypatch.setattr(module, "store", lambda fake=fake: fake)
    monkeypatch.setattr(crypto, "index_key", lambda tenant_id, table: INDEX_KEY)
    return installed


def fixture_at(start: datetime) -> Any:
    """A use-case module's `memory` fixture: GIVEN these stores in memory beside the `fakes` fixture's (the
    tenant's default policy), and the clock at `start`."""
    @pytest.fixture
    def memory(fakes: Any, monkeypatch: pytest.MonkeyPatch) -> MemoryStores:
        clock.set_source(start.timestamp)
        return install(monkeypatch)
    return memory


def clock_from(start: datetime) -> Callable[[float], None]:
    """WHEN `hours` have passed since `start`: the clock moved there."""
    return lambda hours: clock.set_source((start + timedelta(hours=hours)).timestamp)
