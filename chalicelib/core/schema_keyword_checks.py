"""The predicates `schema_precheck` compiles a node's keywords to, with jsonschema's semantics: the types
(a bool is no integer; 1.0 is), the object keywords (properties, required, additionalProperties,
propertyNames, property counts), the array keywords (items, item counts) and the scalar ones (bounds,
lengths, pattern, format). Each keyword ignores a value of another type, as in JSON Schema.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from typing import Any

Predicate = Callable[[Any], bool]


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


def object_checks(node: dict[str, Any], sub: Callable[[Any], Predicate]) -> list[Predicate]:
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


def array_checks(node: dict[str, Any], sub: Callable[[Any], Predicate]) -> list[Predicate]:
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


def scalar_checks(node: dict[str, Any], format_ok: Callable[[Any, str], bool]) -> list[Predicate]:
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
