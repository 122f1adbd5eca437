"""One deadline for a whole call to a tenant's endpoint (core/outbound.py): what is left of it, and the
connection as http.client reads the answer, every read waiting at most until the deadline and stopping at a
size limit, so an endpoint sending one byte at a time cannot stretch the call or fill memory.
"""

from __future__ import annotations

import io
import socket
import time
from typing import Any

from chalicelib.core.outbound_reasons import OutboundError, Reason


def remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise OutboundError(Reason.TIMEOUT)
    return left


class _DeadlineStream(io.RawIOBase):
    """The connection as http.client reads it: every read waits at most until the call's deadline,
    so an endpoint sending one byte at a time cannot stretch the call, and reads stop at `limit` bytes."""

    def __init__(self, connection: socket.socket, deadline: float, limit: int) -> None:
        self.connection, self.deadline, self.limit, self.count = connection, deadline, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self.connection.settimeout(remaining(self.deadline))
        received = self.connection.recv_into(buffer)
        self.count += received
        if self.count > self.limit:
            raise OutboundError(Reason.TOO_LARGE)
        return received


class DeadlineSocket:
    """What http.client.HTTPResponse reads the answer from: the connection behind a `_DeadlineStream`."""

    def __init__(self, connection: socket.socket, deadline: float, limit: int) -> None:
        self.connection, self.deadline, self.limit = connection, deadline, limit

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineStream(self.connection, self.deadline, self.limit))
