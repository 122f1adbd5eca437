"""Every schema is valid draft 2020-12 and every cross-file reference resolves."""

from __future__ import annotations

import pytest

from chalicelib.core import validation
from chalicelib.core.errors import SchemaViolation


@pytest.mark.parametrize("name", sorted(validation.all_schemas()))
def test_every_schema_compiles_and_resolves_its_references(name):
    checker = validation.validator(name)
    # Walking an empty object forces every $ref reachable from the root to resolve.
    list(checker.iter_errors({}))
    assert validation.all_schemas()[name]["$id"] == validation.BASE_URI + name


def test_violations_list_paths_and_messages():
    with pytest.raises(SchemaViolation) as caught:
        validation.check("api_key_new.json", {"label": 5, "extra": True})
    details = caught.value.details
    assert details["schema"] == "api_key_new.json"
    assert {e["path"] for e in details["errors"]} == {"$", "$.label"}


def test_date_time_format_is_checked():
    assert validation.problems("common.json", None) == []
    checker = validation.validator("health.json")
    base = {"status": "ok", "service": "s", "version": "1", "stage": "dev"}
    assert checker.is_valid({**base, "time": "2026-11-25T08:00:00Z"})
    assert not checker.is_valid({**base, "time": "yesterday"})
    assert not checker.is_valid({**base, "time": "2026-11-25"})
