"""Pagination cursors through the API: a listing follows its own cursors, and any crafted cursor is a
400 CURSOR_INVALID that reaches no other tenant's data, never a 500.

Four listings stand for every kind paged: by a table partition (logs) and by GSI1 (blacklist,
cases, re-confirmations). Two tenants hold data in each, so a cursor that reached the other
tenant's partition would show its items.
"""

from __future__ import annotations

import base64
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from chalicelib.core import keys
from chalicelib.core.dynamo import encode_cursor
from tests import factories
from tests.api.test_identity_verification import person, verify
from tests.api.test_logs import event
from tests.builders import dispose, report
from tests.unit.test_cursors import crafted, key_strategy

HORIZON = (datetime.now(UTC) + timedelta(days=800)).strftime("%Y-%m-%dT%H:%M:%SZ")
ROUTE_CURSOR_CHARS = 2048  # the routes' own bound on the query parameter (SCHEMA_VIOLATION above it)


@dataclass(frozen=True)
class Listing:
    path: str
    index: str | None
    attribute: str
    partition: Any  # tenant id -> the partition value paged

    def url(self, **query: Any) -> str:
        joiner = "&" if "?" in self.path else "?"
        return self.path + joiner + urlencode(query) if query else self.path


LISTINGS = {
    "logs": Listing("/v1/logs?account_id=acct-1", None, "PK", lambda t: keys.log_pk(t, "acct-1")),
    "blacklist": Listing("/v1/blacklist?type=PUBLIC_ACCOUNT", "GSI1", "GSI1PK",
                         lambda t: keys.blacklist_index(t, "PUBLIC_ACCOUNT")),
    "cases": Listing("/v1/cases", "GSI1", "GSI1PK", lambda t: keys.cases_index(t, "OPEN")),
    "reconfirmations": Listing(f"/v1/identity/reconfirmations?due_before={HORIZON}", "GSI1", "GSI1PK",
                               lambda t: keys.reconfirm_index(t)),
}


def fill(api: Any, key: str, tenant_id: str, name: str, seed: int) -> None:
    """Two items in the listing `name`, told apart by tenant."""
    if name == "logs":
        events = [event(n, event_id=f"{tenant_id}-{n}") for n in (1, 2)]
        assert api.call("POST", "/v1/logs", key=key, body={"events": events}).json["stored"] == 2
    for n in (1, 2):
        if name == "blacklist":
            listed = dispose(api, key, target={"type": "ACCOUNT", "id": f"{tenant_id}-acct-{n}"}, type="BLACKLIST")
            assert listed.status_code == 201
        if name == "cases":
            assert report(api, key, target_id=f"{tenant_id}-post-{n}").status_code == 201
        if name == "reconfirmations":
            assert verify(api, key, person(factories.resident_id(random.Random(seed + n)))).status_code == 201


def items_of(answer: Any) -> set[str]:
    return {json.dumps(i, sort_keys=True) for i in (answer.json or {}).get("items") or []}


@pytest.fixture
def tenants(api: Any, make_tenant: Any, name: str) -> dict[str, Any]:
    """acme and zeta with two items each in the listing under test; `zeta_items`, to look for in acme's answers."""
    made: dict[str, Any] = {"acme": make_tenant("acme"), "zeta": make_tenant("zeta")}
    for seed, tenant_id in enumerate(("acme", "zeta")):
        fill(api, made[tenant_id].key, tenant_id, name, seed * 10)
    made["zeta_items"] = items_of(api.call("GET", LISTINGS[name].url(limit=50), key=made["zeta"].key))
    assert len(made["zeta_items"]) == 2
    return made


@pytest.mark.parametrize("name", list(LISTINGS))
def test_a_listing_follows_its_own_cursor_and_refuses_it_to_another_tenant(api, tenants, name):
    # GIVEN two items of acme's in a listing, read one a page
    listing = LISTINGS[name]
    acme, zeta = tenants["acme"], tenants["zeta"]
    first = api.call("GET", listing.url(limit=1), key=acme.key).json
    assert len(first["items"]) == 1 and first["next_cursor"]
    # WHEN acme follows the cursor, THEN the next page is its other item
    second = api.call("GET", listing.url(limit=1, cursor=first["next_cursor"]), key=acme.key)
    assert second.status_code == 200 and second.json["items"] and second.json["items"] != first["items"]
    # WHEN zeta sends acme's cursor, THEN it is refused
    stolen = api.call("GET", listing.url(limit=1, cursor=first["next_cursor"]), key=zeta.key)
    assert (stolen.status_code, stolen.json["error"]["code"]) == (400, "CURSOR_INVALID")


