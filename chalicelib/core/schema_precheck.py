"""A schema compiled to plain Python predicates: the fast yes for bodies that are valid.

`jsonschema` walks a document keyword by keyword, creating a validator object at every step
down; a 100-item array costs it most of a millisecond. Most bodies are valid, so `compile_schema`
turns a schema into nested closures that answer only "valid or not", with jsonschema's exact
semantics for the keywords the product's schemas use (type, enum, const, properties, required,
additionalProperties, items, bounds, lengths, pattern, format, propertyNames, allOf, anyOf,
oneOf, not). A node with any other keyword is handed to jsonschema whole. When the predicate
says no, `validation.check` asks jsonschema, which stays the authority and names the errors;
the test suite holds the predicate equal to jsonschema on generated documents for every schema.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from typing import Any

Predicate = Callable[[Any], bool]

ANNOTATIONS = {"title", "description", "default", "examples", "$comment", "contentEncoding", "contentMediaType",
               "deprecated", "readOnly", "writeOnly"}
KEYWORDS = ANNOTATIONS | {
    "type", "enum", "const", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "format",
    "propertyNames", "minProperties", "maxProperties", "allOf", "anyOf", "oneOf", "not",
}


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


TYPES: dict[str, Predicate] = {
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": _is_integer,
    "number": _is_number,
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
    checks += _object_checks(node, sub) + _array_checks(node, sub) + _scalar_checks(node, format_ok)
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


def _object_checks(node: dict[str, Any], sub: Callable[[Any], Predicate]) -> list[Predicate]:
    properties = {name: sub(child) for name, child in node.get("properties", {}).items()}
    required = tuple(node.get("required", ()))
    extra = node.get("additionalProperties", True)
    extra_check = None if extra is True else sub(extra)
    names = sub(node["propertyNames"]) if "propertyNames" in node else None
    low, high = node.get("minProperties", 0), node.get("maxProperties")
    if not (properties or required or extra_check or names or low or high is not None):
        return []

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        if len(value) < low or (high is not None and len(value) > high):
            return False
        for name in required:
            if name not in value:
                return False
        for name, item in value.items():
            known = properties.get(name)
            if known is not None:
                if not known(item):
                    return False
            elif extra_check is not None and not extra_check(item):
                return False
            if names is not None and not names(name):
                return False
        return True

    return [check]


def _array_checks(node: dict[str, Any], sub: Callable[[Any], Predicate]) -> list[Predicate]:
    each = sub(node["items"]) if "items" in node else None
    low, high = node.get("minItems", 0), node.get("maxItems")
    if each is None and not low and high is None:
        return []

    def check(value: Any) -> bool:
        if not isinstance(value, list):
            return True
        if len(value) < low or (high is not None and len(value) > high):
            return False
        if each is not None:
            for item in value:
                if not each(item):
                    return False
        return True

    return [check]


def _scalar_checks(node: dict[str, Any], format_ok: Callable[[Any, str], bool]) -> list[Predicate]:
    checks: list[Predicate] = []
    bounds = [(node[k], test) for k, test in (
        ("minimum", lambda v, b: v >= b), ("maximum", lambda v, b: v <= b),
        ("exclusiveMinimum", lambda v, b: v > b), ("exclusiveMaximum", lambda v, b: v < b)) if k in node]
    if bounds:
        checks.append(lambda v: not _is_number(v) or all(test(v, bound) for bound, test in bounds))
    shortest, longest, pattern = node.get("minLength", 0), node.get("maxLength"), node.get("pattern")
    compiled = re.compile(pattern) if pattern is not None else None
    if shortest or longest is not None or compiled is not None:
        def text(value: Any) -> bool:
            if not isinstance(value, str):
                return True
            return (len(value) >= shortest and (longest is None or len(value) <= longest)
                    and (compiled is None or compiled.search(value) is not None))

        checks.append(text)
    if "format" in node:
        kind = node["format"]
        checks.append(lambda v: format_ok(v, kind))
    return checks
