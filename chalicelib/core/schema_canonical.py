"""A valid document's date-times rewritten as the product keeps them (`clock.iso`: UTC, ``Z``), from the
inlined schema: a rewrite is built once per schema, and is None for a schema that holds no date-time (most
bodies). The range is checked here again in code, so a field whose schema forgot the bounds is still
refused (`OutOfRange`, a 400) rather than stored or overflowing later.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.core import clock

Rewrite = Callable[[Any, str], Any]


class OutOfRange(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


def to_utc(value: Any, path: str) -> Any:
    moment = clock.read(value) if isinstance(value, str) else None
    if moment is None:
        return value  # not this branch's value (a null, or another oneOf choice)
    if not clock.within_range(moment):
        raise OutOfRange(path, f"{value!r} is outside {clock.iso(clock.EARLIEST)} .. {clock.iso(clock.LATEST)}")
    if len(value) == 20 and value[10] == "T" and value[19] == "Z":
        return value  # already as the product writes it (most clients send UTC)
    return clock.iso(moment)


def rewriter(node: Any) -> Rewrite | None:
    """The rewrite of an inlined schema's date-times, or None when the node holds none (most bodies)."""
    if not isinstance(node, dict):
        return None
    steps: list[Rewrite] = [to_utc] if node.get("format") == "date-time" else []
    for keyword in ("allOf", "anyOf", "oneOf"):
        steps += [found for child in node.get(keyword, []) if (found := rewriter(child)) is not None]
    fields = {key: found for key, child in node.get("properties", {}).items()
              if (found := rewriter(child)) is not None}
    extra, each = rewriter(node.get("additionalProperties")), rewriter(node.get("items"))
    if fields or extra is not None:
        steps.append(object_rewrite(fields, frozenset(node.get("properties", {})), extra))
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


def object_rewrite(fields: dict[str, Rewrite], named: frozenset[str], extra: Rewrite | None) -> Rewrite:
    def rewrite(value: Any, path: str) -> Any:
        if not isinstance(value, dict):
            return value
        found = {}
        for key, item in value.items():
            step = fields.get(key) if key in named else extra
            found[key] = step(item, f"{path}.{key}") if step is not None else item
        return found

    return rewrite
