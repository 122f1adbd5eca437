"""Our item serializer agrees with boto3's TypeSerializer and round-trips every value we store."""

from __future__ import annotations

from decimal import Decimal

from boto3.dynamodb.types import TypeSerializer
from hypothesis import given, strategies as st

from chalicelib.core.dynamo import deserialize, serialize

values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**15), max_value=10**15) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3),
    max_leaves=12,
)


@given(st.dictionaries(st.text(min_size=1, max_size=4), values, max_size=5))
def test_round_trip_and_agreement_with_boto3(item):
    wire = serialize(item)
    assert deserialize(wire) == {k: v for k, v in item.items() if v is not None}
    boto = TypeSerializer()
    assert wire == {k: boto.serialize(v) for k, v in item.items() if v is not None}


def test_floats_are_stored_exactly_as_written_and_read_back_as_numbers():
    assert serialize({"x": 0.1}) == {"x": {"N": "0.1"}}
    assert deserialize({"x": {"N": "0.1"}, "y": {"N": "3"}, "z": {"N": str(Decimal("2.50"))}}) == {"x": 0.1, "y": 3,
                                                                                                   "z": 2.5}
