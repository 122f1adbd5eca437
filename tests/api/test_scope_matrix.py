"""The scope matrix, generated from the route table: every route × every scope (PA2017-13, least privilege).

A key holding one scope reaches exactly the operations that declare it and is refused 403 SCOPE_MISSING
everywhere else, before the body or the ids are looked at. `admin` is policy writes and the API keys; it
does not imply the other scopes, so the key that manages keys cannot also decide cases or read subjects.
`inspect` is given only to reads. A route added without a declared scope fails here.
"""

from __future__ import annotations

import re

import pytest

from chalicelib.core import openapi
from chalicelib.core.scopes import EVERY_SCOPE, Scope, granting
from chalicelib.tenants import service as tenants

# What admin may do: the API keys, policy (reads it to write it), and who am I.
ADMIN = {("GET", "/v1/api-keys"), ("POST", "/v1/api-keys"), ("DELETE", "/v1/api-keys/{key_id}"),
         ("GET", "/v1/policy"), ("PUT", "/v1/policy"), ("GET", "/v1/tenant")}
# What an inspector reads, as the issue lists it: audit trail and its verification, filings, cases and stats,
# logs, policy, subjects masked, restrictions, credit. Nothing that writes (verify recomputes, stores nothing).
INSPECT = {("GET", "/v1/audit"), ("POST", "/v1/audit/verify"), ("GET", "/v1/filings"), ("GET", "/v1/cases"),
           ("GET", "/v1/cases/stats"), ("GET", "/v1/cases/{case_id}"), ("GET", "/v1/cases/{case_id}/reports"),
           ("GET", "/v1/logs"), ("GET", "/v1/policy"), ("GET", "/v1/identity/subjects/{subject_id}"),
           ("GET", "/v1/subjects/{subject_id}/restrictions"), ("GET", "/v1/accounts/{account_id}/restrictions"),
           ("GET", "/v1/subjects/{subject_id}/credit"), ("GET", "/v1/tenant"), ("POST", "/v1/subjects/lookup")}
# The lookup is a POST only so the raw number is in no URL or access log (RL2020-24); it writes nothing.
READS_THAT_POST = {("POST", "/v1/audit/verify"), ("POST", "/v1/subjects/lookup")}


def _operations(app):
    return openapi.operations_of(app)


def _url(path: str) -> str:
    return re.sub(r"{[^}]+}", "zz1", path)


def test_every_route_declares_its_scope_and_public_ones_none(app):
    # GIVEN the route table
    # THEN each authenticated operation names at least one scope, each public one none
    undeclared = [op.operation_id for op in _operations(app) if not op.public and not granting(op.scope)]
    public_scoped = [op.operation_id for op in _operations(app) if op.public and op.scope is not None]
    assert (undeclared, public_scoped) == ([], [])


def test_admin_is_keys_and_policy_only(app):
    assert {(op.method, op.path) for op in _operations(app) if Scope.ADMIN in granting(op.scope)} == ADMIN


def test_inspect_reaches_the_inspectors_reads_and_nothing_that_writes(app):
    inspected = {(op.method, op.path) for op in _operations(app) if Scope.INSPECT in granting(op.scope)}
    assert inspected == INSPECT
    assert all(method == "GET" or (method, path) in READS_THAT_POST for method, path in inspected)


@pytest.mark.parametrize("held", [*Scope, None], ids=[*(s.value for s in Scope), "every-scope"])
def test_a_key_reaches_exactly_the_routes_of_its_scopes(api, tenant, app, held):
    # GIVEN a key of the tenant holding one scope (or, as keys stored before scopes, every scope)
    key_scopes = EVERY_SCOPE if held is None else frozenset({held})
    key, _ = tenants.issue_key(tenants.find_tenant(tenant.tenant_id), label="matrix", scopes=key_scopes)
    wrong = []
    for op in _operations(app):
        if op.public:
            continue
        # WHEN it calls the route as a careless client would: made-up ids, an empty body
        response = api.call(op.method, _url(op.path), key=key, body={} if op.request_schema else None)
        refused = response.status_code == 403 and response.json["error"]["code"] == "SCOPE_MISSING"
        needed = granting(op.scope)
        # THEN it is refused exactly where it holds none of the scopes that grant the route
        if refused != (not key_scopes & needed):
            wrong.append((op.method, op.path, response.status_code))
        elif refused and response.json["error"]["details"]["scope"] not in {s.value for s in needed}:
            wrong.append((op.method, op.path, "names a scope that would not grant it"))
    assert wrong == []


def test_the_openapi_document_states_each_operations_scope(api, app):
    # GIVEN the published document WHEN a client reads an operation THEN it says which scopes grant it
    paths = api.call("GET", "/v1/openapi.json").json["paths"]
    for op in _operations(app):
        doc = paths[op.path][op.method.lower()]
        if op.public:
            assert "x-scope" not in doc
            continue
        declared = [scope.value for scope in Scope if scope in granting(op.scope)]
        assert doc["x-scope"] == declared, op.operation_id
        assert "Scope: " + " or ".join(declared) in doc["description"]
        assert "403" in doc["responses"]
