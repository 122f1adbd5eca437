"""The OpenAPI document is built from the routes: every route is in it, and it is valid 3.1."""

from __future__ import annotations

from openapi_spec_validator import validate

from chalicelib.core import openapi


def test_every_route_is_documented_with_its_schemas(api, app):
    document = api.call("GET", "/v1/openapi.json").json
    validate(document)
    documented = {(path, method.upper()) for path, item in document["paths"].items() for method in item}
    routed = {(path, method) for path, methods in app.routes.items() for method in methods
              if path.startswith(openapi.API_PREFIX)}  # the console's pages are no operation
    assert documented == routed
    operation_ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))
    for (path, method) in routed:
        op = document["paths"][path][method.lower()]
        assert op["responses"], (method, path)
        assert op["security"] == ([] if path in ("/v1/health", "/v1/openapi.json", "/v1/errors") else [{"ApiKey": []}])


def test_a_route_without_an_operation_declaration_is_refused(app):
    from chalice import Chalice

    stray = Chalice(app_name="stray")

    @stray.route("/v1/stray")
    def undeclared():
        return {}

    try:
        openapi.operations_of(stray)
    except LookupError as error:
        assert "/v1/stray" in str(error)
    else:
        raise AssertionError("an undeclared route went unnoticed")


def test_the_error_catalogue_is_published_without_a_key_and_in_the_document(api):
    # GIVEN no key WHEN the catalogue is read THEN every code is there with its status and both messages
    answer = api.call("GET", "/v1/errors")
    assert answer.status_code == 200
    published = answer.json
    codes = {entry["code"]: entry for entry in published["errors"]}
    assert codes["LIMIT_REACHED"] == {**codes["LIMIT_REACHED"], "status": 409, "article": "PA2017-7"}
    assert codes["API_KEY_MISSING"]["status"] == 401 and codes["API_KEY_MISSING"]["message_zh"]
    # and the document carries the same catalogue, under the same API version
    document = api.call("GET", "/v1/openapi.json").json
    assert document["x-error-codes"] == published["errors"]
    assert document["info"]["version"] == published["api_version"]


def test_the_api_version_has_its_changelog_section():
    # GIVEN the API version the document and /v1/errors publish THEN CHANGELOG.md has a section for it
    from pathlib import Path

    from chalicelib import __version__

    changelog = (Path(__file__).resolve().parents[2] / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## {__version__}\n" in changelog


# Operations declared with neither a description nor an article (none: each one cites the articles behind it).
WITHOUT_DESCRIPTION: set[str] = set()


def test_every_operation_is_summarised_and_described_citing_its_articles(app):
    # GIVEN every declared operation and the document built from them
    from chalicelib.core import openapi as builder

    document = builder.document(app)
    bare = set()
    for op in builder.operations_of(app):
        documented = document["paths"][op.path][op.method.lower()]
        # THEN each has a summary, and a description that names every article behind it
        assert documented["summary"].strip(), op.operation_id
        if op.articles:
            assert "Regulations: " + ", ".join(op.articles) in documented["description"], op.operation_id
        if not op.description and not op.articles:
            bare.add(op.operation_id)
    # and those described by nothing but their summary are named (a new operation gets a description)
    assert bare == WITHOUT_DESCRIPTION
