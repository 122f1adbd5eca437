"""A small per-container cache with expiry, shared by authentication and policy lookups.

A Lambda container serves one request at a time, `chalice local` several on threads; the
lock keeps the dictionary consistent. Bounded so a flood of distinct keys cannot grow it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

from chalicelib.core import clock

V = TypeVar("V")


class ExpiringCache(Generic[V]):
    def __init__(self, max_entries: int = 1024) -> None:
        self._entries: OrderedDict[str, tuple[float, V]] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def get(self, key: str) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            expires, value = found
            if expires <= clock.now_epoch():
                del self._entries[key]
                return None
            return value

    def put(self, key: str, value: V, ttl_seconds: float) -> None:
        if ttl_seconds <= 0:
            return
        with self._lock:
            self._entries[key] = (clock.now_epoch() + ttl_seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def discard(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
