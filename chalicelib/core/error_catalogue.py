"""The catalogue of every stable error code: its HTTP status, English and Chinese message and, where a
regulation is behind it, its article (error_catalogue.json beside this module).

A client branches on `code`, never on a message: the catalogue is the contract, published at
``GET /v1/errors`` and in the OpenAPI document (``x-error-codes``). tests/unit/test_error_catalogue.py
walks the source and fails when a code is raised that is not here, when a code here is raised by
nothing, or when the status here is not the one the code is raised with. The messages here describe
the code; an answer's own message may say more (the limit, the line, the id).

Three codes are API Gateway's own answers (infra/template.json): ROUTE_NOT_FOUND (404), and
GATEWAY_REJECTED / GATEWAY_ERROR, whose status is the gateway's (any 4XX / 5XX).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from chalicelib import __version__

CATALOGUE_FILE = Path(__file__).with_name("error_catalogue.json")


@dataclass(frozen=True)
class ErrorCode:
    code: str
    status: int | str  # an HTTP status, or "4XX" / "5XX" for the gateway's own answers
    message: str
    message_zh: str
    article: str | None = None

    def view(self) -> dict[str, Any]:
        return {name: value for name, value in asdict(self).items() if value is not None}


@lru_cache(maxsize=1)
def entries() -> tuple[ErrorCode, ...]:
    rows = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    return tuple(ErrorCode(**row) for row in rows)


@lru_cache(maxsize=1)
def by_code() -> dict[str, ErrorCode]:
    return {entry.code: entry for entry in entries()}


def published() -> dict[str, Any]:
    """What GET /v1/errors answers: the API version and every code, sorted."""
    return {"api_version": __version__, "errors": [entry.view() for entry in entries()]}
