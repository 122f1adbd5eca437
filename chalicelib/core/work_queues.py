"""The work queues (infra/template.json): one message is one unit of a scheduled job.

    jobs      a tenant's turn of a sweep (breaches, expiries, suspensions, metrics, anchors, verification)
    exports   one tenant's filing for one period (MB2018-9/10), in a function allowed 15 minutes
    webhooks  one delivery of one tenant's feedback webhook (PA2020-20), delayed by its backoff

A message names the job, the run, the tenant, the unit and the step it continues from; a unit that runs
out of time sends itself again at the next step with its checkpoint (chalicelib/jobs/runner.py).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from chalicelib.core import aws
from chalicelib.core.config import queue

QUEUES = ("jobs", "exports", "webhooks", "anchors")
MAX_DELAY_SECONDS = 900  # SQS's longest message delay
_BATCH = 10  # SQS's most messages per SendMessageBatch
_urls: dict[str, str] = {}


@dataclass(frozen=True)
class Unit:
    """One unit of work: `job` for `tenant`, unit `unit` of run `run`, continuing at `step`."""

    job: str
    run: str
    tenant: str
    unit: str = "tenant"
    step: int = 0
    checkpoint: dict[str, Any] = field(default_factory=dict)
    carried: dict[str, Any] = field(default_factory=dict)  # what the earlier steps of the unit did

    def next_step(self, checkpoint: dict[str, Any], carried: dict[str, Any]) -> Unit:
        return replace(self, step=self.step + 1, checkpoint=checkpoint, carried=carried)

    def encode(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    @classmethod
    def decode(cls, body: str) -> Unit:
        """A message we sent; anything else raises ValueError, so it ends in the dead-letter queue."""
        raw = json.loads(body)
        if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in ("job", "run", "tenant", "unit")):
            raise ValueError("not a unit of work")
        step, checkpoint, carried = raw.get("step", 0), raw.get("checkpoint", {}), raw.get("carried", {})
        if not isinstance(step, int) or not isinstance(checkpoint, dict) or not isinstance(carried, dict):
            raise ValueError("not a unit of work")
        return cls(raw["job"], raw["run"], raw["tenant"], raw["unit"], step, checkpoint, carried)


def url(name: str) -> str:
    queue_name, given = queue(name)
    if given:
        return given
    found = _urls.get(queue_name)
    if found is None:
        found = _urls[queue_name] = aws.client("sqs").get_queue_url(QueueName=queue_name)["QueueUrl"]
    return found


def forget() -> None:
    _urls.clear()


def send(name: str, units: list[Unit], delay_seconds: int = 0) -> int:
    """Queue units, ten a call; a unit SQS refuses raises, so a schedule that could not queue its work fails."""
    delay = max(0, min(MAX_DELAY_SECONDS, delay_seconds))
    for start in range(0, len(units), _BATCH):
        batch = units[start:start + _BATCH]
        answer = aws.client("sqs").send_message_batch(QueueUrl=url(name), Entries=[
            {"Id": str(n), "MessageBody": u.encode(), "DelaySeconds": delay} for n, u in enumerate(batch)])
        if answer.get("Failed"):
            raise RuntimeError(f"SQS refused {len(answer['Failed'])} message(s) on {name}")
    return len(units)


def backlog(name: str) -> dict[str, int]:
    """Messages waiting, in flight and delayed (SQS's approximate counts)."""
    attributes = aws.client("sqs").get_queue_attributes(QueueUrl=url(name), AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed"])["Attributes"]
    return {"waiting": int(attributes.get("ApproximateNumberOfMessages", 0)),
            "in_flight": int(attributes.get("ApproximateNumberOfMessagesNotVisible", 0)),
            "delayed": int(attributes.get("ApproximateNumberOfMessagesDelayed", 0))}
