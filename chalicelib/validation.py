"""JSON Schema (draft 2020-12) validation for every request and response body.

Schemas live in ``chalicelib/schemas/`` (``schemas/`` at the top level points there) so that
`chalice package` ships them. They are loaded into one `referencing` registry, and each
validator is compiled once per container on first use. `jsonschema` is imported lazily:
routes that take no body (health, GET) never pay for it at cold start.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from chalicelib.errors import SchemaViolation

SCHEMA_DIR = Path(__file__).parent / "schemas"
BASE_URI = "https://schemas.compliance-api.cn/v1/"
MAX_REPORTED_ERRORS = 20

_lock = threading.Lock()


@lru_cache(maxsize=1)
def all_schemas() -> dict[str, dict[str, Any]]:
    """Every schema file by file name, e.g. ``{"policy.json": {...}}``."""
    return {path.name: json.loads(path.read_text("utf-8")) for path in sorted(SCHEMA_DIR.glob("*.json"))}


@lru_cache(maxsize=1)
def _registry() -> Any:
    from referencing import Registry, Resource

    return Registry().with_resources(
        (BASE_URI + name, Resource.from_contents(schema)) for name, schema in all_schemas().items()
    )


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return "T" in value and (value.endswith("Z") or "+" in value[10:] or "-" in value[10:])


_validators: dict[str, Any] = {}


def validator(name: str) -> Any:
    found = _validators.get(name)
    if found is not None:
        return found
    with _lock:
        found = _validators.get(name)
        if found is None:
            from jsonschema import Draft202012Validator, FormatChecker

            checker = FormatChecker()
            checker.checks("date-time")(_is_datetime)
            schema = all_schemas()[name]
            Draft202012Validator.check_schema(schema)
            found = Draft202012Validator(schema, registry=_registry(), format_checker=checker)
            _validators[name] = found
    return found


def problems(name: str, document: Any) -> list[dict[str, str]]:
    """Every violation of schema `name`, as ``{"path", "message"}``, deepest first, capped."""
    found = []
    for error in sorted(validator(name).iter_errors(document), key=lambda e: (-len(e.absolute_path), str(e.message))):
        path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        found.append({"path": path, "message": error.message[:300]})
        if len(found) >= MAX_REPORTED_ERRORS:
            break
    return found


def check(name: str, document: Any) -> None:
    """Raise SchemaViolation (400) listing what is wrong with `document`."""
    if validator(name).is_valid(document):
        return
    raise SchemaViolation(details={"schema": name, "errors": problems(name, document)})
