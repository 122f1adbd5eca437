"""The server holds every request to the parameters its operation declares, so the served document is
the whole contract: a path id means the same percent-encoded or not, and a declared header is
refused when it breaks its schema, as a body or a query is, naming the header; never a 500."""

from __future__ import annotations

import re
from typing import Any

import pytest

from chalicelib.core.operation_spec import OPERATIONS
from tests.builders import dispose, report


def restricted(api: Any, key: str, path_id: str) -> list[str]:
    answer = api.call("GET", f"/v1/accounts/{path_id}/restrictions", key=key)
    assert answer.status_code == 200, answer.json
    return [r["disposition_id"] for r in answer.json["restrictions"]]


def test_a_percent_encoded_path_id_names_the_same_resource(api, tenant):
    # GIVEN a disposition on a platform account whose id carries ':' and '@' (PATH_ID admits both)
    created = dispose(api, tenant.key, type="SUSPEND_PUBLISHING", target={"type": "ACCOUNT", "id": "weibo:u@1"})
    assert created.status_code == 201, created.json
    # WHEN its restrictions are read with the id as written and as an HTTP client percent-encodes it
    raw, encoded = restricted(api, tenant.key, "weibo:u@1"), restricted(api, tenant.key, "weibo%3Au%401")
    # THEN both name the same account, which carries the disposition
    assert raw == encoded == [created.json["disposition_id"]]


@pytest.mark.parametrize("path_id", ["a%20b", "%2561", "a%2Fb", "%FF"])
def test_a_percent_encoded_path_id_outside_the_pattern_is_still_refused(api, tenant, path_id):
    # GIVEN an id that decodes to a blank, a percent sign, a slash or no UTF-8 at all
    # WHEN it is sent, THEN it is refused as an id, not looked up
    answer = api.call("GET", f"/v1/accounts/{path_id}/restrictions", key=tenant.key)
    assert (answer.status_code, answer.json["error"]["code"]) == (400, "PATH_PARAMETER_INVALID"), answer.json


def test_an_idempotency_key_over_its_declared_length_is_refused_and_nothing_is_filed(api, tenant):
    # GIVEN an Idempotency-Key one character over the declared maxLength (128)
    # WHEN a report is filed with it
    answer = report(api, tenant.key, headers={"Idempotency-Key": "k" * 129})
    # THEN it is refused naming the header, and no case was opened
    assert (answer.status_code, answer.json["error"]["code"]) == (400, "IDEMPOTENCY_KEY_INVALID"), answer.json
    assert answer.json["error"]["details"]["header"] == "Idempotency-Key"
    assert api.call("GET", "/v1/cases", key=tenant.key).json["items"] == []


@pytest.mark.parametrize("value", ["\u00b3", "\"\u00b9\"", "W/\"1", "1 2", "soon", ""])
def test_an_if_match_that_is_no_version_is_a_400_never_a_500(api, tenant, value):
    # GIVEN an If-Match that is no policy version: a superscript digit (a latin-1 header byte that
    # str.isdigit() accepts and int() refuses), unbalanced quotes, words, nothing
    # WHEN the policy is changed with it
    answer = api.call("PUT", "/v1/policy", key=tenant.key, body={}, headers={"If-Match": value})
    # THEN it is refused as the If-Match it is
    assert (answer.status_code, answer.json["error"]["code"]) == (400, "IF_MATCH_INVALID"), answer.json


@pytest.mark.parametrize("value", ["\"0\"", "W/\"0\"", "0"])
def test_an_if_match_in_any_declared_spelling_is_read_as_the_version(api, tenant, value):
    # GIVEN the policy at version 0, WHEN it is changed with If-Match naming version 0 in a declared spelling
    answer = api.call("PUT", "/v1/policy", key=tenant.key, body={}, headers={"If-Match": value})
    # THEN the change goes through
    assert answer.status_code == 200, answer.json


def declared_headers() -> list[tuple[str, str, str]]:
    import app  # noqa: F401  (registers every operation)

    return sorted({(op.method, op.path, p.name) for op in OPERATIONS.values() for p in op.headers})


@pytest.mark.parametrize(("method", "path", "header"), declared_headers())
def test_every_declared_header_is_held_to_its_schema(api, tenant, method, path, header):
    # GIVEN any operation declaring a header, and a value no declared header schema admits (too long)
    url = re.sub(r"{[^}]+}", "x", path)
    # WHEN the operation is called with it
    answer = api.call(method, url, key=tenant.key, body={} if method in ("POST", "PUT") else None,
                      headers={header: "9" * 300})
    # THEN the header is refused by name, before anything else reads it
    code = header.upper().removeprefix("X-").replace("-", "_") + "_INVALID"
    assert (answer.status_code, answer.json["error"]["code"]) == (400, code), answer.json


def test_every_integer_query_parameter_declares_a_bound_the_server_reads():
    # GIVEN every operation's query parameters, WHEN the integer ones are read, THEN each declares a maximum of
    # at most 18 digits: the server reads 18 (request_parts.INTEGER), so a schema-valid value is never refused
    from chalicelib.core.request_parts import INTEGER

    unbounded = [(op.path, param.name) for op in OPERATIONS.values() for param in op.query
                 if param.schema.get("type") == "integer"
                 and not INTEGER.fullmatch(str(param.schema.get("maximum", "9" * 19)))]
    assert unbounded == []


@pytest.mark.parametrize(("from_seq", "status"), [("999999999999", 200), ("628331326196960854016", 400)])
def test_the_audit_listing_reads_any_sequence_number_its_document_admits(api, tenant, from_seq, status):
    # GIVEN a tenant's audit trail (GR2017-11), WHEN it is listed from the last sequence number the document
    # admits, or from one past it (21 digits, found by make fuzz)
    answer = api.call("GET", f"/v1/audit?from_seq={from_seq}", key=tenant.key)
    # THEN the first is an empty page, the second a declared refusal: never a schema-valid value refused
    assert answer.status_code == status, answer.json
    if status == 200:
        assert answer.json["items"] == [] and answer.json["next_from_seq"] is None
    else:
        assert answer.json["error"]["code"] == "SCHEMA_VIOLATION"
