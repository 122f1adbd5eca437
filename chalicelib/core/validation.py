"""JSON Schema (draft 2020-12) validation for every request and response body.

Schemas live in ``chalicelib/schemas/`` (``schemas/`` at the top level points there) so that
`chalice package` ships them. Each validator is compiled once per container on first use. `jsonschema` is imported lazily:
routes that take no body (health, GET) never pay for it at cold start. `$ref`s are
inlined before compiling (see `_inlined`), which halves the cost of validating a request, and
valid documents are recognised by predicates compiled from the schema (`precheck`), several
times faster than jsonschema's walk.
"""

from __future__ import annotations

import json
import threading
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from chalicelib.core.errors import SchemaViolation
from chalicelib.core.schema_precheck import compile_schema

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
BASE_URI = "https://schemas.compliance-api.cn/v1/"
MAX_REPORTED_ERRORS = 20

_lock = threading.Lock()


@lru_cache(maxsize=1)
def all_schemas() -> dict[str, dict[str, Any]]:
    """Every schema file by file name, e.g. ``{"policy.json": {...}}``."""
    return {path.name: json.loads(path.read_text("utf-8")) for path in sorted(SCHEMA_DIR.glob("*.json"))}


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return "T" in value and (value.endswith("Z") or "+" in value[10:] or "-" in value[10:])


def _inlined(node: Any, owner: str, trail: tuple[tuple[str, str], ...] = ()) -> Any:
    """The schema with every `$ref` replaced by its target, so validation never resolves a reference.

    jsonschema spends about half of a small document's validation time resolving `$ref`s
    through the registry; the product's schemas are not recursive, so they can be inlined
    once per container. The files keep their `$ref`s as the single source of truth.
    """
    if isinstance(node, list):
        return [_inlined(item, owner, trail) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        target_file, _, pointer = ref.partition("#")
        target_file = target_file or owner
        if (target_file, pointer) in trail:
            raise ValueError(f"recursive schema reference {ref} in {owner}")
        target: Any = all_schemas()[target_file]
        for part in filter(None, pointer.split("/")):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        resolved = _inlined(target, target_file, trail + ((target_file, pointer),))
        siblings = {k: _inlined(v, owner, trail) for k, v in node.items() if k != "$ref"}
        return {"allOf": [resolved, siblings]} if siblings else resolved
    return {k: _inlined(v, owner, trail) for k, v in node.items() if k not in ("$id", "$schema", "$defs")}


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


_validators: dict[str, Any] = {}
_prechecks: dict[str, Any] = {}


def validator(name: str, schema: dict[str, Any] | None = None) -> Any:
    """The compiled validator of schema file `name`, or of an inline `schema` cached under `name`."""
    found = _validators.get(name)
    if found is not None:
        return found
    with _lock:
        found = _validators.get(name)
        if found is None:
            from jsonschema import Draft202012Validator, FormatChecker

            checker = FormatChecker()
            checker.checks("date-time")(_is_datetime)
            checker.checks("date")(_is_date)
            source = schema if schema is not None else all_schemas()[name]
            Draft202012Validator.check_schema(source)
            found = Draft202012Validator(_inlined(source, name), format_checker=checker)
            _validators[name] = found
    return found


def precheck(name: str, schema: dict[str, Any] | None = None) -> Any:
    """The schema's fast yes (see schema_precheck): True only for documents jsonschema accepts."""
    found = _prechecks.get(name)
    if found is None:
        full = validator(name, schema)
        found = compile_schema(full.schema, lambda node: full.evolve(schema=node).is_valid,
                               full.format_checker.conforms)
        _prechecks[name] = found
    return found


def problems(name: str, document: Any, schema: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """Every violation of schema `name`, as ``{"path", "message"}``, deepest first, capped."""
    found = []
    for error in sorted(validator(name, schema).iter_errors(document), key=lambda e: (-len(e.absolute_path), str(e.message))):
        path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        found.append({"path": path, "message": error.message[:300]})
        if len(found) >= MAX_REPORTED_ERRORS:
            break
    return found


def check(name: str, document: Any, schema: dict[str, Any] | None = None) -> None:
    """Raise SchemaViolation (400) listing what is wrong with `document`. Valid documents take the
    compiled precheck; jsonschema decides the rest and names the errors."""
    if precheck(name, schema)(document) or validator(name, schema).is_valid(document):
        return
    raise SchemaViolation(details={"schema": name, "errors": problems(name, document, schema)})
