"""Policy documents: RFC 7396 merge patch, overrides over defaults, schema of the defaults."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, strategies as st

from chalicelib.core import policy_rules as policy, validation

# RFC 7396, Appendix A: (target, patch, result)
RFC_7396_EXAMPLES = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("target", "patch", "expected"), RFC_7396_EXAMPLES)
def test_merge_patch_follows_rfc_7396(target, patch, expected):
    assert policy.merge_patch(target, patch) == expected


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=10,
)


@given(target=json_values, patch=json_values)
def test_merge_patch_never_mutates_its_arguments(target, patch):
    before = (copy.deepcopy(target), copy.deepcopy(patch))
    policy.merge_patch(target, patch)
    assert (target, patch) == before


@given(target=st.dictionaries(st.text(max_size=3), json_values, max_size=4),
       patch=st.dictionaries(st.text(max_size=3), json_values, max_size=4))
def test_applying_the_same_patch_twice_changes_nothing_more(target, patch):
    once = policy.merge_patch(target, patch)
    assert policy.merge_patch(once, patch) == once


def test_the_documented_defaults_satisfy_the_policy_schema():
    assert validation.problems("policy.json", policy.DEFAULTS) == []


def test_overrides_replace_values_and_keep_the_rest_of_the_defaults():
    merged = policy.effective({"retention": {"log_days": 365}})
    assert merged["retention"]["log_days"] == 365
    assert merged["requests"] == policy.DEFAULTS["requests"]
    assert policy.DEFAULTS["retention"]["log_days"] == 183


def test_retention_under_six_months_is_refused_by_the_schema():
    # MB2018-16, GR2017-13, PA2017-16: at least six months.
    found = validation.problems("policy.json", policy.effective({"retention": {"log_days": 179}}))
    assert found == [{"path": "$.retention.log_days", "message": "179 is less than the minimum of 180"}]


def test_prune_empty_drops_objects_emptied_by_nulls():
    assert policy.prune_empty({"a": {"b": {}}, "c": 1}) == {"c": 1}
