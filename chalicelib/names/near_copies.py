"""Near copies of protected and banned names: one character changed, inserted or dropped.

A symmetric-deletion index (SymSpell's idea) kept as hashes: every key and its one-character deletions
are hashed into a hash table of numpy arrays; a text's windows and their deletions are hashed all at
once (polynomial hashes from prefix sums) and looked up together, and the few that hit are confirmed on
the strings. The cost depends on the text, not on how many names there are, and the arrays load in
milliseconds. Keys of three characters only match an insertion; substitution on so short a key would flag
too many ordinary names.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from chalicelib.names.hashed_keys import HASH_BASE, horner
from chalicelib.names.index_entry import SUBSTITUTION_MIN_LENGTH

_MASK = (1 << 64) - 1
ARRAYS = {"near_hashes": "uint64", "near_entries": "int32", "near_buckets": "int32"}


def near_table(keys: list[str], numbers: list[int]) -> dict[str, Any]:
    """The index's near-copy fields for the entries `numbers` of keys `keys`: a hash table in three
    arrays, hashes sorted, bucketed by their top bits (at least as many buckets as hashes, so a lookup
    reads about one), each with its entry number; and the window lengths worth hashing."""
    import numpy as np

    hashes, owners = _variant_hashes(keys)
    if not len(hashes):
        return {}
    order = np.lexsort((owners, hashes))
    hashes, owners = hashes[order], np.array(numbers, dtype=np.int64)[owners[order]]
    keep = np.ones(len(hashes), dtype=bool)  # a key's deletions repeat where it repeats a character
    keep[1:] = (hashes[1:] != hashes[:-1]) | (owners[1:] != owners[:-1])
    hashes = hashes[keep]
    bits = max(1, (len(hashes) - 1).bit_length())
    bounds = np.arange(1 << bits, dtype=np.uint64) << np.uint64(64 - bits)
    lengths = {len(key) for key in keys}
    return {"near_hashes": hashes, "near_entries": owners[keep].astype(np.int32), "near_bits": bits,
            "near_buckets": np.append(np.searchsorted(hashes, bounds), len(hashes)).astype(np.int32),
            "near_lengths": tuple(sorted({m for n in lengths for m in (
                (n + 1,) if n < SUBSTITUTION_MIN_LENGTH else (n - 1, n, n + 1))}))}


def near_matches(index: Any, key: str, key_of: Any) -> Iterator[tuple[int, int, int]]:
    """(start, end, entry number) of the substrings of `key` one edit away from an entry's key (but not
    equal to it); `key_of(number)` is an entry's key. A window one character shorter is a key's deletion;
    an equal one shares a deletion with the key; a longer one has the key among its deletions: all are
    found among the hashed deletions, then confirmed on the strings (a hash collision costs one
    comparison, never a wrong hit)."""
    import numpy as np

    lengths = tuple(m for m in index.near_lengths if m <= len(key))
    if index.near_hashes is None or not lengths:
        return
    start, size, i0, i1, pj, e, i2, i3 = _window_plan(len(key), lengths)
    up, down = _powers_for(len(key) + 1)
    codes = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    prefix = np.zeros(len(key) + 1, dtype=np.uint64)
    prefix[1:] = up[:len(key)] * np.cumsum(codes * down[:len(key)])  # P[i] = sum c[k] * B**(i-1-k)
    hashes = (prefix[i1] - prefix[i0] * up[pj]) * up[e] + prefix[i2] - prefix[i3] * up[e]
    # every (query, stored hash in its bucket) pair at once, then the equal ones
    bucket = (hashes >> np.uint64(64 - index.near_bits)).astype(np.intp)
    first, counts = index.near_buckets[bucket], index.near_buckets[bucket + 1] - index.near_buckets[bucket]
    query = np.repeat(np.arange(len(hashes)), counts)
    stored = np.arange(len(query)) + np.repeat(first - (np.cumsum(counts) - counts), counts)
    equal = np.flatnonzero(index.near_hashes[stored] == hashes[query])
    seen: set[tuple[int, int, int]] = set()
    for at, m, number in zip(start[query[equal]].tolist(), size[query[equal]].tolist(),
                             index.near_entries[stored[equal]].tolist(), strict=True):
        piece, entry_key = key[at:at + m], key_of(number)
        if (at, m, number) in seen or piece == entry_key or not within_one_edit(piece, entry_key):
            continue
        if len(entry_key) < SUBSTITUTION_MIN_LENGTH and m != len(entry_key) + 1:
            continue
        seen.add((at, m, number))
        yield at, at + m, number


def check_near(index: Any, size: int) -> None:
    """The near-copy table's arrays agree with each other and with the entries, or ValueError."""
    import numpy as np

    hashes, owners, buckets = index.near_hashes, index.near_entries, index.near_buckets
    if hashes is None and owners is None and buckets is None:
        return
    if hashes is None or owners is None or buckets is None or len(owners) != len(hashes) \
            or not 1 <= index.near_bits <= 40 or len(buckets) != (1 << index.near_bits) + 1:
        raise ValueError("the near-copy table is incomplete")
    if (len(owners) and not 0 <= owners.min() <= owners.max() < size) or buckets[0] < 0 \
            or buckets[-1] != len(hashes) or np.any(np.diff(buckets) < 0):
        raise ValueError("the near-copy table points outside itself")


