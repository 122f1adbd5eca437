"""Pagination cursors: only a key this listing issued is accepted, however the cursor is crafted.

A cursor is an opaque base64url of the last key a page read. A client (or an attacker) can send
any string instead: of the right shape but with numbers for strings, nested maps, extra or missing
attributes, another tenant's partition, huge or empty values, bad UTF-8, padding and spelling
tricks. Every one is 400 CURSOR_INVALID: never a 500, never a key into another partition.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from hypothesis import assume, example, given, settings, strategies as st

from chalicelib.core.dynamo import decode_cursor, encode_cursor
from chalicelib.core.errors import InvalidRequest

# DynamoDB's limits on key values, in UTF-8 bytes.
PARTITION_KEY_BYTES, SORT_KEY_BYTES = 2048, 1024


def key_attributes(index: str | None) -> list[str]:
    """What a page ends on: the table's key, and the index's when an index is paged (core/keys.py)."""
    return ["PK", "SK", *([f"{index}PK", f"{index}SK"] if index else [])]


# The listings paged: (index, partition attribute, partition value), as core/keys.py builds them.
LISTINGS = {
    "blacklist (GSI1)": ("GSI1", "GSI1PK", "T#acme#BL#PHONE"),
    "cases (GSI1)": ("GSI1", "GSI1PK", "T#acme#CASES#OPEN"),
    "logs (table)": (None, "PK", "T#acme#LOG#acct-1"),
}
# Every character UTF-8 can encode: all but the surrogates (the same alphabet as codec="utf-8", without
# hypothesis testing each of the 1.1M code points against the codec first: seconds per process).
KEY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)


def key_strategy(index: str | None, attribute: str, partition: str) -> st.SearchStrategy[dict[str, Any]]:
    """A start key this listing could issue: its key attributes, strings, in its partition and tenant."""
    names = list(key_attributes(index))
    values = {name: KEY_TEXT.map(lambda t: {"S": t}) for name in names}
    values[attribute] = st.just({"S": partition})
    if attribute != "PK":  # the table key of an index page is the tenant's too
        values["PK"] = KEY_TEXT.map(lambda t: {"S": f"T#acme#{t}"})
    return st.fixed_dictionaries(values)


def wire(value: Any) -> str:
    """What encode_cursor writes, for any JSON value."""
    return encode_cursor(value)


WRONG_VALUES = st.one_of(
    st.integers().map(lambda n: {"N": str(n)}),
    st.integers().map(lambda n: {"S": n}),
    st.floats(allow_nan=False).map(lambda n: {"S": n}),
    st.just({"S": None}), st.just({"S": True}), st.just({"S": ""}),
    st.just({"S": "T#acme#X", "N": "1"}), st.just({"s": "T#acme#X"}), st.just({}),
    st.dictionaries(KEY_TEXT, KEY_TEXT.map(lambda t: {"S": t}), max_size=3).map(lambda m: {"M": m}),
    st.just({"S": {"S": "T#acme#X"}}), st.just({"L": [{"S": "x"}]}), st.just({"B": "AAAA"}),
    st.just({"SS": ["a"]}), st.just({"NULL": True}),
    KEY_TEXT, st.integers(), st.none(), st.lists(KEY_TEXT, max_size=2),
    st.just({"S": "\ud800"}),  # a lone surrogate: JSON spells it, UTF-8 cannot
)


@st.composite
def crafted(draw: st.DrawFn, index: str | None, attribute: str, partition: str) -> Any:
    """A start key of nearly the right shape, with one thing wrong."""
    key = dict(draw(key_strategy(index, attribute, partition)))
    names = list(key)
    flaw = draw(st.sampled_from(["wrong value", "extra attribute", "missing attribute", "other partition",
                                 "other tenant", "too long", "not a map"]))
    name = draw(st.sampled_from(names))
    if flaw == "wrong value":
        key[name] = draw(WRONG_VALUES)
    elif flaw == "extra attribute":
        extra = draw(st.one_of(st.sampled_from(["GSI2PK", "GSI2SK", "ttl", "pk", "PK ", "data"]), KEY_TEXT))
        key[extra if extra not in key else extra + "_"] = draw(st.one_of(KEY_TEXT.map(lambda t: {"S": t}),
                                                                        WRONG_VALUES))
    elif flaw == "missing attribute":
        del key[name]
    elif flaw == "other partition":
        key[attribute] = {"S": draw(KEY_TEXT.filter(lambda t: t != partition))}
    elif flaw == "other tenant":
        other = "T#zeta#" + partition.split("#", 2)[2]
        key[draw(st.sampled_from([attribute, "PK"]))] = {"S": other}
    elif flaw == "too long":
        limit, prefix = PARTITION_KEY_BYTES if name.endswith("PK") else SORT_KEY_BYTES, key[name]["S"][:7]
        key[name] = {"S": prefix + "x" * (limit + 1 - len(prefix.encode()))}  # one byte over DynamoDB's limit
    else:
        return draw(st.one_of(st.lists(st.just(key), min_size=1, max_size=2), st.just(list(key.items())),
                              KEY_TEXT, st.integers(), st.none()))
    return key


def refused(cursor: str, partition: tuple[str, str], index: str | None) -> bool:
    with pytest.raises(InvalidRequest) as caught:
        decode_cursor(cursor, partition, index=index)
    return caught.value.error_code == "CURSOR_INVALID" and caught.value.status == 400


@pytest.mark.parametrize("listing", list(LISTINGS))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_key_the_listing_issued_comes_back_exactly(listing, data):
    # GIVEN a start key this listing could have ended a page on
    index, attribute, partition = LISTINGS[listing]
    key = data.draw(key_strategy(index, attribute, partition))
    # WHEN it goes out as a cursor and comes back, THEN it is the same key
    assert decode_cursor(encode_cursor(key), (attribute, partition), index=index) == key


@pytest.mark.parametrize("listing", list(LISTINGS))
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_key_of_nearly_the_right_shape_is_refused(listing, data):
    # GIVEN a cursor that is a well-encoded key with one thing wrong
    index, attribute, partition = LISTINGS[listing]
    cursor = wire(data.draw(crafted(index, attribute, partition)))
    # WHEN it is decoded for this listing, THEN it is CURSOR_INVALID, whatever was wrong
    assert refused(cursor, (attribute, partition), index)


SPELLINGS = st.sampled_from(["padding", "standard alphabet", "spaces", "stray bits", "repeated name", "raw UTF-8",
                             "line break", "ignored character"])


def respelled(key: dict[str, Any], how: str) -> str:
    """The same key, spelled otherwise than encode_cursor spells it (lenient decoders read these alike)."""
    canonical = encode_cursor(key)

    def b64(text: str) -> str:
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    unused_bits = {2: 0b1111, 3: 0b11}.get(len(canonical) % 4, 0)
    first = next(iter(key))
    return {
        "padding": canonical + "=" * (-len(canonical) % 4 or 4),
        "standard alphabet": canonical.replace("-", "+").replace("_", "/"),
        "spaces": b64(json.dumps(key)),
        "stray bits": canonical[:-1] + alphabet[alphabet.index(canonical[-1]) | unused_bits],
        "repeated name": b64(f'{{"{first}":{{"S":"T#zeta#X"}},' + json.dumps(key, separators=(",", ":"))[1:]),
        "raw UTF-8": b64(json.dumps(key, separators=(",", ":"), ensure_ascii=False)),
        "line break": canonical[:4] + "\n" + canonical[4:],
        "ignored character": canonical + ".",
    }[how]


@settings(max_examples=200, deadline=None)
@given(key=key_strategy("GSI1", "GSI1PK", "T#acme#BL#PHONE"), how=SPELLINGS)
def test_only_the_one_spelling_this_layer_writes_is_accepted(key, how):
    # GIVEN a key this listing issued, spelled another way (padding, alphabet, spacing, stray bits, ...)
    cursor = respelled(key, how)
    assume(cursor != encode_cursor(key))
    # WHEN it is decoded, THEN it is refused rather than read as the key
    assert refused(cursor, ("GSI1PK", "T#acme#BL#PHONE"), "GSI1")


@settings(max_examples=300, deadline=None)
@given(raw=st.one_of(st.binary(max_size=600),
                     st.text(max_size=200).map(str.encode),
                     st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                                  lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                                      st.text(max_size=4), inner, max_size=3), max_leaves=12)
                     .map(lambda v: json.dumps(v).encode())))
@example(raw=b"[" * 1500)  # deeper than the JSON parser recurses
@example(raw=b"\xff\xfe" + '{"PK":{"S":"T#acme#LOG#acct-1"},"SK":{"S":"x"}}'.encode("utf-16-le"))
@example(raw=b'{"PK":{"S":"T#acme#LOG#acct-1"},"SK":{"S":NaN}}')
@example(raw=b'{"PK":{"S":"T#acme#LOG#acct-1"},"SK":{"S":"\xc3\x28"}}')
@example(raw=b'{"PK":{"S":"T#acme#LOG#acct-1"},"SK":{"N":' + b"9" * 5000 + b"}}")
def test_any_bytes_as_a_cursor_are_refused_never_a_500(raw):
    # GIVEN arbitrary bytes (bad UTF-8, deep nesting, other JSON) sent as a cursor
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    # WHEN decoded for the logs listing, THEN it is CURSOR_INVALID, not another exception
    assert refused(cursor, ("PK", "T#acme#LOG#acct-1"), None)


@settings(max_examples=300, deadline=None)
@given(cursor=st.text(max_size=300) | st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ=-_+/. \n", max_size=300))
def test_any_string_as_a_cursor_is_refused_never_a_500(cursor):
    # GIVEN any string sent as a cursor
    # WHEN decoded for a listing, THEN it is refused as CURSOR_INVALID (no string of this size is a valid key)
    assert refused(cursor, ("GSI1PK", "T#acme#CASES#OPEN"), "GSI1")


def test_key_sizes_are_bounded_in_utf8_bytes_as_dynamodb_bounds_them():
    # GIVEN sort keys of 1024 and 1025 UTF-8 bytes, mostly three-byte characters
    at_limit = "谣" * 341 + "x"
    over = at_limit + "x"
    assert (len(at_limit.encode()), len(over.encode())) == (SORT_KEY_BYTES, SORT_KEY_BYTES + 1)
    partition = ("PK", "T#acme#LOG#acct-1")
    # WHEN each comes back as a cursor, THEN the one DynamoDB would take is accepted and the other refused
    fits = {"PK": {"S": partition[1]}, "SK": {"S": at_limit}}
    assert decode_cursor(encode_cursor(fits), partition) == fits
    assert refused(encode_cursor({"PK": {"S": partition[1]}, "SK": {"S": over}}), partition, None)
