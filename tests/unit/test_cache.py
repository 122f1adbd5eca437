"""The per-container cache expires by the product clock and stays bounded."""

from __future__ import annotations

from chalicelib.core import clock
from chalicelib.core.cache import ExpiringCache


def test_entries_expire_when_the_clock_passes_their_ttl():
    now = [1000.0]
    clock.set_source(lambda: now[0])
    cache: ExpiringCache[int] = ExpiringCache()
    cache.put("a", 1, ttl_seconds=30)
    now[0] += 29
    assert cache.get("a") == 1
    now[0] += 2
    assert cache.get("a") is None


def test_the_oldest_entries_go_first_when_full():
    cache: ExpiringCache[int] = ExpiringCache(max_entries=2)
    for name in "abc":
        cache.put(name, 1, ttl_seconds=60)
    assert cache.get("a") is None
    assert cache.get("b") == cache.get("c") == 1


def test_zero_ttl_caches_nothing():
    cache: ExpiringCache[int] = ExpiringCache()
    cache.put("a", 1, ttl_seconds=0)
    assert cache.get("a") is None