@lru_cache(maxsize=8)
def _powers(count: int) -> tuple[Any, Any]:
    """B**k and B**-k modulo 2**64 for k < count."""
    import numpy as np

    inverse = pow(HASH_BASE, -1, 1 << 64)
    up, down = [1], [1]
    for _ in range(count - 1):
        up.append(up[-1] * HASH_BASE & _MASK)
        down.append(down[-1] * inverse & _MASK)
    return np.array(up, dtype=np.uint64), np.array(down, dtype=np.uint64)


def _powers_for(length: int) -> tuple[Any, Any]:
    return _powers(max(64, 1 << length.bit_length()))


def _variant_hashes(keys: list[str]) -> tuple[Any, Any]:
    """(hash, key number) of every key and, for keys of four characters or more, each of its
    one-character deletions; computed per key length, a column at a time."""
    import numpy as np

    by_length: dict[int, list[int]] = {}
    for number, key in enumerate(keys):
        by_length.setdefault(len(key), []).append(number)
    hashes, owners = [], []
    for length, numbers in by_length.items():
        codes = np.frombuffer("".join(keys[n] for n in numbers).encode("utf-32-le"), dtype=np.uint32)
        codes = codes.reshape(len(numbers), length).astype(np.uint64)
        owner = np.array(numbers, dtype=np.int64)
        hashes.append(horner(codes))
        owners.append(owner)
        for cut in range(length if length >= SUBSTITUTION_MIN_LENGTH else 0):
            hashes.append(horner(np.delete(codes, cut, axis=1)))
            owners.append(owner)
    if not hashes:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    return np.concatenate(hashes), np.concatenate(owners)


def _window_plan(size: int, lengths: tuple[int, ...]) -> tuple[Any, ...]:
    """For a text of `size` characters: every window of the given lengths, whole and with each one
    character deleted, as index arrays into the prefix hashes P, so that one expression hashes all:
    (P[i1] - P[i0]*B**pj) * B**e + P[i2] - P[i3]*B**e  (a whole window: pj = m, e = 0, i2 = i3).
    Returns (start, length, i0, i1, pj, e, i2, i3); name-sized plans are cached."""
    return (_cached_plan if size <= 64 else _plan)(size, lengths)


def _plan(size: int, lengths: tuple[int, ...]) -> tuple[Any, ...]:
    import numpy as np

    parts = []
    for m in lengths:
        a = np.arange(size - m + 1)[:, None]
        j = np.arange(m + 1)[None, :]  # j == m: the whole window
        whole = j == m
        a, j = np.broadcast_arrays(a, j)
        parts.append(np.stack([a, np.full_like(a, m), a, a + j, j, np.where(whole, 0, m - 1 - j),
                               a + m, np.where(whole, a + m, a + j + 1)]).reshape(8, -1))
    table = np.concatenate(parts, axis=1)
    return tuple(table[column].copy() for column in range(8))


_cached_plan = lru_cache(maxsize=64)(_plan)


def within_one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))

