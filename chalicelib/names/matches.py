"""Raw matches of a long text as arrays, and the index arithmetic that expands them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple


class Matches(NamedTuple):
    """Raw matches of a long text as arrays, one row per (start, end, entry number), by start: a post
    may hold tens of thousands, and arrays keep the work per match in C."""

    starts: Any
    ends: Any
    numbers: Any

    @classmethod
    def of(cls, found: Iterable[tuple[int, int, int]]) -> Matches:
        import numpy as np

        table = np.array(list(found), dtype=np.int64).reshape(-1, 3)
        return cls(table[:, 0], table[:, 1], table[:, 2])

    @classmethod
    def join(cls, parts: list[Matches]) -> Matches:
        import numpy as np

        return cls(*(np.concatenate([part[column] for part in parts]) for column in range(3)))


def ranges(first: Any, counts: Any) -> Any:
    """The concatenation of range(f, f + c) for each pair: how candidates expand into their keys."""
    import numpy as np

    return np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))
