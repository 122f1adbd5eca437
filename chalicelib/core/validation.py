"""JSON Schema (draft 2020-12) validation for every request and response body.

Schemas live in ``chalicelib/schemas/`` (``schemas/`` at the top level points there) so that
`chalice package` ships them. Each validator is compiled once per container on first use. `jsonschema`
is imported lazily: routes that take no body (health, GET) never pay for it at cold start. `$ref`s are
inlined before compiling (see `_inlined`), which halves the cost of validating a request, and
valid documents are recognised by predicates compiled from the schema (`precheck`), several
times faster than jsonschema's walk.

Timestamps: ``format: date-time`` is RFC 3339 (`clock.read`); ``formatMinimum``/``formatMaximum``
(the ajv-formats keywords, which JSON Schema 2020-12 does not define) bound it by instant, so
``common.json#/$defs/AcceptedTimestamp`` states the accepted range in the schema itself. jsonschema
learns them by extension (`_format_bound`); schema_precheck does not know them, so the delegate it
is given checks them beside the rest of the node (`_bounds_predicate`). After validation, `canonical`
rewrites every date-time of the document as `clock.iso` writes it (UTC, ``Z``), so no use case sees
an offset.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from chalicelib.core import clock
from chalicelib.core.errors import SchemaViolation
from chalicelib.core.pii import redact
from chalicelib.core.schema_precheck import KEYWORDS, compile_schema

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
BASE_URI = "https://schemas.compliance-api.cn/v1/"
MAX_REPORTED_ERRORS = 20

_lock = threading.Lock()


@lru_cache(maxsize=1)
def all_schemas() -> dict[str, dict[str, Any]]:
    """Every schema file by file name, e.g. ``{"policy.json": {...}}``."""
    return {path.name: json.loads(path.read_text("utf-8")) for path in sorted(SCHEMA_DIR.glob("*.json"))}


def _is_datetime(value: object) -> bool:
    return not isinstance(value, str) or clock.read(value) is not None


def _format_bound(later: bool) -> Callable[..., Iterator[Any]]:
    """``formatMinimum`` (later=False) or ``formatMaximum`` (later=True), inclusive, for date-time: instants
    compared, not strings, so an offset cannot move a timestamp past the bound."""
    def check(validator: Any, bound: str, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
        if schema.get("format") != "date-time" or not isinstance(instance, str):
            return
        moment, limit = clock.read(instance), clock.read(bound)
        if moment is None or limit is None:
            return  # `format` reports what is not a date-time
        if (moment > limit) if later else (moment < limit):
            from jsonschema import ValidationError

            yield ValidationError(f"{instance!r} is {'after' if later else 'before'} {bound}")

    return check


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
            from jsonschema import Draft202012Validator, FormatChecker, validators

            checker = FormatChecker()
            checker.checks("date-time")(_is_datetime)
            checker.checks("date")(_is_date)
            source = schema if schema is not None else all_schemas()[name]
            Draft202012Validator.check_schema(source)
            kind = validators.extend(Draft202012Validator, {"formatMinimum": _format_bound(later=False),
                                                            "formatMaximum": _format_bound(later=True)})
            found = kind(_inlined(source, name), format_checker=checker)
            _validators[name] = found
    return found


def precheck(name: str, schema: dict[str, Any] | None = None) -> Any:
    """The schema's fast yes (see schema_precheck): True only for documents jsonschema accepts."""
    found = _prechecks.get(name)
    if found is None:
        full = validator(name, schema)

        def delegate(node: Any) -> Any:
            # A timestamp's bounds are ours: the rest of its node compiles, the bounds are checked as
            # `_format_bound` checks them. Any other node the precheck does not know goes to jsonschema.
            if isinstance(node, dict) and _BOUNDS & node.keys() and KEYWORDS.issuperset(node.keys() - _BOUNDS):
                rest = compile_schema({k: v for k, v in node.items() if k not in _BOUNDS}, delegate,
                                      full.format_checker.conforms)
                within = _bounds_predicate(node)
                return lambda value: rest(value) and within(value)
            return full.evolve(schema=node).is_valid

        found = compile_schema(full.schema, delegate, full.format_checker.conforms)
        _prechecks[name] = found
    return found


_BOUNDS = frozenset({"formatMinimum", "formatMaximum"})


def _bounds_predicate(node: dict[str, Any]) -> Callable[[Any], bool]:
    """The precheck's `formatMinimum`/`formatMaximum`: the same answers as `_format_bound`."""
    if node.get("format") != "date-time":
        return lambda value: True
    low = clock.read(node["formatMinimum"]) if "formatMinimum" in node else None
    high = clock.read(node["formatMaximum"]) if "formatMaximum" in node else None

    def within(value: Any) -> bool:
        moment = clock.read(value) if isinstance(value, str) else None
        return moment is None or ((low is None or moment >= low) and (high is None or moment <= high))

    return within


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


Rewrite = Callable[[Any, str], Any]
_rewrites: dict[str, Rewrite | None] = {}


def canonical(name: str, document: Any, schema: dict[str, Any] | None = None) -> Any:
    """`document` (valid against schema `name`) with every date-time in UTC ``Z`` form, as the product
    keeps it. The range is checked here again in code, so a field whose schema forgot the bounds is
    still refused (400) rather than stored or overflowing later."""
    if name not in _rewrites:
        _rewrites[name] = _rewriter(validator(name, schema).schema)
    rewrite = _rewrites[name]
    if rewrite is None:
        return document
    try:
        return rewrite(document, "$")
    except _OutOfRange as exc:
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


class _OutOfRange(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


def _to_utc(value: Any, path: str) -> Any:
    moment = clock.read(value) if isinstance(value, str) else None
    if moment is None:
        return value  # not this branch's value (a null, or another oneOf choice)
    if not clock.within_range(moment):
        raise _OutOfRange(path, f"{value!r} is outside {clock.iso(clock.EARLIEST)} .. {clock.iso(clock.LATEST)}")
    if len(value) == 20 and value[10] == "T" and value[19] == "Z":
        return value  # already as the product writes it (most clients send UTC)
    return clock.iso(moment)


def _rewriter(node: Any) -> Rewrite | None:
    """The rewrite of an inlined schema's date-times, or None when the node holds none (most bodies)."""
    if not isinstance(node, dict):
        return None
    steps: list[Rewrite] = [_to_utc] if node.get("format") == "date-time" else []
    for keyword in ("allOf", "anyOf", "oneOf"):
        steps += [found for child in node.get(keyword, []) if (found := _rewriter(child)) is not None]
    fields = {key: found for key, child in node.get("properties", {}).items()
              if (found := _rewriter(child)) is not None}
    extra, each = _rewriter(node.get("additionalProperties")), _rewriter(node.get("items"))
    if fields or extra is not None:
        steps.append(_object_rewrite(fields, frozenset(node.get("properties", {})), extra))
    if each is not None:
        steps.append(lambda value, path: [each(item, f"{path}[{n}]") for n, item in enumerate(value)]
                     if isinstance(value, list) else value)
    if not steps:
        return None

    def rewrite(value: Any, path: str) -> Any:
        for step in steps:
            value = step(value, path)
        return value

    return rewrite


def _object_rewrite(fields: dict[str, Rewrite], named: frozenset[str], extra: Rewrite | None) -> Rewrite:
    def rewrite(value: Any, path: str) -> Any:
        if not isinstance(value, dict):
            return value
        found = {}
        for key, item in value.items():
            step = fields.get(key) if key in named else extra
            found[key] = step(item, f"{path}.{key}") if step is not None else item
        return found

    return rewrite
