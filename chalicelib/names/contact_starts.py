"""Where each contact kind's pattern can begin in a folded text (names/contact.py): by string searches in a
short text, for every start at once with numpy in a long one, a start left out where no match could follow; and
the patterns tried only there, or scanned in C where starts are dense (a hostile post)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cached_property, lru_cache
from typing import Any

from chalicelib.names.codepoints import CodeTable, points_of
from chalicelib.names.contact_patterns import (
    _ADDS,
    _BETWEEN,
    _CHANNEL_FIRSTS,
    _DENSE,
    _DIGIT_POINTS,
    _DOT_BEFORE_TLD,
    _ID_FIRSTS,
    _INVITE_FIRSTS,
    _LATIN_CUES,
    _NUMBER_GAPS,
    _PHONE_REACH,
    _STARTS,
    _TLD_LENGTHS,
    _WORD_POINTS,
    _mobile_prefixes,
)


def _matches(pattern: re.Pattern[str], folded: str, starts: Sequence[int],
             dense: int = _DENSE) -> Iterator[re.Match[str]]:
    """`pattern.finditer(folded)`: every match begins at one of `starts`, so where they are few only those
    are tried; where they are many (a hostile post of cues), the scan in C costs less than a call per start
    (`dense`: starts per character past which it does; the cue pattern's alternatives, tried at every
    position, cost more than a call per start until about every other character is one)."""
    if isinstance(starts, range) or len(starts) * dense > len(folded):  # a range: every position from its first
        yield from pattern.finditer(folded, starts[0])
        return
    done = 0
    for at in starts:
        match = pattern.match(folded, at) if at >= done else None
        if match is not None:
            done = match.end()
            yield match


def _starts_short(folded: str) -> dict[str, Sequence[int]]:
    """`_starts` for a name or a short description, in plain string searches (numpy's per-call cost is more
    than such a text's scan): for a kind whose start it holds, every position from the first such start (its
    pattern is then one scan in C from there, which looks at the first character itself: cheaper than
    counting digits or finding each start), for DOMAIN every dot a top-level label follows
    (`_DOT_BEFORE_TLD`); whether and where a kind's start is first held, one search of all its starts at once
    (CUE's: of their first characters)."""
    size = len(folded)
    found: dict[str, Sequence[int]] = {}
    for kind, held in _held_starts():
        first = held.search(folded)
        if first is not None:
            found[kind] = range(first.start(), size)
    dots = [match.start() for match in _DOT_BEFORE_TLD.finditer(folded)]
    if dots:
        found["DOMAIN"] = dots
    return found


@lru_cache(maxsize=1)
def _held_starts() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """For each kind but DOMAIN, in `_STARTS`' order, a pattern that finds whether and where some start of it
    is first in a text: one search in C instead of one per start (CUE's of its starts' first characters, which
    its pattern looks at: a start such as "v" or "q" never begins inside one of its longer ones)."""
    cue_firsts = re.escape("".join(sorted({cue[0] for cue in _STARTS["CUE"]})))
    return tuple((kind, re.compile(f"[{cue_firsts}]" if kind == "CUE" else "|".join(map(re.escape, starts))))
                 for kind, starts in _STARTS.items() if kind != "DOMAIN")


def _starts(folded: str) -> dict[str, list[int]]:
    """For each kind (and DOMAIN, a domain's dot), where one of its `_STARTS` begins, in order, found for
    every start at once with numpy: the text's characters that begin some start (one gather), then each
    start's further characters compared at those places. Where no match could follow, a start is left
    out: a phone's needs eleven digits in the reach of its number, a dot a top-level label after it, a
    cue the first character of an id after what may stand between."""
    import numpy as np

    firsts, cues = _cues()
    points = points_of(folded)
    at = np.flatnonzero(firsts.gather_points(points))
    padded = np.append(points, np.zeros(_PHONE_REACH + 2, dtype=np.uint32))
    placed = []  # (kind, start, where it begins), where it begins at all
    for first, starting in cues.items():
        begin = at[points[at] == ord(first)] if first in folded else at[:0]
        for cue, kinds in starting if len(begin) else ():
            here = begin
            for offset, char in enumerate(cue[1:], start=1):
                here = here[padded[here + offset] == ord(char)]
            placed += [(kind, cue, here) for kind in kinds] if len(here) else []
    around = _Around(padded) if placed else None
    found: dict[str, list[Any]] = {}
    for kind, cue, here in placed:
        assert around is not None
        if kind == "PHONE":  # eleven digits before anything but a gap breaks the number; from a 1, a mobile segment
            keep = around.digits_from(here) >= 11
            if cue == "1":
                keep &= around.segment_at(here)
        elif kind == "CUE":  # a channel within reach after 加 or +, an invitation (or 群) after a channel word
            if cue in _ADDS:
                keep = np.isin(padded[here + 1], _CHANNEL_FIRSTS)
                for offset in range(2, 5):  # past 我的, 1个… and a separator
                    keep |= np.isin(padded[here + offset], _CHANNEL_FIRSTS)
            else:
                after = here + len(cue)
                after += padded[after] == ord("~")
                keep = np.isin(padded[after], _INVITE_FIRSTS)
                if cue in _LATIN_CUES:  # a Latin cue is a word of its own (every such pattern looks behind for it)
                    keep &= ~np.isin(padded[here - 1], _WORD_POINTS) | (here == 0)
        elif kind == "DOMAIN":  # a run of as many letters as some top-level label has, then no digit
            after = here + len(cue)
            after += padded[after] == ord("~")
            stop = around.stops[after]
            keep = np.isin(stop - after, _TLD_LENGTHS) & ~np.isin(padded[stop], _DIGIT_POINTS)
        else:  # the id's first character past the separators and 号 after the cue, and its digits
            begins = around.skipped[here + len(cue)]
            keep = _id_firsts()[kind][np.minimum(padded[begins], 127)]
            enough = around.digits_from(begins)
            keep &= (enough >= 5) if kind in ("QQ", "QQ_GROUP") else (
                (padded[begins] != ord("1")) | (enough >= 11)) if kind == "WECHAT" else True
        found.setdefault(kind, []).append(here[keep])
    return {kind: positions for kind, parts in found.items()
            if (positions := np.unique(np.concatenate(parts)).tolist())}


class _Around:
    """What follows each position of a text, made on first use: the first position at or after it that is
    not a letter (`stops`), that no separator, colon, 号, 码 or 同 (what stands between a cue and its id in
    every pattern: `skipped`), and how many digits stand from it before anything but a number's gap."""

    def __init__(self, padded: Any) -> None:
        self.padded = padded

    def _first_not(self, inside: Any) -> Any:
        import numpy as np

        positions = np.arange(len(self.padded))
        return np.minimum.accumulate(np.where(inside, len(self.padded) - 1, positions)[::-1])[::-1]

    @cached_property
    def stops(self) -> Any:
        return self._first_not((self.padded >= ord("a")) & (self.padded <= ord("z")))

    @cached_property
    def skipped(self) -> Any:
        import numpy as np

        return self._first_not(np.isin(self.padded, _BETWEEN))

    @cached_property
    def _digits(self) -> tuple[Any, Any]:
        import numpy as np

        digit = (self.padded >= ord("0")) & (self.padded <= ord("9"))
        return np.concatenate([[0], np.cumsum(digit)]), self._first_not(digit | np.isin(self.padded, _NUMBER_GAPS))

    def segment_at(self, here: Any) -> Any:
        """Whether the four digits from each of `here` (a digit) make a mobile segment (`_value` asks it)."""
        import numpy as np

        digit = (self.padded >= ord("0")) & (self.padded <= ord("9"))
        places = np.flatnonzero(digit)
        values = np.append(self.padded[places].astype(np.int64) - ord("0"), [0, 0, 0])
        at = np.searchsorted(places, here)
        code = values[at] * 1000 + values[at + 1] * 100 + values[at + 2] * 10 + values[at + 3]
        return np.isin(code, _segment_codes())

    def digits_from(self, here: Any) -> Any:
        import numpy as np

        counted, numbers = self._digits
        return counted[np.minimum(numbers[here], here + _PHONE_REACH)] - counted[here]


@lru_cache(maxsize=1)
def _segment_codes() -> list[int]:
    return sorted(int(prefix) for prefix in _mobile_prefixes() if prefix.isdigit())


@lru_cache(maxsize=1)
def _id_firsts() -> dict[str, Any]:
    import numpy as np

    return {kind: np.array(table, dtype=bool) for kind, table in _ID_FIRSTS.items()}


@lru_cache(maxsize=1)
def _cues() -> tuple[CodeTable, dict[str, list[tuple[str, tuple[str, ...]]]]]:
    """Which characters begin some start; and by first character, each start and the kinds it begins."""
    kinds: dict[str, list[str]] = {}
    for kind, starts in _STARTS.items():
        for cue in starts:
            kinds.setdefault(cue, []).append(kind)
    by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for cue, of in kinds.items():
        by_first.setdefault(cue[0], []).append((cue, tuple(of)))
    return CodeTable(lambda char: int(char in by_first), "uint8"), by_first

