"""boto3 clients, created once per container and only when first used.

Creating a client costs tens of milliseconds; cold starts pay it only for the services a
request touches, and clients share one botocore data loader, so the endpoint and partition
files are read once. `AWS_ENDPOINT_URL` (honoured by botocore itself) points every client at a
local moto server in `make run` and the end-to-end test. Tests that start moto's in-process
mock call `reset()` so no client created outside the mock survives into it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

_clients: dict[tuple[str, str | None, str], Any] = {}
_lock = threading.Lock()
# One botocore session, shared: its data loader caches the JSON models and endpoint files it reads, and its
# built-in handlers are registered once, not once a client (≈ 60 ms of each client's creation otherwise).
_session: Any = None


def client(service: str) -> Any:
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "cn-north-1"
    cache_key = (service, os.environ.get("AWS_ENDPOINT_URL"), region)
    found = _clients.get(cache_key)
    if found is not None:
        return found
    with _lock:
        found = _clients.get(cache_key)
        if found is None:
            # botocore directly, not boto3: boto3's import alone costs ~0.1 s of cold start.
            from botocore.config import Config
            from botocore.loaders import create_loader
            from botocore.session import get_session

            global _session
            if _session is None:
                _session = get_session()
                _session.register_component("data_loader", create_loader())
            found = _session.create_client(
                service,
                region_name=region,
                # The services validate every request themselves; botocore's client-side pass over
                # each parameter costs ~1 ms on a 100-key BatchGetItem.
                # AWS_READ_TIMEOUT_SECONDS: only for slow local emulators (the benchmarks' moto server).
                config=Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2,
                              read_timeout=int(os.environ.get("AWS_READ_TIMEOUT_SECONDS", "5")),
                              parameter_validation=False),
            )
            _clients[cache_key] = found
    return found


def reset(*, session: bool = True) -> None:
    """Forget every client, and the session unless `session` is False (a session made before moto was
    imported would make clients moto cannot intercept)."""
    global _session
    with _lock:
        _clients.clear()
        if session:
            _session = None


def clients() -> list[Any]:
    """The clients made so far (without the lock: it is called while a client is being made under it)."""
    return list(_clients.values())


def forget_clients(which: Callable[[Any], bool]) -> None:
    """Forget the clients `which` picks (the tests': those a test registered its own event handlers on)."""
    with _lock:
        for cache_key in [k for k, found in _clients.items() if which(found)]:
            del _clients[cache_key]
