"""Shared fixtures: a moto backend built from infra/template.json, the API client, tenants."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "cn-north-1", "AWS_REGION": "cn-north-1",
})
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_PROFILE", None)


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Every test starts with cold per-container caches and the wall clock."""
    from chalicelib import auth, aws, clock
    from chalicelib.adapters import crypto, providers
    from chalicelib.services import names, policy

    def forget_all() -> None:
        auth.forget()
        policy.forget()
        names.forget()
        crypto.forget()
        providers.reset_circuits()
        aws.reset()

    forget_all()
    yield
    clock.set_source(None)
    forget_all()


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """moto's in-process AWS with the stack's tables, bucket and key, named as deployed."""
    from moto import mock_aws

    from infra import resources

    with mock_aws():
        names = resources.create_all("dev", "cn-north-1")
        for name, value in resources.environment(names).items():
            monkeypatch.setenv(name, value)
        yield names


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
    from chalicelib.services import tenants

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

    from chalicelib.observability import logger

    buffer = io.StringIO()
    handler = logger.registered_handler
    previous = handler.setStream(buffer)

    def lines() -> list[dict[str, Any]]:
        return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]

    lines.text = buffer.getvalue  # type: ignore[attr-defined]
    yield lines
    handler.setStream(previous)
