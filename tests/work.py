"""How much Python a call runs: a count, not a clock, so a linearity test holds whatever else the machine is
doing (speed itself is measured in bench/)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def python_steps(call: Callable[[], Any]) -> int:
    """Lines of Python run by `call`: work done per character, hit or candidate in Python shows here; work done
    per array (numpy, a C automaton) does not."""
    steps = 0

    def trace(frame: Any, event: str, arg: Any) -> Any:
        nonlocal steps
        steps += event == "line"
        return trace

    sys.settrace(trace)
    try:
        call()
    finally:
        sys.settrace(None)
    return steps
