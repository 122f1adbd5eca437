"""The benchmarks' moto server: the local stack's moto in a process of its own.

moto copies every table a transaction touches, whole, before each of the transaction's items (its rollback), and
sorts a whole table for every query, so with 100,000 records seeded every audited write took seconds and the server
grew by gigabytes. `infra/moto_transactions.py` (used by `make run` and the tests too) backs a transaction up by the
items it names and, with `infra/moto_queries.py`, answers a query, on the table or an index, from a per-partition
view of it, page by page: the same outcomes, at DynamoDB's cost shape, so a benchmark measures the product, not
moto's copies and sorts.

    python -m bench.moto_server -p 5000
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start() -> tuple[subprocess.Popen[bytes], str]:
    """This server on a free local port, once it answers: the process and its URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "bench.moto_server", "-p", str(port)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1)  # noqa: S310 (local)
            return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("moto server did not start")


def main(argv: list[str]) -> None:
    from moto.server import main as serve

    from infra import moto_transactions

    moto_transactions.install()
    serve(argv)


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    main(sys.argv[1:])
