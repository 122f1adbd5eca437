"""Made-up people for the examples: resident ID numbers with a valid GB 11643 structure and check digit, in
sequence 900-989 (no real person's number), and the connection to the API from the environment."""

from __future__ import annotations

import os
import random
import sys
from datetime import date, timedelta
from pathlib import Path

# Run from a checkout without installing the client: use the copy in clients/python.
CLIENT = Path(__file__).resolve().parent.parent / "clients" / "python"
if str(CLIENT) not in sys.path:
    sys.path.insert(0, str(CLIENT))

from compliance_client import ApiError, Client  # noqa: E402  (re-exported for the examples)

__all__ = ["ApiError", "Client", "client_from_environment", "resident_id"]

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


def resident_id(rng: random.Random) -> str:
    """A made-up 18-digit resident ID (Beijing Chaoyang, born 1970-2000, sequence 900-989)."""
    born = date(1970, 1, 1) + timedelta(days=rng.randrange(365 * 30))
    body = f"110105{born:%Y%m%d}{rng.randrange(900, 990):03d}"
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def client_from_environment() -> Client:
    """COMPLIANCE_API_URL and COMPLIANCE_API_KEY, as `make run` prints them."""
    url, key = os.environ.get("COMPLIANCE_API_URL"), os.environ.get("COMPLIANCE_API_KEY")
    if not url or not key:
        raise SystemExit("Set COMPLIANCE_API_URL and COMPLIANCE_API_KEY (make run prints both).")
    return Client(url, key)
