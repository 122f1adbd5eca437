"""GET /docs and its files: public, because the page holds no key (the caller pastes one into Authorize)
and every call it makes is a call to /v1 with that key. Not API operations: the OpenAPI document
describes /v1 only (core/openapi.py)."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.core.answers import error_response
from chalicelib.core.errors import NotFound
from chalicelib.docs import pages

bp = Blueprint(__name__)
PATHS = ("/docs", "/docs/{asset}")


@bp.route("/docs", methods=["GET"])
def docs_page() -> Response:
    return _answer(pages.page())


@bp.route("/docs/{asset}", methods=["GET"])
def docs_asset(asset: str) -> Response:
    found = pages.find(asset)
    if found is None:
        error = NotFound("No such documentation file.", message_zh="文档没有这个文件。", code="DOCS_FILE_NOT_FOUND",
                         details={"name": asset[:128]})
        response = error_response(error)
        response.headers.update(pages.HEADERS)
        return response
    return _answer(found)


def _answer(found: pages.Asset) -> Response:
    return Response(body=found.text, status_code=200, headers=found.headers())
