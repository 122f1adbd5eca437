"""GET /console and its files: public, because the page holds no key (the reviewer pastes one, kept in the
tab's session storage) and every action it offers is a call to /v1 with that key."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.console import assets
from chalicelib.core.answers import error_response
from chalicelib.core.errors import NotFound

bp = Blueprint(__name__)
# Routes of the app that are pages, not API operations: the OpenAPI document describes /v1 only.
PATHS = ("/console", "/console/{asset}")


@bp.route("/console", methods=["GET"])
def console_page() -> Response:
    return _answer(assets.page())


@bp.route("/console/{asset}", methods=["GET"])
def console_asset(asset: str) -> Response:
    found = assets.find(asset)
    if found is None:
        return _not_found(asset)
    return _answer(found)


def _answer(found: assets.Asset) -> Response:
    return Response(body=found.text, status_code=200, headers=assets.headers_for(found))


def _not_found(name: str) -> Response:
    """Only the shipped files, by exact name: `../app.py`, `routes.py` or `index.html` are not among them."""
    error = NotFound("No such console file.", message_zh="控制台没有这个文件。", code="CONSOLE_FILE_NOT_FOUND",
                     details={"name": name[:128]})
    response = error_response(error)
    response.headers.update(assets.HEADERS)
    return response
