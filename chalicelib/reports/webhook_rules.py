"""When a failed webhook delivery is tried again, and when it is given up (PA2020-20 feedback). Pure.

Attempt n+1 waits 30 s x 2^(n-1), capped at SQS's longest message delay (15 minutes); a delivery is
given up after MAX_ATTEMPTS attempts or once DEADLINE_SECONDS have passed since its first, whichever
comes first, and is then kept as ABANDONED so "was the feedback sent" stays answerable.
"""

from __future__ import annotations

from datetime import datetime, timedelta

FIRST_BACKOFF_SECONDS = 30
MAX_BACKOFF_SECONDS = 900
MAX_ATTEMPTS = 10
DEADLINE_SECONDS = 24 * 3600
# A queued delivery whose next attempt is this late lost its message (or never had one): the sweep sends it again.
OVERDUE_GRACE_SECONDS = 900


def backoff_seconds(attempt: int) -> int:
    """How long to wait before attempt `attempt` (the second attempt is attempt 2)."""
    exponent = max(0, min(attempt - 2, 20))
    return min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS * 2 ** exponent)


def deadline(first_attempt: datetime) -> datetime:
    return first_attempt + timedelta(seconds=DEADLINE_SECONDS)


def given_up(attempts: int, deadline_at: datetime, now: datetime) -> bool:
    """No more attempts: the last one was made, or the delivery's deadline has passed."""
    return attempts >= MAX_ATTEMPTS or now >= deadline_at


def overdue(next_attempt_at: datetime, now: datetime) -> bool:
    return now > next_attempt_at + timedelta(seconds=OVERDUE_GRACE_SECONDS)
