"""Where a call to a tenant's endpoint goes (core/outbound.py): the URL read to one scheme, host, port and
path, and the host looked up once, within the call's deadline, every address it resolves to allowed
(core/outbound_addresses.py), so the call connects to exactly the address checked (no second lookup that
DNS rebinding could answer differently). Outside dev the URL must be HTTPS.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import urllib.parse
from dataclasses import dataclass
from typing import Any

from chalicelib.core.config import settings as app_settings
from chalicelib.core.outbound_addresses import Address, address_allowed
from chalicelib.core.outbound_deadline import remaining
from chalicelib.core.outbound_reasons import OutboundError, Reason

_HOST = re.compile(r"[A-Za-z0-9._:-]+")


@dataclass(frozen=True)
class Target:
    https: bool
    host: str  # ASCII (IDNA) form: what is looked up, named in SNI and checked in the certificate
    port: int
    path: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == (443 if self.https else 80) else f"{host}:{self.port}"


def target(url: str) -> Target:
    """The URL as the call uses it, or BAD_URL; plain HTTP outside dev is ADDRESS_FORBIDDEN."""
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
        host = parts.hostname if literal(parts.hostname) is not None else parts.hostname.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise OutboundError(Reason.BAD_URL) from exc
    # Nothing in the request line or Host header that could end it or start a header of its own.
    if any(ord(c) <= 0x20 or ord(c) >= 0x7F for c in path) or not _HOST.fullmatch(host):
        raise OutboundError(Reason.BAD_URL)
    return Target(https, host, port or (443 if https else 80), path)


def literal(host: str) -> Address | None:
    """The host as an IP address when it is written as one, else None (a name, looked up by `resolve`)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def resolve(endpoint: Target, deadline: float) -> tuple[int, Any]:
    """One lookup, bounded by the deadline; every address it gives must be allowed; the first is used."""
    found: dict[str, Any] = {}

    def lookup() -> None:
        try:
            found["infos"] = socket.getaddrinfo(endpoint.host, endpoint.port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            found["infos"] = []

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(remaining(deadline))
    if worker.is_alive():
        raise OutboundError(Reason.TIMEOUT)
    infos = [(info[0], info[4]) for info in found["infos"] if info[0] in (socket.AF_INET, socket.AF_INET6)]
    if not infos:
        raise OutboundError(Reason.CONNECT_FAILED)
    if not all(address_allowed(ipaddress.ip_address(str(sockaddr[0]).split("%")[0])) for _, sockaddr in infos):
        raise OutboundError(Reason.ADDRESS_FORBIDDEN)
    return infos[0]
