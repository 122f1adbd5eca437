"""How long a unit of work may still run: the Lambda context's remaining time, less a reserve.

The reserve is what it takes to write a checkpoint and send the unit again, so a unit stopped by its
budget always leaves its progress behind instead of being killed by Lambda's timeout.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

RESERVE_MS = 5_000
LOCAL_TIMEOUT_MS = 120_000  # outside Lambda (make run, make job, tests): a Lambda's default of this product


@dataclass(frozen=True)
class Budget:
    remaining_ms: Callable[[], int]
    reserve_ms: int = RESERVE_MS

    def spent(self) -> bool:
        """True once the time left is the reserve: stop, checkpoint, re-enqueue."""
        return self.remaining_ms() <= self.reserve_ms

    @classmethod
    def of(cls, context: Any, reserve_ms: int = RESERVE_MS) -> Budget:
        """The budget of a Lambda invocation, or LOCAL_TIMEOUT_MS from now where there is no context."""
        remaining = getattr(context, "get_remaining_time_in_millis", None)
        if callable(remaining):
            return cls(lambda: int(remaining()), reserve_ms)
        return cls.lasting(LOCAL_TIMEOUT_MS, reserve_ms)

    @classmethod
    def lasting(cls, milliseconds: int, reserve_ms: int = RESERVE_MS) -> Budget:
        deadline = time.monotonic() + milliseconds / 1000
        return cls(lambda: int((deadline - time.monotonic()) * 1000), reserve_ms)
