"""Which addresses a tenant's endpoint may resolve to (core/outbound.py connects only to one allowed here).

Cloud metadata addresses are refused in every stage. Outside dev only public unicast addresses are
allowed, judged on the address itself and on every IPv4 address an IPv6 form carries (IPv4-mapped,
6to4, Teredo, NAT64, IPv4-compatible), so no spelling of an inside address passes; CGNAT
(100.64.0.0/10) counts as inside. In dev (tests, the local stack) loopback and private are allowed.
"""

from __future__ import annotations

import ipaddress

from chalicelib.core.config import settings as app_settings

METADATA = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "fd00:ec2::254",  # AWS instance metadata (IPv4, IPv6)
    "100.100.100.200", "169.254.0.23",   # Alibaba Cloud, Tencent Cloud metadata
))
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_EMBEDDING_V4 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("::/96"))  # NAT64, IPv4-compatible

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_allowed(address: Address) -> bool:
    """Metadata never; outside dev only public unicast, judged on every IPv4 address an IPv6 form carries."""
    forms = _forms(address)
    if any(form in METADATA for form in forms):
        return False
    return app_settings().stage == "dev" or not any(_internal(form) for form in forms)


def _internal(a: Address) -> bool:
    return (not a.is_global or a.is_private or a.is_loopback or a.is_link_local or a.is_multicast or a.is_reserved
            or a.is_unspecified or a in _CGNAT or (isinstance(a, ipaddress.IPv6Address) and a.is_site_local))


def _forms(address: Address) -> list[Address]:
    if isinstance(address, ipaddress.IPv4Address):
        return [address]
    carried = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    carried += [ipaddress.IPv4Address(int(address) & 0xFFFFFFFF) for net in _EMBEDDING_V4 if address in net]
    return [address, *(a for a in carried if a is not None)]
