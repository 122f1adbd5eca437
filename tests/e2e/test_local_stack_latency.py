"""The local stack answers as fast as it works: no answer waits on the client's delayed ACK.

Chalice's local server writes an answer's headers and body separately; with Nagle's algorithm on, the
body waited for the client's delayed ACK (40 ms on Linux) on every request, which made `make fuzz`
(some 6,000 requests) spend most of its time idle.
"""

from __future__ import annotations

import http.client
import statistics
import time
from urllib.parse import urlsplit

import pytest

from infra.stack import running

pytestmark = pytest.mark.e2e


def test_a_cheap_request_is_answered_well_under_a_delayed_ack():
    # GIVEN the local stack and one kept-alive connection, as an HTTP client library holds it
    with running("ck_e2e_" + "n" * 32) as base:
        connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=10)
        timings = []
        # WHEN the health check is asked 30 times, one after another
        for _ in range(30):
            started = time.perf_counter()
            connection.request("GET", "/v1/health")
            answer = connection.getresponse()
            assert answer.status == 200 and answer.read()
            timings.append(time.perf_counter() - started)
        connection.close()
    # THEN the median answer comes in under 25 ms (a stalled one takes over 40 ms)
    assert statistics.median(timings) < 0.025, [round(t * 1000, 1) for t in timings]
