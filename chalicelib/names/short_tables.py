"""The str.translate tables a short text (a name, a post) is normalized through (names/normalize.py): per
codepoint what it keeps, how many characters that is, its marks, and the numeric channel's reading, each
worked out once per character (names/char_fold.py) as texts meet it.
"""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.names import phrases
from chalicelib.names.char_fold import CACHE_LIMIT, STEPS, kept_of, numeral, steps_of

NUMERAL, PHRASE_START = 256, 512  # marks beside the steps' bits (0–255)
# the steps named by a bit set, for every set
STEPS_OF = [tuple(step for bit, step in enumerate(STEPS) if flags & (1 << bit)) for flags in range(256)]


class CodeMap(dict[int, str]):
    """codepoint → a string (`of(char)`), for str.translate: filled as texts meet characters, at most
    CACHE_LIMIT of them kept (past that a character is worked out again each time, the same answer)."""

    def __init__(self, of: Callable[[str], str]) -> None:
        super().__init__()
        self.of = of

    def __missing__(self, code: int) -> str:
        found = self.of(chr(code))
        if len(self) < CACHE_LIMIT:
            self[code] = found
        return found


def mark_of(char: str) -> str:
    """`char`'s steps, with NUMERAL when it keeps a number form other than its digit and PHRASE_START when a
    traditional phrase begins with it, as one character ("" when it has none of them): never a surrogate."""
    mark = steps_of(char) | (NUMERAL if any(numeral(c) != c for c in kept_of(char)) else 0) | (
        PHRASE_START if char in phrases.firsts() else 0)
    return chr(mark) if mark else ""


KEPT = CodeMap(kept_of)
COUNTS = CodeMap(lambda char: chr(len(kept_of(char))))  # a character keeps at most 18 (ﷺ)
MARKS = CodeMap(mark_of)
NUMERALS = CodeMap(numeral)
