"""Build the deployable CloudFormation package for one stage and lint it.

    python infra/package.py [dev|prod]

Runs `chalice package --merge-template infra/template.json`, pins the template's `Stage`
parameter default to the stage packaged (so table names, IAM policy and environment agree),
then runs cfn-lint on the result. Output: build/<stage>/ (sam.json, deployment.zip).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def package(stage: str) -> Path:
    out = ROOT / "build" / stage
    env = {"AWS_DEFAULT_REGION": "cn-north-1", **os.environ}
    subprocess.run(
        ["chalice", "package", "--stage", stage, "--merge-template", "infra/template.json", str(out)],
        cwd=ROOT, check=True, env=env,
    )
    sam_path = out / "sam.json"
    sam = json.loads(sam_path.read_text("utf-8"))
    sam["Parameters"]["Stage"]["Default"] = stage
    sam_path.write_text(json.dumps(sam, indent=2, ensure_ascii=False) + "\n", "utf-8")
    subprocess.run(["cfn-lint", str(sam_path)], cwd=ROOT, check=True)
    return out


if __name__ == "__main__":
    chosen = sys.argv[1] if len(sys.argv) > 1 else "dev"
    if chosen not in {"dev", "prod"}:
        sys.exit("stage must be dev or prod")
    print(package(chosen))
