"""A lexicon entry as the name index holds it: what it is, what a hit on it reports, and its keys.

Entries go through the normalizer (names/normalize.py) once, when the index is built: `key` (repeats
collapsed), `raw` (repeats kept), `folded` and `skeletal`, so a check compares keys, never re-reads surfaces.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.names.normalize import folded, normalize, skeletal

PROTECTED, TERM, ALLOW, BANNED = "PROTECTED", "TERM", "ALLOW", "BANNED"
MIN_KEY_LENGTH = 1  # platforms' lexicons hold single characters; Latin ones match as whole words only
MIN_TERM_SYLLABLES = 3
MIN_PINYIN_LETTERS = 5
SUBSTITUTION_MIN_LENGTH = 4


@dataclass(frozen=True)
class Entry:
    entry_id: str
    kind: str
    surface: str          # as written: the name, alias, term or phrase
    label: str            # what a hit reports: the protected name, the term
    category: str         # protected kind (STATE_ORGAN…) or term category
    action: str           # REJECT or REVIEW
    owners: tuple[str, ...] = ()
    key: str = ""
    folded: str = ""
    skeletal: str = ""
    expires_at: str | None = None   # banned names: the ban ends then (PA2017-13 leaves the period open)
    raw: str = ""                   # the key with repeats kept (normalize.py)
    substring: bool = False         # a Latin or digit term found inside longer words too (the tenant asked)
    scenes: tuple[str, ...] = ()    # the scenes it is limited to, none: every scene (core/scenes.py; read on hits)


def make_entry(entry_id: str, kind: str, surface: str, label: str, category: str, action: str,
               owners: tuple[str, ...] = (), expires_at: str | None = None, substring: bool = False,
               scenes: tuple[str, ...] = ()) -> Entry:
    norm = normalize(surface)
    return Entry(entry_id, kind, surface, label, category, action, owners, norm.key, folded(surface),
                 skeletal(surface), expires_at, norm.raw, substring, scenes)


@dataclass(frozen=True)
class Found:
    """One raw match: which entry, where in the key, and how."""

    entry: Entry
    start: int            # key index, inclusive
    end: int              # key index, exclusive
    channel: str


ENTRY_FIELDS = tuple(Entry.__dataclass_fields__)
