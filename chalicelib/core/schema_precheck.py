"""A schema compiled to plain Python predicates: the fast yes for bodies that are valid.

`jsonschema` walks a document keyword by keyword, creating a validator object at every step
down; a 100-item array costs it most of a millisecond. Most bodies are valid, so `compile_schema`
turns a schema into nested closures that answer only "valid or not", with jsonschema's exact
semantics for the keywords the product's schemas use (type, enum, const, properties, required,
additionalProperties, items, bounds, lengths, pattern, format, propertyNames, allOf, anyOf,
oneOf, not). A node with any other keyword is handed to jsonschema whole. When the predicate
says no, `validation.check` asks jsonschema, which stays the authority and names the errors;
the test suite holds the predicate equal to jsonschema on generated documents for every schema.
The types and the object, array and scalar keywords' predicates are in `schema_keyword_checks`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.core.schema_keyword_checks import TYPES, Predicate, array_checks, object_checks, scalar_checks

ANNOTATIONS = {"title", "description", "default", "examples", "$comment", "contentEncoding", "contentMediaType",
               "deprecated", "readOnly", "writeOnly"}
KEYWORDS = ANNOTATIONS | {
    "type", "enum", "const", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "format",
    "propertyNames", "minProperties", "maxProperties", "allOf", "anyOf", "oneOf", "not",
}


def _always(_: Any) -> bool:
    return True


def _never(_: Any) -> bool:
    return False


def _all(checks: list[Predicate]) -> Predicate:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    bound = tuple(checks)

    def every(value: Any) -> bool:
        for check in bound:
            if not check(value):
                return False
        return True

    return every


def compile_schema(node: Any, delegate: Callable[[Any], Predicate], format_ok: Callable[[Any, str], bool]) -> Predicate:
    """The predicate of `node`: `delegate(node)` (jsonschema) for nodes with keywords it does not know,
    `format_ok(value, format)` for `format` (the validator's format checker)."""
    if node is True:
        return _always
    if node is False:
        return _never
    if not isinstance(node, dict) or not KEYWORDS.issuperset(node) or ("items" in node and "prefixItems" in node):
        return delegate(node)

    def sub(child: Any) -> Predicate:
        return compile_schema(child, delegate, format_ok)

    checks: list[Predicate] = []
    if "type" in node:
        names = node["type"] if isinstance(node["type"], list) else [node["type"]]
        kinds = tuple(TYPES[name] for name in names)
        checks.append(kinds[0] if len(kinds) == 1 else lambda v: any(kind(v) for kind in kinds))
    if "enum" in node:
        checks.append(_enum(node["enum"]))
    if "const" in node:
        from jsonschema._utils import equal

        constant = node["const"]
        checks.append(lambda v: equal(v, constant))
    checks += object_checks(node, sub) + array_checks(node, sub) + scalar_checks(node, format_ok)
    if "allOf" in node:
        checks.append(_every(tuple(sub(child) for child in node["allOf"])))
    if "anyOf" in node:
        checks.append(_some(tuple(sub(child) for child in node["anyOf"])))
    if "oneOf" in node:
        checks.append(_exactly_one(tuple(sub(child) for child in node["oneOf"])))
    if "not" in node:
        negated = sub(node["not"])
        checks.append(lambda v: not negated(v))
    return _all(checks)


def _enum(values: list[Any]) -> Predicate:
    if all(isinstance(value, str) for value in values):
        allowed = frozenset(values)
        return lambda v: isinstance(v, str) and v in allowed
    from jsonschema._utils import equal

    return lambda v: any(equal(v, value) for value in values)


def _every(parts: tuple[Predicate, ...]) -> Predicate:
    return lambda v: all(part(v) for part in parts)


def _some(parts: tuple[Predicate, ...]) -> Predicate:
    return lambda v: any(part(v) for part in parts)


def _exactly_one(parts: tuple[Predicate, ...]) -> Predicate:
    return lambda v: sum(1 for part in parts if part(v)) == 1
