"""Shared fixtures: a moto backend built from infra/template.json, the API client, tenants."""

from __future__ import annotations

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
        # The clients go (a test may have registered event handlers on them); the session stays, as it was
        # made after moto's stubber joined the built-in handlers (the import above): ≈ 60 ms a client saved.
        aws.reset(session=False)

    forget_all()
    yield
    clock.set_source(None)
    forget_all()


@pytest.fixture(scope="session")
def _aws() -> Iterator[dict[str, str]]:
    """One moto backend for the whole run, built from infra/template.json (building it per test
    cost more than the tests themselves); `backend` empties it before each test."""
    from moto import mock_aws

    from infra import resources

    with mock_aws():
        yield resources.create_all("dev", "cn-north-1")


@functools.cache
def _admin(service: str) -> Any:
    """The fixtures' own boto3 client of a service, made once per process inside the session's mock
    (no test registers handlers on it)."""
    import boto3

    return boto3.client(service, region_name="cn-north-1")


@functools.cache
def _table_names() -> tuple[str, ...]:
    from infra import resources

    return tuple(table["TableName"] for table in resources.table_definitions("dev").values())


def _empty(names: dict[str, str]) -> None:
    """Every table and the bucket emptied. Tables are cleared inside moto's in-process backend (one
    delete call per item made the set-up after a write-heavy test cost seconds); a scan confirms it."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends
    from moto.sqs.models import sqs_backends

    dynamodb = _admin("dynamodb")
    tables = dynamodb_backends[DEFAULT_ACCOUNT_ID]["cn-north-1"].tables
    for table in _table_names():
        tables[table].items.clear()
        assert dynamodb.scan(TableName=table, Limit=1)["Count"] == 0
    for queue in sqs_backends[DEFAULT_ACCOUNT_ID]["cn-north-1"].queues.values():
        queue._messages, queue._pending_messages = [], set()  # no unit of work left by the test before
    s3 = _admin("s3")
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=names["FilingsBucket"]):
        for version in page.get("Versions", []) + page.get("DeleteMarkers", []):
            s3.delete_object(Bucket=names["FilingsBucket"], Key=version["Key"], VersionId=version["VersionId"])


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


@pytest.fixture
def make_tenant(backend: dict[str, str]) -> Any:
    from chalicelib.tenants import service as tenants

    def make(tenant_id: str = "acme", *, sandbox: bool = True) -> TenantKey:
        tenant, key, record = tenants.create_tenant(f"{tenant_id} platform", tenant_id=tenant_id, sandbox=sandbox)
        return TenantKey(tenant.tenant_id, key, record.key_id)

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
