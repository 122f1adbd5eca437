"""Per-codepoint tables over whole texts: what a long text's characters become, as numpy gathers.

A post of 20,000 characters holds a few thousand distinct ones. Each table answers for every codepoint
from arrays filled per distinct character the first time a text holds it (in Python, once per
container), so a text is then a handful of gathers in C, never a dictionary lookup or a Python object
per character (MB2018-12: a platform must be able to stop transmission as it happens, so the check sits
on the posting path). The arrays are allocated zeroed and the system only backs the pages a text
touches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CODEPOINTS = 0x110000


def points_of(text: str) -> Any:
    """The text's code points as a uint32 vector (one C call)."""
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def text_of(points: Any) -> str:
    import numpy as np

    return np.ascontiguousarray(points, dtype=np.uint32).tobytes().decode("utf-32-le")


class CodeTable:
    """codepoint → a number (`of(char)`), one array over every codepoint."""

    def __init__(self, of: Callable[[str], int], dtype: str = "uint32") -> None:
        self.of, self.dtype = of, dtype
        self.table: Any = None
        self.filled: Any = None

    def _learn(self, points: Any) -> None:
        import numpy as np

        if self.table is None:
            self.table = np.zeros(CODEPOINTS, dtype=self.dtype)
            self.filled = np.zeros(CODEPOINTS, dtype=bool)
        new = points[~self.filled[points]]
        for code in np.unique(new).tolist() if len(new) else ():
            self.table[code] = self.of(chr(code))
            self.filled[code] = True

    def gather_points(self, points: Any) -> Any:
        self._learn(points)
        return self.table[points]

    def gather(self, text: str) -> Any:
        return self.gather_points(points_of(text))


class Expansion:
    """codepoint → a string of any length (`of(char)`) and a number (`flags_of(char)`), applied to a whole
    text at once: the output's code points and, for each, the index of the input character it came from.
    A character's output of one code point is stored in `first`; a longer one (㎏ → kg, ﷺ → 18 letters)
    is a row of `rows`, which `first` then points at, so every length is one vectorized expansion."""

    def __init__(self, of: Callable[[str], str], flags_of: Callable[[str], int] | None = None) -> None:
        self.of, self.flags_of = of, flags_of
        self.first: Any = None
        self.length: Any = None
        self.flags: Any = None
        self.filled: Any = None
        self._longer: list[list[int]] = []
        self.rows: Any = None

    def _learn(self, points: Any) -> None:
        import numpy as np

        if self.first is None:
            self.first = np.zeros(CODEPOINTS, dtype=np.uint32)
            self.length = np.zeros(CODEPOINTS, dtype=np.uint8)
            self.flags = np.zeros(CODEPOINTS, dtype=np.uint8)
            self.filled = np.zeros(CODEPOINTS, dtype=bool)
        new = points[~self.filled[points]]
        grew = False
        for code in np.unique(new).tolist() if len(new) else ():
            out = [ord(c) for c in self.of(chr(code))][:255]
            if len(out) > 1:
                self.first[code] = len(self._longer)
                self._longer.append(out)
                grew = True
            elif out:
                self.first[code] = out[0]
            self.length[code] = len(out)
            self.flags[code] = self.flags_of(chr(code)) if self.flags_of else 0
            self.filled[code] = True
        if grew:
            width = max(map(len, self._longer))
            self.rows = np.zeros((len(self._longer), width), dtype=np.uint32)
            for row, out in enumerate(self._longer):
                self.rows[row, :len(out)] = out

    def flags_over(self, points: Any) -> int:
        """Every flag some character of the text has, or-ed together."""
        import numpy as np

        self._learn(points)
        return int(np.bitwise_or.reduce(self.flags[points])) if len(points) else 0

    def expand(self, points: Any) -> tuple[Any, Any]:
        """(output code points, input index of each)."""
        import numpy as np

        self._learn(points)
        lengths = self.length[points]
        firsts = self.first[points]
        longer = np.flatnonzero(lengths > 1)
        if not len(longer):
            kept = np.flatnonzero(lengths)
            return firsts[kept], kept
        counts = lengths.astype(np.int64)
        origin = np.repeat(np.arange(len(points), dtype=np.int64), counts)
        out = np.repeat(firsts, counts)
        at = (np.cumsum(counts) - counts)[longer]
        rows = self.rows[firsts[longer]]
        columns = np.arange(rows.shape[1])
        mask = columns[None, :] < counts[longer][:, None]
        out[(at[:, None] + columns[None, :])[mask]] = rows[mask]
        return out, origin
