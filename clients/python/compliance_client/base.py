"""What every operation shares: the key, JSON in and out, retries, Idempotency-Key and pagination.

- 429 and 503 are retried (``max_retries``, default 3) after ``Retry-After`` (seconds or an HTTP date)
  when the answer gives one, else after an exponential backoff with jitter; every wait is capped at
  ``max_wait`` seconds. The API answers both for "send the same request again".
- An operation that takes ``Idempotency-Key`` gets a fresh UUID unless one is passed, and keeps it on
  every retry, so a retried registration, verification or decision is applied once.
- A request that got no answer (a dropped connection, a timeout) is retried only when repeating it is
  safe: a GET, PUT or DELETE, or a request carrying an Idempotency-Key.
"""

from __future__ import annotations

import email.utils
import json
import random
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from compliance_client.errors import TransportError, error_for
from compliance_client.transport import Response, Transport, urllib_transport

RETRIED_STATUSES = frozenset({429, 503})
SAFE_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})


class BaseClient:
    def __init__(self, base_url: str, api_key: str | None = None, *, actor: str | None = None,
                 timeout: float = 10.0, max_retries: int = 3, backoff: float = 0.5, max_wait: float = 30.0,
                 transport: Transport | None = None, sleep: Callable[[float], None] = time.sleep,
                 user_agent: str = "compliance-api-client-python") -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key, self.actor = api_key, actor
        self.timeout, self.max_retries, self.backoff, self.max_wait = timeout, max_retries, backoff, max_wait
        self.transport = transport or urllib_transport
        self.sleep = sleep
        self.user_agent = user_agent

    def _request(self, method: str, path: str, *, query: Mapping[str, Any] | None = None, body: Any = None,
                 headers: Mapping[str, str | None] | None = None, idempotent: bool = False,
                 idempotency_key: str | None = None) -> Any:
        sent = {"Accept": "application/json", "User-Agent": self.user_agent}
        if self.api_key:
            sent["X-Api-Key"] = self.api_key
        if self.actor:
            sent["X-Actor"] = self.actor
        sent.update({name: value for name, value in (headers or {}).items() if value is not None})
        if idempotent:
            sent["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            sent["Content-Type"] = "application/json"
        url = self.base_url + path + _query_string(query)
        repeatable = method in SAFE_METHODS or "Idempotency-Key" in sent
        return self._exchange(method, url, sent, data, repeatable)

    def _exchange(self, method: str, url: str, headers: dict[str, str], data: bytes | None, repeatable: bool) -> Any:
        attempt = 0
        while True:
            try:
                answer = self.transport(method, url, headers, data, self.timeout)
            except TransportError:
                if not repeatable or attempt >= self.max_retries:
                    raise
                self.sleep(self._backoff(attempt))
                attempt += 1
                continue
            if answer.status in RETRIED_STATUSES and attempt < self.max_retries:
                self.sleep(self._wait(answer, attempt))
                attempt += 1
                continue
            return _result(answer)

    def _wait(self, answer: Response, attempt: int) -> float:
        told = retry_after(answer.headers.get("retry-after"))
        return min(self.max_wait, told) if told is not None else self._backoff(attempt)

    def _backoff(self, attempt: int) -> float:
        return min(self.max_wait, self.backoff * 2.0 ** attempt) * random.uniform(0.5, 1.0)  # noqa: S311 (jitter)

    @staticmethod
    def _paginate(page: Callable[[str | None], Any]) -> Iterator[Any]:
        """Every item of a listing, following next_cursor until the last page."""
        cursor: str | None = None
        while True:
            answer = page(cursor)
            yield from answer["items"]
            cursor = answer.get("next_cursor")
            if not cursor:
                return


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (RFC 9110: delay-seconds or an HTTP date); None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def path_segment(value: str) -> str:
    """A path parameter as one segment: "/", "?", "#" and ".." cannot reach another route."""
    return urllib.parse.quote(str(value), safe="")


def _query_string(query: Mapping[str, Any] | None) -> str:
    given = {name: _query_value(value) for name, value in (query or {}).items() if value is not None}
    return "?" + urllib.parse.urlencode(given) if given else ""


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _result(answer: Response) -> Any:
    parsed = None
    if answer.body:
        try:
            parsed = json.loads(answer.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            parsed = None
    if answer.status >= 400:
        raise error_for(answer.status, parsed, answer.headers.get("x-request-id"),
                        retry_after(answer.headers.get("retry-after")))
    return parsed if parsed is not None else {}
