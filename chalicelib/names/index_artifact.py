"""The name index as an artifact (core/artifacts.py): numpy arrays and JSON, nothing that runs code.

Entries go by column (string columns as one string list each, the rest as JSON); each automaton and key
table as its keys (a string list), how many entry numbers each key has and the numbers; the near-copy table
as its arrays. Loading makes the key tables of normalized keys and readings (nearly all the keys) as
dictionaries in C (names/keytable.py) and compiles the two small automata every name check reads; the
automaton of terms by reading (posts only) is compiled on first use. pyahocorasick restores an automaton
only through pickle or a C reader that trusts its raw nodes, so an automaton is always compiled from checked
keys. Every number is checked to lie inside the index before anything uses it."""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

from chalicelib.names.index_entry import ENTRY_FIELDS
from chalicelib.names.keytable import KeyTable
from chalicelib.names.near_copies import ARRAYS as NEAR_ARRAYS, check_near

FORMAT = "names-3"  # key tables as dictionaries; refused (and rebuilt) when an artifact is of another form
AUTOMATA = ("repeat_automaton", "numeric_automaton")  # small; compiled on load: every name check reads them
TABLES = ("automaton", "pinyin_automaton")  # key tables (names/keytable.py)
DEFERRED = "term_pinyin_automaton"
_TUPLES = tuple(ENTRY_FIELDS.index(name) for name in ("owners", "scenes") if name in ENTRY_FIELDS)


def artifact_of(index: Any, fields: set[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """`fields`: the index's own, each of which must have a form here."""
    import numpy as np

    unknown = fields - {"rows", "version", "near_bits", "near_lengths", *AUTOMATA, *TABLES, DEFERRED, *NEAR_ARRAYS}
    if unknown:  # a new structure must say how it is stored, or loaded indexes would lack it
        raise TypeError(f"NameIndex fields without an artifact form: {sorted(unknown)}")
    columns = [list(column) for column in zip(*index.rows, strict=True)] or [[] for _ in ENTRY_FIELDS]
    doc: dict[str, Any] = {"format": FORMAT, "fields": list(ENTRY_FIELDS), "count": len(index.rows), "columns": {},
                           "near_bits": index.near_bits, "near_lengths": list(index.near_lengths), "tables": {}}
    arrays = {name: getattr(index, name) for name in NEAR_ARRAYS if getattr(index, name) is not None}
    for number, column in enumerate(columns):  # columns of strings split in one call; the others as JSON
        if all(isinstance(value, str) for value in column):
            arrays[f"column.{number}"] = column
        else:
            doc["columns"][str(number)] = column
    for name in (*AUTOMATA, *TABLES, DEFERRED):
        table = getattr(index, name)
        if table is None:
            doc["tables"][name] = None
            continue
        if name not in TABLES:
            items = [(key, numbers) for key, (_, numbers) in table.items()]
            keys, counts = [key for key, _ in items], np.array([len(n) for _, n in items], dtype=np.int32)
            numbers = np.array([n for _, group in items for n in group], dtype=np.int32)
        else:
            keys, counts, numbers = table.stored()
        doc["tables"][name] = len(keys)
        arrays.update({f"{name}.keys": keys, f"{name}.counts": counts, f"{name}.numbers": numbers})
    return doc, arrays


def fields_of(doc: dict[str, Any], arrays: dict[str, Any]) -> tuple[list[tuple], dict[str, Any]]:
    """(rows, the other fields by name) of what `artifact_of` stored; ValueError when it is not that."""
    if doc.get("format") != FORMAT or doc["fields"] != list(ENTRY_FIELDS):
        raise ValueError("an index of another form, or its entries have other fields")
    size = int(doc["count"])
    columns = [doc["columns"][str(n)] if str(n) in doc["columns"] else arrays[f"column.{n}"]
               for n in range(len(ENTRY_FIELDS))]
    if any(len(column) != size for column in columns):
        raise ValueError("entry columns of other lengths")
    for at in _TUPLES:
        columns[at] = list(map(tuple, columns[at]))
    parts: dict[str, Any] = {"near_bits": int(doc["near_bits"]),
                             "near_lengths": tuple(int(m) for m in doc["near_lengths"])}
    for name in (*AUTOMATA, *TABLES, DEFERRED):
        if doc["tables"][name] is None:
            parts[name] = None
            continue
        keys, counts, numbers = _checked(arrays, name, size)
        parts[name] = KeyTable(keys, counts, numbers) if name in TABLES else _Deferred(keys, counts, numbers) \
            if name == DEFERRED else _automaton(keys, counts, numbers)
    for name, dtype in NEAR_ARRAYS.items():
        value = arrays.get(name)
        if value is not None and (value.dtype != dtype or value.ndim != 1):
            raise ValueError(f"{name} is not a vector of {dtype}")
        parts[name] = value
    check_near(_Near(parts), size)
    return (list(zip(*columns, strict=True)) if size else []), parts


class _Near:
    def __init__(self, parts: dict[str, Any]) -> None:
        self.near_hashes, self.near_entries = parts["near_hashes"], parts["near_entries"]
        self.near_buckets, self.near_bits = parts["near_buckets"], parts["near_bits"]


def _checked(arrays: dict[str, Any], name: str, size: int) -> tuple[list[str], Any, Any]:
    """A table's stored keys, counts and entry numbers, every number inside the index."""
    keys, counts, numbers = (arrays[f"{name}.{part}"] for part in ("keys", "counts", "numbers"))
    if not isinstance(keys, list) or len(keys) != len(counts) or counts.ndim != 1 or numbers.ndim != 1 \
            or (len(keys) and counts.min() < 1) or int(counts.sum()) != len(numbers) \
            or (len(numbers) and not 0 <= numbers.min() <= numbers.max() < size):
        raise ValueError(f"{name}: values do not fit its keys and entries")
    return keys, counts, numbers


def _automaton(keys: list[str], counts: Any, numbers: Any) -> Any:
    """The automaton of checked keys and numbers, filled in C (one map over the keys, each value (key
    length, entry numbers)) and compiled; ValueError when a key is stored twice."""
    import ahocorasick
    import numpy as np

    flat = numbers.tolist()
    if len(flat) == len(keys):  # one entry per key, the usual case: every tuple made in C
        entry_numbers: Any = zip(flat)
    else:
        ends = np.cumsum(counts).tolist()
        entry_numbers = (tuple(flat[end - count:end]) for end, count in zip(ends, counts.tolist(), strict=True))
    automaton = ahocorasick.Automaton()
    deque(map(automaton.add_word, keys, zip(map(len, keys), entry_numbers, strict=True)), maxlen=0)
    if len(automaton) != len(keys):
        raise ValueError("a key stored twice")
    automaton.make_automaton()
    return automaton


class _Deferred:
    """An automaton compiled from its checked keys and numbers on first use, with the calls the lookups
    make."""

    def __init__(self, keys: list[str], counts: Any, numbers: Any) -> None:
        self._parts: tuple[list[str], Any, Any] | None = (keys, counts, numbers)
        self._automaton: Any = None
        self._lock = threading.Lock()

    def _compiled(self) -> Any:
        with self._lock:
            if self._parts is not None:
                self._automaton, self._parts = _automaton(*self._parts), None
        return self._automaton

    def iter(self, text: str, *args: Any) -> Any:
        return self._compiled().iter(text, *args)

    def items(self) -> Any:
        return self._compiled().items()
