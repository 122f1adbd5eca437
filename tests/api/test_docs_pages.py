"""The interactive documentation at /docs: Swagger UI from the npm package swagger-ui-dist, shipped with the
app (no CDN), public (it holds no key), only its shipped files, under a strict Content-Security-Policy."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from chalicelib.docs import pages, routes as docs

SERVED = sorted(pages.manifest())


@pytest.fixture
def api(app):
    """The app in the chalice test client, no AWS backend: the pages need none."""
    from chalice.test import Client

    with Client(app, stage_name="dev") as client:
        yield client


def fetch(api, path: str):
    return api.http.request("GET", path, headers={})


def csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.partition(" ")[2] for part in (p.strip() for p in policy.split(";")) if part}


def test_the_page_is_served_without_a_key_and_loads_only_its_own_files(api):
    # GIVEN no API key WHEN /docs is opened
    response = fetch(api, "/docs")
    page = response.body.decode()
    # THEN it is the page, and every script and stylesheet it loads is one of the shipped files, by relative path
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/html; charset=utf-8"
    loaded = re.findall(r'(?:src|href)="([^"]+)"', page)
    files = [link.removeprefix("docs/") for link in loaded if link.startswith("docs/")]
    assert {"swagger-ui-bundle.js", "swagger-ui.css", "docs.js"} <= set(files)
    assert set(files) <= set(SERVED)
    assert not [link for link in loaded if "//" in link], "nothing from another origin (no CDN)"
    assert "<script>" not in page and "style=" not in page  # nothing inline for the policy to have to allow


def test_every_answer_carries_a_policy_that_allows_no_inline_script_and_no_other_origin(api):
    # GIVEN the page, each shipped file and a refused name WHEN each is fetched
    for path in ["/docs", *(f"/docs/{name}" for name in SERVED), "/docs/nothing.js"]:
        policy = csp(fetch(api, path))
        # THEN scripts and styles come from this origin only, nothing inline, no frame, calls only to this origin
        assert policy["default-src"] == "'none'", path
        assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'", path
        assert policy["connect-src"] == "'self'" and policy["frame-ancestors"] == "'none'", path
        assert "unsafe" not in " ".join(policy.values()), path


@pytest.mark.parametrize("name", SERVED)
def test_each_shipped_file_is_served_with_its_type(api, name):
    response = fetch(api, f"/docs/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == pages.TYPES[pages.manifest()[name].suffix]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", ["routes.py", "pages.py", "__init__.py", "VENDOR.json", "index.html", "..%2Fpages.py",
                                  "%2e%2e%2fpages.py", "docs.js%00", "DOCS.JS", "swagger-ui.css.map"])
def test_a_name_that_is_not_a_shipped_file_is_a_404_in_the_envelope(api, name):
    # GIVEN a module of the package, the manifest, the page under another name, a traversal or a source map
    response = fetch(api, f"/docs/{name}")
    # THEN 404 DOCS_FILE_NOT_FOUND in the error envelope, under the same policy
    assert response.status_code == 404
    assert json.loads(response.body)["error"]["code"] == "DOCS_FILE_NOT_FOUND"
    assert "Content-Security-Policy" in response.headers


def test_the_vendored_viewer_is_the_pinned_release_unchanged():
    # GIVEN the manifest written when swagger-ui-dist was vendored (infra/docs_viewer.py)
    manifest = pages.vendored()
    files = manifest["files"]
    assert isinstance(files, dict) and manifest["package"] == "swagger-ui-dist"
    # WHEN every vendored file is hashed THEN each is the released file, and no file is there unlisted
    for name, digest in files.items():
        assert hashlib.sha256((pages.HERE / "vendor" / name).read_bytes()).hexdigest() == digest, name
    assert {p.name for p in (pages.HERE / "vendor").iterdir()} == set(files) | {"VENDOR.json"}
    assert {"LICENSE", "NOTICE"} <= set(files)  # Apache-2.0: the licence and notice ship with it


def test_the_docs_pages_are_outside_the_api_document(api, app):
    assert set(docs.PATHS) <= set(app.routes)
    document = json.loads(fetch(api, "/v1/openapi.json").body)
    assert not any(path.startswith("/docs") for path in document["paths"])
