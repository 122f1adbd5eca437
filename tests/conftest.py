"""Shared fixtures: a moto backend built from infra/template.json, the API client, tenants."""

from __future__ import annotations

import copy
import functools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import moto.core.models  # noqa: F401  (moto's stubber joins botocore's built-in handlers before any session exists)
import pytest

os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "cn-north-1", "AWS_REGION": "cn-north-1",
    # The tests run as the dev stage (an unset STAGE means prod, core/config.py).
    "STAGE": "dev",
})
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_PROFILE", None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Each phase's report on its test (item.rep_call, ...): a fixture can act on a failure (a screenshot)."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)


# The tests with the longest set-up or run (the package build, the local stack, the moto-server races, the
# corpora and fault walks): pytest-xdist hands files out in the order collected (`make test` runs
# `--dist loadfile`, so a module's cached index or table is built once), so these overlap the rest instead of
# ending the run alone.
SLOW_FIRST = ("package", "e2e", "integration/test_concurrency.py", "unit/test_post_check_linear.py",
              "unit/test_detection_quality.py", "api/test_faults.py", "unit/test_schema_precheck.py",
              "api/test_filings.py", "api/test_timestamps.py", "unit/test_cursors.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        return next((n for n, mark in enumerate(SLOW_FIRST) if item.get_closest_marker(mark)
                     or item.nodeid.startswith(f"tests/{mark}")), len(SLOW_FIRST))

    items.sort(key=rank)  # stable: every other test keeps its place


# The event emitters of cached clients that gained a handler after the client was made (by a test).
_TOUCHED: list[Any] = []


def _note_registrations() -> None:
    from botocore import hooks

    from chalicelib.core import aws

    register = hooks.HierarchicalEmitter._register_section

    def noted(emitter: Any, *args: Any, **kwargs: Any) -> Any:
        # A client's own handlers are registered while it is made, before it is cached: only later ones count.
        if any(client.meta.events._emitter is emitter for client in aws.clients()):
            _TOUCHED.append(emitter)
        return register(emitter, *args, **kwargs)

    hooks.HierarchicalEmitter._register_section = noted  # type: ignore[method-assign]


_note_registrations()


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Every test starts with cold per-container caches and the wall clock."""
    from chalicelib.avatars import checks as avatars
    from chalicelib.core import auth, aws, clock, crypto, policy
    from chalicelib.identity import providers
    from chalicelib.names import service as names
    from chalicelib.rumours import service as rumours

    def forget_all() -> None:
        auth.forget()
        policy.forget()
        names.forget()
        avatars.forget()
        rumours.forget()
        crypto.forget()
        providers.reset_circuits()
        # The clients a test registered event handlers on go (fault injection, call counting); the others and
        # the session stay, as they were made after moto's stubber joined the built-in handlers (the import
        # above): ≈ 40 ms a client each test saved.
        aws.forget_clients(lambda client: client.meta.events._emitter in _TOUCHED)
        _TOUCHED.clear()

    forget_all()
    yield
    clock.set_source(None)
    forget_all()


@pytest.fixture(scope="session")
def _aws() -> Iterator[dict[str, str]]:
    """One moto backend for the whole run, built from infra/template.json (building it per test
    cost more than the tests themselves); `backend` empties it before each test."""
    from moto import mock_aws

    from infra import moto_transactions, resources

    moto_transactions.install()  # a transaction's backup holds the items it names, not its whole table
    with mock_aws():
        yield resources.create_all("dev", "cn-north-1")


@functools.cache
def _table_names() -> tuple[str, ...]:
    from infra import resources

    return tuple(table["TableName"] for table in resources.table_definitions("dev").values())


def _dynamodb_backend() -> Any:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[DEFAULT_ACCOUNT_ID]["cn-north-1"]


def _empty(names: dict[str, str]) -> None:
    """Every table, queue and the filings bucket emptied and other stacks' tables dropped, inside moto's in-process
    backends (one call per item made the set-up after a write-heavy test cost seconds, and even one call per table
    is tens of ms a test)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends
    from moto.sqs.models import sqs_backends

    tables = _dynamodb_backend().tables
    for table in [name for name in tables if name not in _table_names()]:
        del tables[table]  # another stack's, made by a test on its own prefix: a test sees only its own stack
    for table in _table_names():
        tables[table].items.clear()
    for queue in sqs_backends[DEFAULT_ACCOUNT_ID]["cn-north-1"].queues.values():
        queue._messages, queue._pending_messages = [], set()  # no unit of work left by the test before
    s3_backends[DEFAULT_ACCOUNT_ID]["aws-cn"].buckets[names["FilingsBucket"]].keys.clear()


