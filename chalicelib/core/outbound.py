"""A tenant's own endpoints (verification gateway, feedback webhook, classifier gateway): the one HTTP client
that calls them.

Both URLs are set in the tenant's policy (checked by core/outbound_settings.py), so a tenant must not be able
to aim them inside:
- `post` resolves the host once, refuses the call if any resolved address is not public, and
  connects to exactly the address it checked (core/outbound_target.py); TLS still verifies the certificate
  and sends SNI for the URL's own host name. Outside dev the URL must be HTTPS and every address public; in
  dev (tests, the local stack) loopback and private addresses are allowed. Cloud metadata addresses are
  refused in every stage (core/outbound_addresses.py);
- redirects are never followed (any 3xx is a failure), one deadline (`timeout_ms`) covers the
  whole call: lookup, connect, TLS, send, headers and body (core/outbound_deadline.py); the body is capped
  at `BODY_LIMIT`;
- a failure is one `Reason` (core/outbound_reasons.py), never the endpoint's status, body or its provider's
  codes, so an error we answer cannot be used to read what an address inside answered.
"""

from __future__ import annotations

import functools
import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any

from chalicelib.core.outbound_deadline import DeadlineSocket, remaining
from chalicelib.core.outbound_reasons import OutboundError, Reason
from chalicelib.core.outbound_target import Target, resolve, target

BODY_LIMIT = 64 * 1024
# Status line, headers and chunk framing on top of the body; past this the answer is TOO_LARGE.
RAW_LIMIT = 2 * BODY_LIMIT


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


def post(url: str, body: bytes, headers: dict[str, str], *, timeout_ms: int) -> Answer:
    """POST `body`; a 2xx answer with at most `BODY_LIMIT` bytes, or `OutboundError`."""
    deadline = time.monotonic() + timeout_ms / 1000
    endpoint = target(url)
    family, address = resolve(endpoint, deadline)
    try:
        with _connect(endpoint, family, address, deadline) as connection:
            _send(connection, endpoint, body, headers, deadline)
            return _receive(connection, deadline)
    except TimeoutError as exc:
        raise OutboundError(Reason.TIMEOUT) from exc
    except ssl.SSLError as exc:  # certificate, host name, protocol
        raise OutboundError(Reason.TLS_FAILED) from exc
    except ConnectionError as exc:  # refused, reset, or closed before answering: worth a retry
        raise OutboundError(Reason.CONNECT_FAILED) from exc
    except http.client.HTTPException as exc:  # malformed status line, headers or chunks
        raise OutboundError(Reason.BAD_ANSWER) from exc
    except OSError as exc:
        raise OutboundError(Reason.CONNECT_FAILED) from exc


@functools.cache
def tls_context() -> ssl.SSLContext:
    """Certificate and host name verification against the system's trust store."""
    return ssl.create_default_context()


def _connect(endpoint: Target, family: int, address: Any, deadline: float) -> socket.socket:
    connection = socket.socket(family, socket.SOCK_STREAM)
    try:
        connection.settimeout(remaining(deadline))
        connection.connect(address)
        if not endpoint.https:
            return connection
        # The handshake runs under one deadline of its own (CPython), set to what is left of ours.
        connection.settimeout(remaining(deadline))
        return tls_context().wrap_socket(connection, server_hostname=endpoint.host)
    except BaseException:
        connection.close()
        raise


def _send(connection: socket.socket, endpoint: Target, body: bytes, headers: dict[str, str], deadline: float) -> None:
    lines = [f"POST {endpoint.path} HTTP/1.1", f"Host: {endpoint.host_header}", f"Content-Length: {len(body)}",
             "Connection: close", "Accept: application/json", *(f"{name}: {value}" for name, value in headers.items())]
    connection.settimeout(remaining(deadline))
    connection.sendall("\r\n".join([*lines, "", ""]).encode("latin-1") + body)  # one total timeout (Python ≥ 3.5)


def _receive(connection: socket.socket, deadline: float) -> Answer:
    reader = DeadlineSocket(connection, deadline, RAW_LIMIT)
    response = http.client.HTTPResponse(reader, method="POST")  # type: ignore[arg-type]
    response.begin()
    if 300 <= response.status < 400:
        raise OutboundError(Reason.REDIRECT)
    if not 200 <= response.status < 300:
        raise OutboundError(Reason.BAD_STATUS, response.status)
    declared = response.length
    if declared is not None and declared > BODY_LIMIT:
        raise OutboundError(Reason.TOO_LARGE)
    body = response.read(BODY_LIMIT + 1)
    if len(body) > BODY_LIMIT:
        raise OutboundError(Reason.TOO_LARGE)
    if declared is not None and len(body) != declared:
        raise OutboundError(Reason.BAD_ANSWER)  # cut short
    return Answer(response.status, body)
