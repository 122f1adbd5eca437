"""The compiled precheck answers exactly as jsonschema does, on every schema the product ships.

Documents are drawn from each schema: mostly conforming, with values just past every bound,
wrong types, missing required and unexpected properties mixed in, so both answers are met.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from chalicelib.core import validation

JUNK = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, allow_infinity=False),
                 st.text(max_size=3), st.just([]), st.just({}), st.just(1.0))
TIMESTAMPS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z"))


def _string(node: dict[str, Any], valid: bool) -> st.SearchStrategy:
    low, high = node.get("minLength", 0), node.get("maxLength")
    if not valid:
        if low:
            return st.text(min_size=low - 1, max_size=low - 1)
        return st.text(min_size=high + 1, max_size=high + 1) if high is not None and high < 500 else st.text(max_size=4)
    def fits(t: str) -> bool:
        return low <= len(t) <= (high if high is not None else 10**6)

    if node.get("format") == "date-time":
        return TIMESTAMPS
    if node.get("format") == "date":
        return TIMESTAMPS.map(lambda t: t[:10])
    if "pattern" in node:
        try:
            return st.from_regex(re.compile(node["pattern"])).filter(fits)
        except Exception:  # noqa: BLE001 - a pattern hypothesis cannot generate from
            return st.text(min_size=low, max_size=low + 8).filter(lambda t: re.search(node["pattern"], t))
    return st.text(min_size=low, max_size=min(high, low + 12) if high is not None else low + 12)


def _number(node: dict[str, Any], integral: bool, valid: bool) -> st.SearchStrategy:
    low = node.get("minimum", node.get("exclusiveMinimum", -5))
    high = node.get("maximum", node.get("exclusiveMaximum", low + 10))
    if not valid:
        return st.sampled_from([low - 1, high + 1, low - 0.5]) if integral else st.sampled_from([low - 1, high + 1])
    if not integral:
        return st.floats(low, high)
    inside = st.integers(low, high)
    return st.one_of(inside, inside.map(float))


def _object(node: dict[str, Any], valid: bool, rate: int) -> st.SearchStrategy:
    properties = {name: documents(child, rate) for name, child in node.get("properties", {}).items()}
    extra = node.get("additionalProperties", True)
    extra_value = documents(extra, rate) if isinstance(extra, dict) else JUNK
    required = list(node.get("required", []))
    names = node.get("propertyNames", {}).get("enum", [f"X{n}" for n in range(4)]) if extra is not False else []
    wanted = required + [n for n in names if n not in required][:max(0, node.get("minProperties", 0) - len(required))]
    base = st.fixed_dictionaries({name: properties.get(name, extra_value) for name in wanted},
                                 optional={n: s for n, s in properties.items() if n not in wanted})
    if valid:
        return base

    def spoil(found: dict[str, Any]) -> dict[str, Any]:  # one required gone and one unexpected name
        found = dict(found)
        if required:
            found.pop(required[0], None)
        found["zz unexpected"] = 1
        return found

    return base.map(spoil)


def _conforming(node: dict[str, Any], valid: bool, rate: int) -> list[st.SearchStrategy]:
    """Values of the node's own kinds: conforming, or (not `valid`) just past one of its limits."""
    options = []
    if "enum" in node:
        options.append(st.sampled_from(node["enum"]) if valid else st.just("NOT IN THE ENUM"))
    if "const" in node:
        options.append(st.just(node["const"]))
    for keyword in ("oneOf", "anyOf", "allOf"):
        options += [documents(child, rate) for child in node.get(keyword, [])]
    if "enum" in node or "const" in node:
        return options
    kinds = node.get("type", [])
    for kind in kinds if isinstance(kinds, list) else [kinds]:
        if kind == "string":
            options.append(_string(node, valid))
        elif kind in ("integer", "number"):
            options.append(_number(node, kind == "integer", valid))
        elif kind == "boolean":
            options.append(st.booleans())
        elif kind == "null":
            options.append(st.none())
        elif kind == "array":
            low, high = node.get("minItems", 0), node.get("maxItems", 3)
            size = (max(0, low - 1), max(0, low - 1)) if not valid and low else (low, min(high, low + 3))
            options.append(st.lists(documents(node.get("items", True), rate), min_size=size[0], max_size=size[1]))
        elif kind == "object":
            options.append(_object(node, valid, rate))
    return options


def documents(node: Any, rate: int = 16) -> st.SearchStrategy:
    """Conforming values with about one node in `rate` wrong in one way (junk or just past a limit);
    all conforming with rate 0."""
    if not isinstance(node, dict):
        return JUNK
    good_values = st.one_of(_conforming(node, True, rate) or [JUNK])
    if not rate:
        return good_values
    bad_values = st.one_of(_conforming(node, False, rate) + [JUNK])
    return st.integers(1, rate).flatmap(lambda n: bad_values if n == 1 else good_values)


@pytest.mark.parametrize("name", sorted(validation.all_schemas()))
def test_the_precheck_agrees_with_jsonschema(name: str) -> None:
    full = validation.validator(name)
    fast = validation.precheck(name)

    @settings(max_examples=20, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
    @given(st.one_of(documents(full.schema), documents(full.schema, rate=0)))
    def agrees(document: Any) -> None:
        assert fast(document) == full.is_valid(document), document

    agrees()


def test_valid_documents_are_accepted_without_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    body = {"keys": {"PUBLIC_ACCOUNT": [f"acct-{n}" for n in range(100)]}}
    validation.check("blacklist_check_request.json", body)
    monkeypatch.setattr(validation, "validator", None)  # any call to jsonschema would fail
    validation.check("blacklist_check_request.json", body)


def test_an_invalid_document_is_still_explained_by_jsonschema() -> None:
    body = {"keys": {"PUBLIC_ACCOUNT": ["ok", ""]}}
    assert not validation.precheck("blacklist_check_request.json")(body)
    problems = validation.problems("blacklist_check_request.json", body)
    assert problems[0]["path"] == "$.keys.PUBLIC_ACCOUNT[1]"


def test_bounds_past_what_documents_draw() -> None:
    fast = validation.precheck("blacklist_check_request.json")
    assert fast({"keys": {"PUBLIC_ACCOUNT": ["k"] * 100}})
    assert not fast({"keys": {"PUBLIC_ACCOUNT": ["k"] * 101}})
    assert not fast({"keys": {"PUBLIC_ACCOUNT": ["k" * 129]}})
    assert not validation.validator("blacklist_check_request.json").is_valid({"keys": {"PUBLIC_ACCOUNT": ["k"] * 101}})
