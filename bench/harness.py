"""Timing helpers and the result table shared by the benchmark scripts."""

from __future__ import annotations

import contextlib
import os
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    name: str
    ours: float
    baseline: float | None
    unit: str
    target: str = ""
    # True/False when the row has a target (ratio ≤ limit or figure ≤ limit), None otherwise.
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return None if not self.baseline else self.ours / self.baseline


def per_call(fn: Callable[[], object], *, repeat: int, rounds: int = 5) -> float:
    """Median over rounds of the mean seconds per call (after one warm-up round)."""
    for _ in range(max(1, repeat // 10)):
        fn()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(repeat):
            fn()
        samples.append((time.perf_counter() - started) / repeat)
    return statistics.median(samples)


def ratio_row(name: str, ours: float, baseline: float, unit: str, limit: float, note: str = "") -> Row:
    return Row(name, ours, baseline, unit, f"≤ {limit:g}× baseline", ours / baseline <= limit, note)


def render(rows: list[Row]) -> str:
    header = ("benchmark", "ours", "baseline", "ratio", "target", "met")
    lines = [header]
    for row in rows:
        lines.append((
            row.name,
            f"{row.ours:,.3f} {row.unit}",
            "" if row.baseline is None else f"{row.baseline:,.3f} {row.unit}",
            "" if row.ratio is None else f"{row.ratio:.2f}×",
            row.target,
            {True: "yes", False: "NO", None: ""}[row.met],
        ))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    out = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) + " |" for line in lines]
    out.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    notes = [f"- {row.name}: {row.note}" for row in rows if row.note]
    return "\n".join(out + ([""] + notes if notes else []))


class AwsCalls:
    """Counts AWS calls and the time spent inside them, via botocore's events: an SDK call runs from
    `provide-client-params` (botocore starts building the request) to `after-call` (the answer is
    parsed); its wire part from `before-call` (the request is serialized) to `after-call`."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.seconds = 0.0        # inside SDK calls, request building included
        self.wire_seconds = 0.0   # inside SDK calls after the request was serialized
        self.serializing = 0.0    # per request, botocore building requests (set by per_request)
        self._started = self._sent = 0.0

    def watch(self, client: object, service: str) -> None:
        client.meta.events.register(f"provide-client-params.{service}", self._start)  # type: ignore[attr-defined]
        client.meta.events.register(f"before-call.{service}", self._before)  # type: ignore[attr-defined]
        client.meta.events.register(f"after-call.{service}", self._after)  # type: ignore[attr-defined]

    def _start(self, **kw: object) -> None:
        self._started = time.perf_counter()

    def _before(self, **kw: object) -> None:
        self.names.append(str(kw["event_name"]))
        self._sent = time.perf_counter()

    def _after(self, **kw: object) -> None:
        ended = time.perf_counter()
        self.seconds += ended - self._started
        self.wire_seconds += ended - self._sent

    def reset(self) -> None:
        self.names.clear()
        self.seconds = self.wire_seconds = 0.0

    def per_request(self, fn: Callable[[], object], repeat: int) -> tuple[float, float, list[str]]:
        """(seconds per request, of which outside SDK calls, the calls one request makes); afterwards
        `serializing` holds the seconds per request botocore spent building requests."""
        fn()
        self.reset()
        fn()
        calls = list(self.names)
        self.reset()
        started = time.perf_counter()
        for _ in range(repeat):
            fn()
        total = (time.perf_counter() - started) / repeat
        self.serializing = (self.seconds - self.wire_seconds) / repeat
        return total, total - self.seconds / repeat, calls


@contextlib.contextmanager
def moto_api(tenant_id: str, *, sandbox: bool = True) -> Iterator[tuple[object, str, AwsCalls]]:
    """The app on moto's in-process backend (built from infra/template.json) with one tenant:
    yields (the Chalice app, that tenant's API key, an AwsCalls watching DynamoDB and KMS)."""
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                       "AWS_DEFAULT_REGION": "cn-north-1", "AWS_REGION": "cn-north-1"})
    os.environ.pop("AWS_ENDPOINT_URL", None)
    from moto import mock_aws

    from infra import resources

    with mock_aws():
        os.environ.update(resources.environment(resources.create_all("dev", "cn-north-1")))
        import app as application
        from chalicelib.core import aws
        from chalicelib.tenants import service as tenants

        aws.reset()
        _, key, _ = tenants.create_tenant("Bench", tenant_id=tenant_id, sandbox=sandbox)
        calls = AwsCalls()
        for service in ("dynamodb", "kms"):
            calls.watch(aws.client(service), service)
        with contextlib.redirect_stdout(open(os.devnull, "w")):  # EMF metric lines go to stdout
            yield application.app, key, calls
