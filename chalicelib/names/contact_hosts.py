"""URLs, domains and e-mail addresses among contacts (names/contact.py): found from their top-level label back
(the text reversed, within `_HOST_REACH`), from the dots `contact_starts` finds, so a run of labels is read once.
Ground: the platform's rules; paid diversion PA2020-18(7)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from chalicelib.names.codepoints import points_of
from chalicelib.names.contact_patterns import (
    _DOT_AT,
    _HOST_BACK,
    _HOST_REACH,
    _LABEL_CHARS,
    _SCHEME,
    _TLD,
    _TLD_AT,
    _USER_BACK,
    Found,
)


def _domains(folded: str, dots: Sequence[int], values: bool = True, many_dots: int = 16) -> list[Found]:
    """(kind, value, span) of every URL, domain and e-mail address, found from its top-level label back; with
    `values` False a URL's and an address's value is `_LATER` (`_domain_value` reads it off the span): a
    hostile post may hold thousands of hosts, and only the answer's few need their value; past `many_dots`
    dots the plain hosts are read for all at once."""
    found: list[Found] = []
    plain_found: list[Found] = []
    if len(dots) >= many_dots:  # a plain host (one label, a dot, its top-level label) read for all at once
        plain, begins, ends = _plain_hosts(folded, dots)
        plain_found = [("URL", _host(folded[begin:end]) if values else _LATER, (begin, end))
                       for begin, end in zip(begins, ends, strict=True)]
        dots = [at for at, one in zip(dots, plain, strict=True) if not one]
    size = len(folded)
    floor = size + 1  # from the last top-level label back: one inside a host already read is skipped
    backwards = folded[::-1]  # read back from a position by matching forward here, without a slice per host
    tld_at, host_back, user_back = _TLD_AT.match, _HOST_BACK.match, _USER_BACK.match
    # Tried at the dots only, from the last: a match begins at one (or at the separator before it), and
    # matches never overlap (each ends in letters, none begins in letters but "dot", which is no label's
    # end), so this finds what `_TLD_AT.finditer` finds; a dot inside a host already read is not tried.
    for at in reversed(dots):
        if at >= floor:
            continue
        tld = tld_at(folded, at - 1 if at and folded[at - 1] == "~" else at)
        if tld is None:
            continue
        dot, end = tld.span()
        if end > floor:
            continue
        back = host_back(backwards, size - dot, size - max(0, dot - _HOST_REACH))
        if back is None:
            continue
        start = size - back.end()
        floor = start
        if start > 0 and folded[start - 1] in _LABEL_CHARS:
            continue  # a label longer than 63 characters, or past the reach: not a host name
        # an address's user part ends in @ right before the host, a scheme in / (or a separator after it)
        user = user_back(backwards, size - start, size - max(0, start - 70)) \
            if "@" in folded[max(0, start - 2):start] else None
        if user:
            begin = size - user.end()
            if not (begin > 0 and folded[begin - 1] in _USER_BEFORE):
                name = user.group(1)[::-1]
                if name.isdigit() and _host(folded[start:end]) == "qq.com":
                    found.append(("QQ", name, (begin, end)))
                else:
                    found.append(("EMAIL", f"{name}@{_host(folded[start:end])}" if values else _LATER, (begin, end)))
                continue
        slash = folded[start - 1:start] == "/" or folded[max(0, start - 2):start] == "/~"
        scheme = _SCHEME.search(folded, max(0, start - 12), start) if slash else None
        found.append(("URL", _host(folded[start:end]) if values else _LATER,
                      (scheme.start() if scheme else start, end)))
    found.reverse()
    return sorted(plain_found + found, key=lambda contact: contact[2]) if plain_found else found


_ONE_DOTS = [ord(char) for char in ".点點"]
_BEFORE_PLAIN = [ord(char) for char in "-.点點)]@/"]  # before a plain host's label: none of these (nor ~ and one)
_AFTER_TILDE = [ord(char) for char in ".点點t)]@/"]  # a dot, "dot", "(dot)" or "[dot]" would join another label
_AFTER_PLAIN = [ord(char) for char in "-.点點(["]  # after its top-level label: no further label joins it
_JOINS_AFTER = [ord(char) for char in ".点點d(["]  # … nor past one separator


@lru_cache(maxsize=1)
def _tld_codes() -> Any:
    import numpy as np

    return np.array(sorted(_letters_code([ord(c) - 96 for c in tld]) for tld in _TLD.split("|")), dtype=np.int64)


def _letters_code(letters: list[int]) -> int:
    code = 0
    for letter in letters:
        code = code * 27 + letter
    return code


def _plain_hosts(folded: str, dots: Sequence[int]) -> tuple[list[bool], list[int], list[int]]:
    """Which of `dots` (from `_starts`) begin a plain host, and each one's span: a label of letters and digits
    right before a one-character dot, a top-level label of letters right after it, and nothing either side
    that `_domains` would read on with (another label, a scheme, an address's @, a run past a label's 63
    characters). Such a host is what `_domains` finds there, and no other host read from further on reaches
    it, so all of them are read at once; the rest are left to `_domains`."""
    import numpy as np

    size = len(folded)
    points = np.zeros(size + 4, dtype=np.int64)  # two either side: 0, which is none of the characters asked for
    points[2:size + 2] = points_of(folded)
    at = np.asarray(dots, dtype=np.int64) + 2
    letter = (points >= ord("a")) & (points <= ord("z"))
    alnum = letter | ((points >= ord("0")) & (points <= ord("9")))
    places = np.arange(len(points))
    letters_to = np.minimum.accumulate(np.where(letter, len(points) - 1, places)[::-1])[::-1]  # first non-letter
    alnum_from = np.maximum.accumulate(np.where(alnum, 0, places))  # last non-alphanumeric at or before
    end = letters_to[at + 1]
    length = end - at - 1
    begin = alnum_from[at - 1] + 1
    plain = np.isin(points[at], _ONE_DOTS) & alnum[at - 1] & (length >= 2) & (length <= 6) & ~alnum[end]
    plain &= (at - begin <= 63) & ~np.isin(points[begin - 1], _BEFORE_PLAIN)
    plain &= (points[begin - 1] != ord("~")) | ~np.isin(points[begin - 2], _AFTER_TILDE)
    plain &= ~np.isin(points[end], _AFTER_PLAIN) & ((points[end] != ord("~")) | ~np.isin(points[end + 1], _JOINS_AFTER))
    code: Any = np.zeros(len(at), dtype=np.int64)
    for offset in range(6):  # the top-level label's letters as a number, to look up among the labels known
        inside = offset < length
        code = np.where(inside, code * 27 + points[np.minimum(at + 1 + offset, len(points) - 1)] - 96, code)
    plain &= np.isin(code, _tld_codes())
    return plain.tolist(), (begin[plain] - 2).tolist(), (end[plain] - 2).tolist()


_LATER = "\x00"  # a value read off its span when listed (folding makes every control character ~, never this)
_USER_BEFORE = _LABEL_CHARS | {".", "_"}  # an address's user part begins after none of these
_SCHEME_AHEAD = re.compile("https?~?:~?/~?/~?")


def _host(written: str) -> str:
    return _DOT_AT.sub(".", written).removeprefix("www.")


def _domain_value(folded: str, kind: str, span: tuple[int, int]) -> str:
    """The value `_domains` gives a URL or an address, read off its span: the host after any scheme, or the
    user part and the host either side of the @ (neither part holds an @, nor a host a scheme's colon)."""
    written = folded[span[0]:span[1]]
    if kind == "URL":
        scheme = _SCHEME_AHEAD.match(written)
        return _host(written[scheme.end():] if scheme else written)
    name, host = written.split("@", 1)
    return f"{name.rstrip('~')}@{_host(host.lstrip('~'))}"
