"""How a batch read or write is made whole: keys and items DynamoDB leaves unprocessed are sent again with
exponential backoff and full jitter, and what is still left after the last attempt is ProviderUnavailable
(`STORE_UNAVAILABLE`), never reported absent nor dropped (GR2017-11, PA2017-13, MB2018-16).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from chalicelib.core.dynamo_errors import store_unavailable
from chalicelib.core.observability import logger


@dataclass(frozen=True)
class Backoff:
    """How unprocessed keys and items are sent again: exponential backoff with full jitter, each pause
    drawn from [0, min(cap, base * 2**n)], at most `attempts` calls: under 2.6 s of pauses in all."""

    base: float = 0.025
    cap: float = 1.0
    attempts: int = 8

    def pause(self, retry: int) -> float:
        return jitter() * min(self.cap, self.base * 2 ** retry)


BATCH_BACKOFF = Backoff()
BATCH_GET_KEYS = 100  # DynamoDB's limits per BatchGetItem and BatchWriteItem call
BATCH_WRITE_ITEMS = 25
jitter: Callable[[], float] = random.random


def sleep(seconds: float) -> None:
    """The backoff's pause; tests replace it so they do not wait."""
    time.sleep(seconds)


def pending(part: Any) -> int:
    """How many keys (BatchGetItem) or requests (BatchWriteItem) one table's unprocessed part holds."""
    return len(part.get("Keys", [])) if isinstance(part, dict) else len(part)


def until_processed(call: Callable[..., dict[str, Any]], operation: str, request: dict[str, Any], left: str,
                    backoff: Backoff) -> Iterator[dict[str, Any]]:
    """Each answer to a batch `operation`, sending again what DynamoDB leaves under `left`, pausing
    with full jitter; raises ProviderUnavailable if part is still left after the last attempt."""
    for attempt in range(backoff.attempts):
        if attempt:
            sleep(backoff.pause(attempt - 1))
        answer = call(operation, RequestItems=request)
        yield answer
        request = {name: part for name, part in (answer.get(left) or {}).items() if pending(part)}
        if not request:
            return
    count = sum(pending(part) for part in request.values())
    logger.warning("a batch stayed unprocessed after its retries",
                   extra={"operation": operation, "unprocessed": count, "attempts": backoff.attempts})
    raise store_unavailable({"reason": left, "unprocessed": count})
