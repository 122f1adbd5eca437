"""Registration velocity (PA2020-10, PA2020-18(8)): registrations counted per IP, device and phone in a
window, in the registration's own transaction and conditional on the window's limit; a subject refused
for velocity `hoarding_bursts` times is flagged for review.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.accounts import store as storage
from chalicelib.core import clock, crypto, stores
from chalicelib.core.errors import TooManyRequests
from chalicelib.identity.documents import canonical_mobile


@dataclass(frozen=True)
class Velocity:
    """PA2020-10, PA2020-18(8): one registration counted in an IP's or device's window, in the
    registration's own transaction, conditional on the window's limit."""

    kind: str
    op: dict[str, Any]
    limit: int
    window_minutes: int
    retry_after: int


def velocity(tenant_id: str, body: dict[str, Any], settings: dict[str, Any]) -> list[Velocity]:
    now, found = clock.now_epoch(), []
    for kind, field in (("ip", "registration_ip"), ("device", "device_id"), ("phone", "registration_phone")):
        value = body.get(field)
        if not value:
            continue
        if kind == "phone":  # one canonical form, so no other written form of a number counts apart
            value = canonical_mobile(value)
        rule = settings["velocity"][kind]
        window = rule["window_minutes"] * 60
        start = int(now // window * window)
        # a keyed blind index: a plain hash of an IP or an 11-digit phone could be reversed by enumeration
        digest = crypto.blind_index(crypto.index_key(tenant_id, stores.main_table()), f"VELOCITY_{kind}", value)[:32]
        op = storage.store().velocity_op(tenant_id, kind, digest, start, rule["limit"], start + 2 * window)
        found.append(Velocity(kind, op, rule["limit"], rule["window_minutes"], max(1, int(start + window - now))))
    return found


def throttled(tenant_id: str, subject_id: str, refused: Velocity, bursts: int) -> TooManyRequests:
    flagged = _count_burst(tenant_id, subject_id, bursts)
    return TooManyRequests(f"Too many registrations from this {refused.kind}; retry later.",
                           message_zh="同一来源注册过于频繁，请稍后再试。",
                           code=f"REGISTRATION_VELOCITY_{refused.kind.upper()}",
                           article="PA2020-18(8)", headers={"Retry-After": str(refused.retry_after)},
                           details={"limit": refused.limit, "window_minutes": refused.window_minutes,
                                    "hoarding_flagged": flagged})


def _count_burst(tenant_id: str, subject_id: str, bursts: int) -> bool:
    """Count a velocity refusal on the subject; at `bursts` it is flagged for review (PA2020-10)."""
    if storage.store().count_velocity_refusal(tenant_id, subject_id) < bursts:
        return False
    storage.store().flag_hoarding(tenant_id, subject_id)
    return True
