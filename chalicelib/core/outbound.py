"""A tenant's own endpoints (verification gateway, feedback webhook): the one HTTP client that calls them.

Both URLs are set in the tenant's policy, so a tenant must not be able to aim them inside:
- the signing secret must live under the tenant's own SSM parameter path (a tenant must not make
  the product sign with another tenant's secret);
- `post` resolves the host once, refuses the call if any resolved address is not public, and
  connects to exactly the address it checked (no second lookup that DNS rebinding could answer
  differently); TLS still verifies the certificate and sends SNI for the URL's own host name.
  Outside dev the URL must be HTTPS and every address public; in dev (tests, the local stack)
  loopback and private addresses are allowed. Cloud metadata addresses are refused in every stage;
- redirects are never followed (any 3xx is a failure), one deadline (`timeout_ms`) covers the
  whole call: lookup, connect, TLS, send, headers and body; the body is capped at `BODY_LIMIT`;
- a failure is one `Reason`, never the endpoint's status, body or its provider's codes, so an
  error we answer cannot be used to read what an address inside answered.
"""

from __future__ import annotations

import functools
import http.client
import io
import ipaddress
import re
import socket
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

from chalicelib.core.config import settings as app_settings
from chalicelib.core.errors import ProviderUnavailable, Unprocessable
from chalicelib.core.outbound_addresses import (  # noqa: F401  (importable from here, as before the split)
    METADATA,
    Address,
    address_allowed,
)
from chalicelib.core.outbound_reasons import Reason

BODY_LIMIT = 64 * 1024
# Status line, headers and chunk framing on top of the body; past this the answer is TOO_LARGE.
RAW_LIMIT = 2 * BODY_LIMIT
_HOST = re.compile(r"[A-Za-z0-9._:-]+")


class OutboundError(Exception):
    """`status` is for the caller's retry decision (5xx, 429) only; it is never put in an answer."""

    def __init__(self, reason: Reason, status: int | None = None) -> None:
        super().__init__(reason.value)
        self.reason, self.status = reason, status

    @property
    def transient(self) -> bool:
        return self.reason in {Reason.TIMEOUT, Reason.CONNECT_FAILED} or (self.status or 0) >= 500


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


@dataclass(frozen=True)
class _Target:
    https: bool
    host: str  # ASCII (IDNA) form: what is looked up, named in SNI and checked in the certificate
    port: int
    path: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == (443 if self.https else 80) else f"{host}:{self.port}"


def secret_prefix(tenant_id: str) -> str:
    return f"/compliance-api/{app_settings().stage}/tenants/{tenant_id}/"


def check(tenant_id: str, url: str, secret_parameter: str, *, setting: str, code_prefix: str) -> None:
    """Refuse (422) what is wrong whatever DNS says: a secret outside the tenant's path, a scheme or an
    IP literal that `post` would refuse. Host names are judged by `post`, on the address it connects to."""
    if not secret_parameter.startswith(secret_prefix(tenant_id)):
        raise Unprocessable(f"{setting}.secret_parameter must start with {secret_prefix(tenant_id)}.",
                            message_zh="签名密钥参数必须位于本租户自己的参数路径下。",
                            code=f"{code_prefix}_SECRET_OUTSIDE_TENANT")
    try:
        target = _target(url)
        literal = _literal(target.host)
        if literal is not None and not address_allowed(literal):
            raise OutboundError(Reason.ADDRESS_FORBIDDEN)
    except OutboundError as exc:
        raise Unprocessable(f"{setting}.url must be an HTTPS URL on a public address.",
                            message_zh="该地址必须是公网地址上的 HTTPS 地址。",
                            code=f"{code_prefix}_URL_FORBIDDEN", details={"reason": exc.reason.value}) from exc


def secret(parameter: str, *, code_prefix: str) -> str:
    from aws_lambda_powertools.utilities import parameters

    try:
        return str(parameters.get_parameter(parameter, decrypt=True, max_age=300))
    except Exception as exc:  # Powertools wraps every SSM failure in its own error type
        raise ProviderUnavailable("The signing secret could not be read.", message_zh="无法读取签名密钥。",
                                  code=f"{code_prefix}_SECRET_UNAVAILABLE",
                                  details={"reason": type(exc).__name__}) from exc


