"""Generators of valid *fake* identity numbers: right structure and check digits, no real person.

Sequence numbers are drawn from 900-989 for resident IDs, a band nobody should mistake for a
real assignment, and organisation bodies are random, so no fixture in this repository is a
real person's or organisation's number. The sandbox provider's magic codes (991-996) are
avoided unless asked for with `magic=`.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from chalicelib.identity.documents.common import mod11_2_check
from chalicelib.identity.documents.organization import USCC_ALPHABET, org_code_check, uscc_check

KNOWN_COUNTIES = ("110101", "110105", "310104", "440305", "330106", "510107", "360426")
ORG_BODY_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


MAGIC = {"991", "992", "993", "994", "995", "996"}


def resident_id(rng: random.Random | None = None, *, region: str | None = None, born: date | None = None,
                sex: str | None = None, magic: str | None = None) -> str:
    rng = rng or random.Random()
    region = region or rng.choice(KNOWN_COUNTIES)
    born = born or date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    sequence = int(magic) if magic else rng.randrange(900, 990)
    if sex is not None and (sequence % 2 == 1) != (sex == "M"):
        sequence = sequence - 1 if sequence > 900 else sequence + 1
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    return body + mod11_2_check(body)


def org_code(rng: random.Random | None = None) -> str:
    rng = rng or random.Random()
    body = "".join(rng.choice(ORG_BODY_ALPHABET) for _ in range(8))
    while len(set(body)) == 1:
        body = "".join(rng.choice(ORG_BODY_ALPHABET) for _ in range(8))
    return body + org_code_check(body)


def uscc(rng: random.Random | None = None, *, authority: str = "9", kind: str = "1", region: str = "110105") -> str:
    rng = rng or random.Random()
    while True:
        body = f"{authority}{kind}{region}{org_code(rng)}"
        assert all(ch in USCC_ALPHABET for ch in body)
        if body[-3:] not in MAGIC:
            return body + uscc_check(body)


def pr_card(rng: random.Random | None = None, *, province: str = "11", nationality: str = "840") -> str:
    rng = rng or random.Random()
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 40))
    body = f"9{province}{nationality}{born:%Y%m%d}{rng.randrange(900, 990):03d}"
    return body + mod11_2_check(body)


def mobile(rng: random.Random | None = None, *, prefix: str = "138") -> str:
    rng = rng or random.Random()
    while True:
        number = prefix + "".join(str(rng.randrange(10)) for _ in range(11 - len(prefix)))
        if number[-3:] not in MAGIC:
            return number


def scheduled_event() -> dict:
    """What EventBridge hands a scheduled Lambda function."""
    return {"version": "0", "account": "123456789012", "region": "cn-north-1", "detail": {},
            "detail-type": "Scheduled Event", "source": "aws.events", "time": "2026-11-25T00:00:00Z",
            "id": "d6a5e2b4-0000-0000-0000-000000000000", "resources": []}


class Countdown:
    """A Lambda context whose remaining time drops by `step_ms` at each reading."""

    def __init__(self, start_ms: int, step_ms: int) -> None:
        self.left, self.step = start_ms, step_ms

    def get_remaining_time_in_millis(self) -> int:
        self.left -= self.step
        return self.left


class NameCheckInScene:
    """A name check stood in for a use case that runs one (registration, founding): REVIEW, naming the scene it
    was asked for as the real check's answer does; `asked` holds each (field, scene)."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str | None]] = []

    def __call__(self, tenant: str, text: str, field: str, *args: object, scene: str | None = None) -> dict:
        self.asked.append((field, scene))
        answer = {"decision": "REVIEW", "hits": [], "normalized": text, "lexicon_version": "1"}
        return {**answer, "scene": {"name": scene}} if scene is not None else answer