def refused_as_cursor(answer: Any, cursor: str) -> bool:
    expected = "CURSOR_INVALID" if len(cursor) <= ROUTE_CURSOR_CHARS else "SCHEMA_VIOLATION"
    return answer.status_code == 400 and answer.json["error"]["code"] == expected


CRAFTED = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("name", list(LISTINGS))
@CRAFTED
@given(data=st.data())
def test_a_crafted_key_as_a_cursor_is_cursor_invalid_never_a_500(api, tenants, name, data):
    # GIVEN a cursor that is acme's start key with one thing wrong (a type, an attribute, the partition,
    # the tenant, a size), well encoded
    listing = LISTINGS[name]
    cursor = encode_cursor(data.draw(crafted(listing.index, listing.attribute, listing.partition("acme"))))
    # WHEN acme pages with it, THEN it is refused as a cursor
    answer = api.call("GET", listing.url(limit=5, cursor=cursor), key=tenants["acme"].key)
    assert refused_as_cursor(answer, cursor), (answer.status_code, answer.json)


@pytest.mark.parametrize("name", list(LISTINGS))
@CRAFTED
@given(cursor=st.text(max_size=80) | st.binary(max_size=200).map(lambda b: encode_cursor(b.hex())))
@example(cursor=base64.urlsafe_b64encode(b"[" * 1500).decode())  # nested deeper than the JSON parser recurses
@example(cursor=base64.urlsafe_b64encode(b'{"PK":{"S":"x"},"SK":{"S":"\xff"}}').decode())  # not UTF-8
def test_any_string_as_a_cursor_is_refused_never_a_500(api, tenants, name, cursor):
    # GIVEN any string as a cursor
    listing = LISTINGS[name]
    # WHEN acme pages with it, THEN it is refused (an empty cursor is no cursor: the first page)
    answer = api.call("GET", listing.url(limit=5, cursor=cursor), key=tenants["acme"].key)
    first_page = cursor == "" and answer.status_code == 200
    assert first_page or refused_as_cursor(answer, cursor), (answer.status_code, answer.json)


@pytest.mark.parametrize("name", list(LISTINGS))
@CRAFTED
@given(data=st.data())
def test_a_well_formed_key_of_another_tenant_never_shows_its_data(api, tenants, name, data):
    # GIVEN a start key of the right shape in zeta's partition of this listing
    listing = LISTINGS[name]
    key = data.draw(key_strategy(listing.index, listing.attribute, listing.partition("zeta")))
    # WHEN acme pages with it, THEN it is refused, and nothing of zeta's is in any answer
    answer = api.call("GET", listing.url(limit=5, cursor=encode_cursor(key)), key=tenants["acme"].key)
    assert (answer.status_code, answer.json["error"]["code"]) == (400, "CURSOR_INVALID")
    assert not tenants["zeta_items"] & items_of(answer)


@pytest.mark.parametrize("name", list(LISTINGS))
@CRAFTED
@given(data=st.data())
def test_a_well_formed_key_of_the_listing_pages_within_it(api, tenants, name, data):
    # GIVEN any start key of the right shape in acme's partition of this listing
    listing = LISTINGS[name]
    key = data.draw(key_strategy(listing.index, listing.attribute, listing.partition("acme")))
    # WHEN acme pages with it, THEN the page is acme's (DynamoDB may also refuse a start key outside the
    # key condition, which is a CURSOR_INVALID too), never a 500 and never zeta's items
    answer = api.call("GET", listing.url(limit=5, cursor=encode_cursor(key)), key=tenants["acme"].key)
    assert answer.status_code == 200 or answer.json["error"]["code"] == "CURSOR_INVALID", answer.json
    assert not tenants["zeta_items"] & items_of(answer)