def post(url: str, body: bytes, headers: dict[str, str], *, timeout_ms: int) -> Answer:
    """POST `body`; a 2xx answer with at most `BODY_LIMIT` bytes, or `OutboundError`."""
    deadline = time.monotonic() + timeout_ms / 1000
    target = _target(url)
    family, address = _resolve(target, deadline)
    try:
        with _connect(target, family, address, deadline) as connection:
            _send(connection, target, body, headers, deadline)
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


def _target(url: str) -> _Target:
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise OutboundError(Reason.BAD_URL) from exc
    https = parts.scheme == "https"
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise OutboundError(Reason.BAD_URL)
    if not https and app_settings().stage != "dev":
        raise OutboundError(Reason.ADDRESS_FORBIDDEN)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        host = parts.hostname if _literal(parts.hostname) is not None else parts.hostname.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise OutboundError(Reason.BAD_URL) from exc
    # Nothing in the request line or Host header that could end it or start a header of its own.
    if any(ord(c) <= 0x20 or ord(c) >= 0x7F for c in path) or not _HOST.fullmatch(host):
        raise OutboundError(Reason.BAD_URL)
    return _Target(https, host, port or (443 if https else 80), path)


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _resolve(target: _Target, deadline: float) -> tuple[int, Any]:
    """One lookup, bounded by the deadline; every address it gives must be allowed; the first is used."""
    found: dict[str, Any] = {}

    def lookup() -> None:
        try:
            found["infos"] = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            found["infos"] = []

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(_remaining(deadline))
    if worker.is_alive():
        raise OutboundError(Reason.TIMEOUT)
    infos = [(info[0], info[4]) for info in found["infos"] if info[0] in (socket.AF_INET, socket.AF_INET6)]
    if not infos:
        raise OutboundError(Reason.CONNECT_FAILED)
    if not all(address_allowed(ipaddress.ip_address(str(sockaddr[0]).split("%")[0])) for _, sockaddr in infos):
        raise OutboundError(Reason.ADDRESS_FORBIDDEN)
    return infos[0]


@functools.cache
def tls_context() -> ssl.SSLContext:
    """Certificate and host name verification against the system's trust store."""
    return ssl.create_default_context()


def _connect(target: _Target, family: int, address: Any, deadline: float) -> socket.socket:
    connection = socket.socket(family, socket.SOCK_STREAM)
    try:
        connection.settimeout(_remaining(deadline))
        connection.connect(address)
        if not target.https:
            return connection
        # The handshake runs under one deadline of its own (CPython), set to what is left of ours.
        connection.settimeout(_remaining(deadline))
        return tls_context().wrap_socket(connection, server_hostname=target.host)
    except BaseException:
        connection.close()
        raise


def _send(connection: socket.socket, target: _Target, body: bytes, headers: dict[str, str], deadline: float) -> None:
    lines = [f"POST {target.path} HTTP/1.1", f"Host: {target.host_header}", f"Content-Length: {len(body)}",
             "Connection: close", "Accept: application/json", *(f"{name}: {value}" for name, value in headers.items())]
    connection.settimeout(_remaining(deadline))
    connection.sendall("\r\n".join([*lines, "", ""]).encode("latin-1") + body)  # one total timeout (Python ≥ 3.5)


def _receive(connection: socket.socket, deadline: float) -> Answer:
    response = http.client.HTTPResponse(_DeadlineSocket(connection, deadline), method="POST")  # type: ignore[arg-type]
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


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise OutboundError(Reason.TIMEOUT)
    return left


class _DeadlineStream(io.RawIOBase):
    """The connection as http.client reads it: every read waits at most until the call's deadline,
    so an endpoint sending one byte at a time cannot stretch the call, and reads stop at `RAW_LIMIT`."""

    def __init__(self, connection: socket.socket, deadline: float) -> None:
        self.connection, self.deadline, self.count = connection, deadline, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self.connection.settimeout(_remaining(self.deadline))
        received = self.connection.recv_into(buffer)
        self.count += received
        if self.count > RAW_LIMIT:
            raise OutboundError(Reason.TOO_LARGE)
        return received


class _DeadlineSocket:
    def __init__(self, connection: socket.socket, deadline: float) -> None:
        self.connection, self.deadline = connection, deadline

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineStream(self.connection, self.deadline))
