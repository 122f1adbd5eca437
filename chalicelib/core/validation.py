"""JSON Schema (draft 2020-12) validation for every request and response body.

Schemas live in ``chalicelib/schemas/`` (``schemas/`` at the top level points there) so that
`chalice package` ships them. Each validator is compiled once per container on first use. `jsonschema`
is imported lazily: routes that take no body (health, GET) never pay for it at cold start. `$ref`s are
inlined before compiling (see `schema_inline`), which halves the cost of validating a request, and
valid documents are recognised by predicates compiled from the schema (`precheck`), several
times faster than jsonschema's walk.

Timestamps: ``format: date-time`` is RFC 3339 (`clock.read`); ``formatMinimum``/``formatMaximum``
(the ajv-formats keywords, which JSON Schema 2020-12 does not define) bound it by instant, so
``common.json#/$defs/AcceptedTimestamp`` states the accepted range in the schema itself. jsonschema
learns them by extension (`schema_formats`); schema_precheck does not know them, so the delegate it
is given checks them beside the rest of the node (`schema_formats.bounds_predicate`). After validation,
`canonical` rewrites every date-time of the document as `clock.iso` writes it (UTC, ``Z``; the rewrite
is `schema_canonical`), so no use case sees an offset.
"""

from __future__ import annotations

import json
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from chalicelib.core import schema_canonical, schema_formats
from chalicelib.core.errors import SchemaViolation
from chalicelib.core.pii import redact
from chalicelib.core.schema_formats import BOUNDS
from chalicelib.core.schema_inline import inlined
from chalicelib.core.schema_precheck import KEYWORDS, compile_schema

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
BASE_URI = "https://schemas.compliance-api.cn/v1/"
MAX_REPORTED_ERRORS = 20

_lock = threading.Lock()


@lru_cache(maxsize=1)
def all_schemas() -> dict[str, dict[str, Any]]:
    """Every schema file by file name, e.g. ``{"policy.json": {...}}``."""
    return {path.name: json.loads(path.read_text("utf-8")) for path in sorted(SCHEMA_DIR.glob("*.json"))}


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
            from jsonschema import Draft202012Validator, FormatChecker, validators

            checker = FormatChecker()
            checker.checks("date-time")(schema_formats.is_datetime)
            checker.checks("date")(schema_formats.is_date)
            source = schema if schema is not None else all_schemas()[name]
            Draft202012Validator.check_schema(source)
            kind = validators.extend(Draft202012Validator, {"formatMinimum": schema_formats.format_bound(later=False),
                                                            "formatMaximum": schema_formats.format_bound(later=True)})
            found = kind(inlined(source, name, all_schemas()), format_checker=checker)
            _validators[name] = found
    return found


def precheck(name: str, schema: dict[str, Any] | None = None) -> Any:
    """The schema's fast yes (see schema_precheck): True only for documents jsonschema accepts."""
    found = _prechecks.get(name)
    if found is None:
        full = validator(name, schema)

        def delegate(node: Any) -> Any:
            # A timestamp's bounds are ours: the rest of its node compiles, the bounds are checked as
            # `schema_formats.format_bound` checks them. Any other node the precheck does not know goes to jsonschema.
            if isinstance(node, dict) and BOUNDS & node.keys() and KEYWORDS.issuperset(node.keys() - BOUNDS):
                rest = compile_schema({k: v for k, v in node.items() if k not in BOUNDS}, delegate,
                                      full.format_checker.conforms)
                within = schema_formats.bounds_predicate(node)
                return lambda value: rest(value) and within(value)
            return full.evolve(schema=node).is_valid

        found = compile_schema(full.schema, delegate, full.format_checker.conforms)
        _prechecks[name] = found
    return found


_NUMBER_RUN = re.compile(r"\d{6}")


def _unquoted(message: str, instance: Any) -> str:
    """jsonschema quotes the value it refuses; a string holding a run of digits (an identity number, a phone,
    padded or not) is named by its length instead, and what is left is redacted, so no answer or log of a
    refusal holds a number (RL2020-24)."""
    if isinstance(instance, str) and _NUMBER_RUN.search(instance):
        message = message.replace(repr(instance), f"a string of {len(instance)} characters")
    return redact(message)


def problems(name: str, document: Any, schema: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """Every violation of schema `name`, as ``{"path", "message"}``, deepest first, capped."""
    found = []
    errors = validator(name, schema).iter_errors(document)
    for error in sorted(errors, key=lambda e: (-len(e.absolute_path), str(e.message))):
        path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        found.append({"path": path, "message": _unquoted(error.message, error.instance)[:300]})
        if len(found) >= MAX_REPORTED_ERRORS:
            break
    return found


def check(name: str, document: Any, schema: dict[str, Any] | None = None) -> None:
    """Raise SchemaViolation (400) listing what is wrong with `document`. Valid documents take the
    compiled precheck; jsonschema decides the rest and names the errors."""
    if precheck(name, schema)(document) or validator(name, schema).is_valid(document):
        return
    raise SchemaViolation(details={"schema": name, "errors": problems(name, document, schema)})


_rewrites: dict[str, schema_canonical.Rewrite | None] = {}


def canonical(name: str, document: Any, schema: dict[str, Any] | None = None) -> Any:
    """`document` (valid against schema `name`) with every date-time in UTC ``Z`` form, as the product
    keeps it. The range is checked here again in code, so a field whose schema forgot the bounds is
    still refused (400) rather than stored or overflowing later."""
    if name not in _rewrites:
        _rewrites[name] = schema_canonical.rewriter(validator(name, schema).schema)
    rewrite = _rewrites[name]
    if rewrite is None:
        return document
    try:
        return rewrite(document, "$")
    except schema_canonical.OutOfRange as exc:
        raise SchemaViolation(details={"schema": name, "errors": [{"path": exc.path, "message": exc.message}]}) from exc


def admit(name: str, document: Any) -> tuple[Any, list[dict[str, str]]]:
    """One item of a batch checked on its own: ``(canonical item, [])`` or ``(None, problems)``."""
    found = [] if precheck(name)(document) else problems(name, document)
    if found:
        return None, found
    try:
        return canonical(name, document), []
    except SchemaViolation as exc:
        return None, exc.details["errors"]
