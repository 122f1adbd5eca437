"""The deployment package ships what /docs, GET /v1/errors and the document's examples read at run time."""

from __future__ import annotations

import zipfile

import pytest

from tests.package.test_package import package_dir  # noqa: F401  (the module's built package, shared)

pytestmark = pytest.mark.package

SHIPPED = (
    "chalicelib/docs/static/index.html", "chalicelib/docs/static/docs.js", "chalicelib/docs/static/docs.css",
    "chalicelib/docs/vendor/swagger-ui-bundle.js", "chalicelib/docs/vendor/swagger-ui.css",
    "chalicelib/docs/vendor/LICENSE", "chalicelib/docs/vendor/NOTICE", "chalicelib/docs/vendor/VENDOR.json",
    "chalicelib/core/error_catalogue.json", "chalicelib/core/openapi_examples.json",
    "chalicelib/schemas/webhook_case_decided.json", "chalicelib/schemas/webhook_appeal_decided.json",
)


def test_the_docs_viewer_catalogue_and_examples_are_inside_the_package(package_dir):  # noqa: F811
    names = set(zipfile.ZipFile(package_dir / "deployment.zip").namelist())
    assert [name for name in SHIPPED if name not in names] == []
