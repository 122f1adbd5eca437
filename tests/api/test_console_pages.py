"""The console is served by the app at /console: public (the page holds no key), only its shipped files, and
every answer under a Content-Security-Policy that allows no inline script and no other origin."""

from __future__ import annotations

import json

import pytest

from chalicelib.console import assets, routes as console

SERVED = sorted(assets.manifest())


@pytest.fixture
def api(app):
    """The app in the chalice test client, with no AWS backend: the console's answers need none."""
    from chalice.test import Client

    with Client(app, stage_name="dev") as client:
        yield client


def fetch(api, path: str, headers: dict[str, str] | None = None):
    return api.http.request("GET", path, headers=headers or {})


def csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.partition(" ")[2] for part in (p.strip() for p in policy.split(";")) if part}


def test_the_page_is_served_without_a_key_under_a_strict_csp(api):
    # GIVEN no API key at all WHEN the console is opened
    response = fetch(api, "/console")
    # THEN it is the page, and its policy allows scripts and styles from this origin only, nothing inline
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<main" in response.body.decode()
    policy = csp(response)
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["connect-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    assert not any("unsafe" in value or "*" in value for value in policy.values())
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("name", SERVED)
def test_every_shipped_file_is_served_with_its_type_and_the_policy(api, name):
    response = fetch(api, f"/console/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == assets.TYPES["." + name.rsplit(".", 1)[1]]
    assert response.headers["Content-Security-Policy"] == assets.CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path", [
    "/console/routes.py", "/console/assets.py", "/console/__init__.py", "/console/..%2Froutes.py",
    "/console/..%2F..%2Fapp.py", "/console/%2e%2e%2fassets.py", "/console/static", "/console/index.html",
    "/console/CONSOLE.JS", "/console/console.js%00.py", "/console/" + "a" * 300,
])
def test_nothing_but_a_shipped_file_is_served_by_name(api, path):
    # GIVEN a careless or hostile name: the package's code, a traversal, the page under a second address
    response = fetch(api, path)
    # THEN 404 in the error envelope, still under the policy, and no source code in the answer
    assert response.status_code == 404
    error = json.loads(response.body)["error"]
    assert error["code"] in ("CONSOLE_FILE_NOT_FOUND", "ROUTE_NOT_FOUND") and error["message_zh"]
    assert b"import" not in response.body
    if error["code"] == "CONSOLE_FILE_NOT_FOUND":
        assert response.headers["Content-Security-Policy"] == assets.CONTENT_SECURITY_POLICY
        assert len(error["details"]["name"]) <= 128


def test_writing_to_the_console_is_refused_in_the_envelope(api):
    response = api.http.request("POST", "/console", headers={"Content-Type": "application/json"}, body=b"{}")
    assert response.status_code == 405
    assert json.loads(response.body)["error"]["code"] == "METHOD_NOT_ALLOWED"


def test_the_console_pages_are_routes_of_the_app_outside_the_api_document(api, app):
    # GIVEN the app's routes WHEN the console's are looked up THEN they are routed, under no operation, and the
    # OpenAPI document (the API, /v1) does not list them
    from chalicelib.core.operation_spec import OPERATIONS

    assert set(console.PATHS) <= set(app.routes)
    assert not [key for key in OPERATIONS if not key[0].startswith("/v1/")]
    document = json.loads(fetch(api, "/v1/openapi.json").body)
    assert not any(path.startswith("/console") for path in document["paths"])
