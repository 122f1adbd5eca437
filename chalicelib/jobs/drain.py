"""Consuming the work queues outside Lambda: `make run`'s consumers, `make job`, and the tests.

Each message is handed to the queue's handler with a context whose remaining time counts down from
that function's timeout, as Lambda's would; a handled message is deleted, a failed one is left for SQS
to deliver again (and, past maxReceiveCount, to move to the dead-letter queue), exactly as deployed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.core import aws, work_queues
from chalicelib.core.observability import logger
from chalicelib.jobs.lambdas import TIMEOUTS
from chalicelib.jobs.runner import handle


@dataclass
class LocalContext:
    """What a unit reads of Lambda's context: the time left before the function's timeout."""

    timeout_ms: int
    started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        return int(self.timeout_ms - (time.monotonic() - self.started) * 1000)


@dataclass
class Drained:
    handled: int = 0
    failed: list[str] = field(default_factory=list)  # "job tenant unit" of each failed message
    results: list[dict[str, Any]] = field(default_factory=list)


Context = Callable[[str], Any]


def _context(queue: str) -> Any:
    return LocalContext(TIMEOUTS[queue] * 1000)


def consume_one(queue: str, drained: Drained, context: Context = _context, wait_seconds: int = 0) -> bool:
    """Receive and handle one message of `queue`; False when none was waiting."""
    sqs, url = aws.client("sqs"), work_queues.url(queue)
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1,
                                   WaitTimeSeconds=wait_seconds).get("Messages", [])
    for message in messages:
        try:
            drained.results.append(handle(message["Body"], context(queue)))
        except Exception:  # noqa: BLE001 - SQS delivers it again, as it would to the deployed function
            logger.exception("a queued unit failed", extra={"queue": queue})
            drained.failed.append(message["Body"])
            continue
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        drained.handled += 1
    return bool(messages)


def drain(queues: Iterable[str] = work_queues.QUEUES, context: Context = _context) -> Drained:
    """Handle messages until no queue has one waiting (delayed messages stay for later)."""
    drained, names = Drained(), list(queues)
    while any([consume_one(queue, drained, context) for queue in names]):
        pass
    return drained
