"""What every store contract suite shares: a store fixture run against DynamoDB (moto) and its in-memory
fake alike, and the position of the op a refused transaction names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from chalicelib.core.audit_chain import Event
from chalicelib.core.audit_trail import ConditionFailed

T = "acme"
NOW = 1_795_000_000  # 2026-11-18, epoch seconds
CHANGE = Event("test.change", {}, 30)
BACKENDS = ["dynamodb", "memory"]


def either(request: pytest.FixtureRequest, memory: Callable[[], Any], dynamodb: Callable[[], Any]) -> Any:
    """The fake, or the DynamoDB store on an empty moto backend, as the fixture's param says."""
    if request.param == "memory":
        return memory()
    request.getfixturevalue("backend")
    return dynamodb()


def refused_at(commit: Callable[..., Any], *args: Any) -> int:
    with pytest.raises(ConditionFailed) as refused:
        commit(*args)
    return refused.value.index