@pytest.fixture
def backend(_aws: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """moto's in-process AWS with the stack's tables, bucket and key, named as deployed, empty."""
    from infra import resources

    _empty(_aws)
    for name, value in resources.environment(_aws).items():
        monkeypatch.setenv(name, value)
    return _aws


@pytest.fixture
def app() -> Any:
    import app as application

    return application.app


@dataclass
class Api:
    """The chalice test client with JSON conveniences."""

    client: Any

    def call(self, method: str, path: str, *, key: str | None = None, body: Any = None,
             raw: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
        sent = dict(headers or {})
        if key is not None:
            sent["X-Api-Key"] = key
        payload = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        if payload and "content-type" not in {k.lower() for k in sent}:
            sent["Content-Type"] = "application/json"
        response = self.client.http.request(method, path, headers=sent, body=payload)
        response.json = json.loads(response.body) if response.body else None
        return response


@pytest.fixture
def api(backend: dict[str, str], app: Any) -> Iterator[Api]:
    from chalice.test import Client

    with Client(app, stage_name="dev") as client:
        yield Api(client)


@dataclass(frozen=True)
class TenantKey:
    tenant_id: str
    key: str
    key_id: str
    made_at: float = 0.0


# The items each tenant's creation wrote, by (tenant id, sandbox): a later test gets the same tenant, key and
# audit event by copying them back into moto's tables (creating one, sealed under KMS, cost ≈ 0.1 s a test).
_MADE_TENANTS: dict[tuple[str, bool], tuple[TenantKey, list[tuple[str, dict[str, Any]]]]] = {}


def _item_key(table: str, item: Any) -> tuple[str, Any, Any]:
    return table, item.hash_key.value, item.range_key.value if item.range_key else None


def _item_keys(tables: dict[str, Any]) -> set[tuple[str, Any, Any]]:
    return {_item_key(name, item) for name, table in tables.items() for item in table.all_items()}


@pytest.fixture
def make_tenant(backend: dict[str, str]) -> Any:
    from chalicelib.core import clock
    from chalicelib.tenants import service as tenants

    def make(tenant_id: str = "acme", *, sandbox: bool = True) -> TenantKey:
        dynamodb = _dynamodb_backend()
        tables = dynamodb.tables
        made = _MADE_TENANTS.get((tenant_id, sandbox))
        if made is not None and clock.now_epoch() >= made[0].made_at:  # never a tenant from a later clock
            for table, item in made[1]:
                dynamodb.put_item(table, copy.deepcopy(item))
            return made[0]
        before = _item_keys(tables)
        tenant, key, record = tenants.create_tenant(f"{tenant_id} platform", tenant_id=tenant_id, sandbox=sandbox)
        found = TenantKey(tenant.tenant_id, key, record.key_id, clock.now_epoch())
        written = [(name, copy.deepcopy(item.to_json()["Attributes"])) for name, table in tables.items()
                   for item in table.all_items()
                   if _item_key(name, item) not in before]
        _MADE_TENANTS[(tenant_id, sandbox)] = (found, written)
        return found

    return make


@pytest.fixture
def tenant(make_tenant: Any) -> TenantKey:
    return make_tenant("acme")


@pytest.fixture
def log_lines() -> Iterator[Any]:
    """The product logger's real handler, writing into a buffer; call it for the JSON lines so far."""
    import io

    from chalicelib.core.observability import logger

    buffer = io.StringIO()
    handler = logger.registered_handler
    previous = handler.setStream(buffer)

    def lines() -> list[dict[str, Any]]:
        return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]

    lines.text = buffer.getvalue  # type: ignore[attr-defined]
    yield lines
    handler.setStream(previous)


@dataclass
class Fakes:
    """The in-memory stores installed behind each capability's `store()` seam (and the policy store's),
    each held to its DynamoDB store by tests/integration/test_capability_stores.py."""

    accounts: Any
    groups: Any
    logs: Any
    metrics: Any
    rumours: Any
    policies: Any

    def events(self, *stores: Any) -> list[str]:
        """The audit event types the fakes' transactions committed, in order (GR2017-11)."""
        return [event.type for store in stores or (self.accounts, self.groups, self.rumours)
                for _, event in store.table.events]


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> Fakes:
    """Use cases of accounts, groups, logs, metrics and rumours on in-memory stores: no AWS, milliseconds."""
    from chalicelib.accounts import store as accounts
    from chalicelib.accounts.memory_store import MemoryAccountsStore
    from chalicelib.core import stores
    from chalicelib.core.policy_store import MemoryPolicyStore
    from chalicelib.groups import store as groups
    from chalicelib.groups.memory_store import MemoryGroupsStore
    from chalicelib.logs import store as logs
    from chalicelib.logs.memory_store import MemoryLogsStore
    from chalicelib.metrics import store as metrics
    from chalicelib.metrics.memory_store import MemoryMetricsStore
    from chalicelib.rumours import store as rumours
    from chalicelib.rumours.memory_store import MemoryRumoursStore

    installed = Fakes(MemoryAccountsStore(), MemoryGroupsStore(), MemoryLogsStore(), MemoryMetricsStore(),
                      MemoryRumoursStore(), MemoryPolicyStore())
    for module, fake in ((accounts, installed.accounts), (groups, installed.groups), (logs, installed.logs),
                         (metrics, installed.metrics), (rumours, installed.rumours)):
        monkeypatch.setattr(module, "store", lambda fake=fake: fake)
    monkeypatch.setattr(stores, "policies", lambda: installed.policies)
    return installed
