"""`make run`'s scheduled work, as deployed: every schedule fires on its rate (EventBridge's part) and one
consumer per queue hands each message to its function (the SQS event source's part), against the moto
server, so units, checkpoints, redelivery and the dead-letter queues behave as they do in Lambda.

SCHEDULE_EVERY_S=N fires every schedule every N seconds instead (demos, tests); a tick is skipped while its
queue holds more than MAX_BACKLOG waiting units, which one local consumer per queue has yet to drain.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from chalicelib.core import clock, work_queues
from chalicelib.core.observability import logger
from chalicelib.jobs.drain import Drained, consume_one
from chalicelib.jobs.lambdas import SCHEDULES
from chalicelib.jobs.runner import queue_of

MAX_BACKLOG = 50


def period_override() -> int | None:
    raw = os.environ.get("SCHEDULE_EVERY_S")
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit("SCHEDULE_EVERY_S must be a whole number of seconds, at least 1")
    return int(raw)


def scheduled_event() -> dict[str, Any]:
    """What EventBridge hands a scheduled function; its time names the run."""
    return {"version": "0", "account": "123456789012", "region": os.environ.get("AWS_REGION", "cn-north-1"),
            "detail": {}, "detail-type": "Scheduled Event", "source": "aws.events", "time": clock.iso(),
            "id": "local", "resources": []}


def _fire_every(name: str, function: Any, seconds: int, stop: threading.Event) -> None:
    while not stop.wait(seconds):
        try:
            waiting = work_queues.backlog(queue_of(name))["waiting"]
            if waiting > MAX_BACKLOG:
                # Deployed, Lambda adds consumers; here one thread per queue drains, so a short SCHEDULE_EVERY_S
                # would queue faster than it can, and `make job` would wait behind the pile.
                logger.warning("schedule skipped: its queue is behind", extra={"job": name, "waiting": waiting})
                continue
            answer = function(scheduled_event(), None)
            logger.info("schedule fired", extra={"job": name, "queued": answer.get("queued")})
        except Exception:  # noqa: BLE001 - a schedule that failed fires again at its next tick, as deployed
            logger.exception("schedule failed", extra={"job": name})


def _consume(queue: str, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            consume_one(queue, Drained(), wait_seconds=1)
        except Exception:  # noqa: BLE001 - the backend went away (shutting down) or refused a call: try again
            logger.exception("queue consumer failed", extra={"queue": queue})
            stop.wait(1)


def start() -> tuple[threading.Event, dict[str, int]]:
    """Start the schedules and the consumers (daemon threads); set the event to stop them. Returns each
    schedule's period in seconds."""
    stop, every = threading.Event(), period_override()
    periods = {name: every or rate for name, (_, rate) in SCHEDULES.items()}
    for name, (function, _) in SCHEDULES.items():
        threading.Thread(target=_fire_every, args=(name, function, periods[name], stop), daemon=True,
                         name=f"schedule-{name}").start()
    for queue in work_queues.QUEUES:
        threading.Thread(target=_consume, args=(queue, stop), daemon=True, name=f"consume-{queue}").start()
    return stop, periods
