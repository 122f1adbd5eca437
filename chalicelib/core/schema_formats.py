"""The formats the schemas' timestamps and dates are checked by (RFC 3339 date-time as `clock.read` reads it,
ISO dates), and ``formatMinimum``/``formatMaximum`` (the ajv-formats keywords, which JSON Schema 2020-12 does
not define) bounding a date-time by instant: as jsonschema keywords (`format_bound`) and as the predicate the
compiled precheck checks beside the rest of a node (`bounds_predicate`), with the same answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from chalicelib.core import clock


def is_datetime(value: object) -> bool:
    return not isinstance(value, str) or clock.read(value) is not None


def format_bound(later: bool) -> Callable[..., Iterator[Any]]:
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


def is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


BOUNDS = frozenset({"formatMinimum", "formatMaximum"})


def bounds_predicate(node: dict[str, Any]) -> Callable[[Any], bool]:
    """The precheck's `formatMinimum`/`formatMaximum`: the same answers as `format_bound`."""
    if node.get("format") != "date-time":
        return lambda value: True
    low = clock.read(node["formatMinimum"]) if "formatMinimum" in node else None
    high = clock.read(node["formatMaximum"]) if "formatMaximum" in node else None

    def within(value: Any) -> bool:
        moment = clock.read(value) if isinstance(value, str) else None
        return moment is None or ((low is None or moment >= low) and (high is None or moment <= high))

    return within
