"""The in-memory stores of reports (and, as they gain fakes, dispositions, identity, names, avatars,
content and filings) installed behind each capability's `store()` seam on ONE shared table, so a use
case that writes several capabilities in one transaction (a decision with its dispositions, a name ban)
is all or nothing on the fakes as it is in DynamoDB. Used with the `fakes` fixture (policy, accounts,
groups ...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from chalicelib.core.memory_table import MemoryTable


@dataclass
class MemoryStores:
    table: MemoryTable
    reports: Any

    def events(self) -> list[str]:
        """The audit event types committed on the shared table, in order (GR2017-11)."""
        return [event.type for _, event in self.table.events]


def install(monkeypatch: pytest.MonkeyPatch) -> MemoryStores:
    from chalicelib.reports import store as reports
    from chalicelib.reports.memory_store import MemoryReportsStore

    table = MemoryTable()
    installed = MemoryStores(table, MemoryReportsStore(table))
    monkeypatch.setattr(reports, "store", lambda: installed.reports)
    return installed
