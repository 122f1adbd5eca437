"""Work against the stack of a running `make run` (same AWS_PORT): one schedule now, or the operator CLI.

    python infra/attach.py job evaluate-metrics     (what `make job NAME=...` does)
    python infra/attach.py cli tenants list         (what `make cli ARGS=...` does)

`job` fires the schedule once, drains the work it queued beside the stack's own consumers, waits for
every unit of the run to be done, and prints what the run did, tenant by tenant.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from infra import resources  # noqa: E402

REGION = "cn-north-1"
SETTLE_SECONDS = 120  # the longest a unit taken by the stack's own consumers may take to report


def attach(port: int) -> None:
    """This process's environment, as the stack's functions see theirs."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        sys.exit(f"No local stack on AWS_PORT={port}: start it with `make run` (same AWS_PORT) first.")
    os.environ.update({
        "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_SESSION_TOKEN": "local",
        "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION, "STAGE": "dev",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        # The figures and logs are for CloudWatch; here what the run did is printed.
        "POWERTOOLS_METRICS_DISABLED": "true", "POWERTOOLS_LOG_LEVEL": "WARNING",
        **resources.environment(resources.names("dev")),
    })
    os.environ.setdefault("ARTIFACT_DIR", str(ROOT / ".local" / "artifacts"))


def job(name: str) -> int:
    from chalicelib.jobs import SCHEDULES, now

    if name not in SCHEDULES:
        print(f"no schedule named {name!r}; one of: {', '.join(SCHEDULES)}", file=sys.stderr)
        return 2
    report = now.run_and_report(name, settle_seconds=SETTLE_SECONDS)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 1 if report["failed"] else 0


def main(argv: list[str]) -> int:
    attach(int(os.environ.get("AWS_PORT", "5000")))
    if argv[:1] == ["job"] and len(argv) == 2:
        return job(argv[1])
    if argv[:1] == ["cli"]:
        from chalicelib import cli

        return cli.run(argv[1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
