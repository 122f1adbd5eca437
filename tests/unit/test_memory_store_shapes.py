"""Each in-memory fake offers exactly the DynamoDB store's public methods, with the same parameters in the
same order (names, kinds, defaults), so a method added to or changed on a store fails here until its fake
follows; what the methods do is held equal by the contract suites (tests/integration/test_capability_stores*)."""

from __future__ import annotations

import inspect

import pytest

from chalicelib.avatars.memory_store import MemoryAvatarStore
from chalicelib.avatars.store import AvatarStore
from chalicelib.content.memory_store import MemoryContentStore
from chalicelib.content.store import ContentStore
from chalicelib.dispositions.memory_store import MemoryDispositionsStore
from chalicelib.dispositions.store import DispositionsStore
from chalicelib.filings.memory_store import MemoryFilingStore
from chalicelib.filings.store import FilingStore
from chalicelib.identity.memory_store import MemoryIdentityStore
from chalicelib.identity.store import IdentityStore
from chalicelib.names.memory_store import MemoryNamesStore
from chalicelib.names.store import NamesStore
from chalicelib.reports.memory_store import MemoryReportsStore
from chalicelib.reports.store import ReportsStore

PAIRS = [(ReportsStore, MemoryReportsStore), (DispositionsStore, MemoryDispositionsStore),
         (IdentityStore, MemoryIdentityStore), (NamesStore, MemoryNamesStore), (AvatarStore, MemoryAvatarStore),
         (ContentStore, MemoryContentStore), (FilingStore, MemoryFilingStore)]


def shape(cls: type) -> dict[str, list[tuple[str, str, bool]]]:
    """Public methods (those a use case may call; `_helpers` are each side's own) and their parameters."""
    return {name: [(p.name, p.kind.name, p.default is not inspect.Parameter.empty)
                   for p in inspect.signature(inspect.getattr_static(cls, name).__get__(None, cls)).parameters.values()
                   if p.name != "self"]
            for name, member in inspect.getmembers(cls, callable) if not name.startswith("_")}


@pytest.mark.parametrize(("store", "fake"), PAIRS, ids=[store.__name__ for store, _ in PAIRS])
def test_a_fake_has_every_method_of_its_store_with_the_same_parameters(store, fake):
    assert shape(fake) == shape(store)


def test_a_method_missing_from_a_fake_is_caught():
    class Store:
        def read(self, tenant_id: str, limit: int = 5) -> None: ...
        def write(self, tenant_id: str) -> None: ...

    class Fake:
        def read(self, tenant_id: str, limit: int) -> None: ...

    assert shape(Fake) != shape(Store)
    assert shape(Fake)["read"] != shape(Store)["read"]  # a default lost is a difference too
