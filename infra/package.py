"""Build the deployable CloudFormation package for one stage and lint it.

    python infra/package.py [dev|prod]

Runs `chalice package --merge-template infra/template.json`, pins the template's `Stage`
parameter default to the stage packaged (so table names, IAM policy and environment agree),
drops the API models of AWS services the product never calls from botocore's data (two thirds
of the zip, and the Lambda limit is 50 MB) and the dependencies' test suites, adds every module's
bytecode (Lambda cannot write it, so each cold start would compile every import), then runs
cfn-lint on the result.
Output: build/<stage>/ (sam.json, deployment.zip).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from infra import resources  # noqa: E402

# The services the product calls (dynamodb, s3, kms, ssm, sqs; xray for the Tracer's sampling; sts for
# credentials) keep their models; botocore's shared files at the top of data/ stay too.
SERVICES_USED = {"dynamodb", "s3", "kms", "ssm", "sqs", "xray", "sts"}


def finish_zip(zip_path: Path) -> int:
    """Rewrite the deployment zip without the models of unused services or the dependencies' test
    suites, and with every module compiled: Lambda's code directory is read-only, so without shipped
    bytecode each cold start compiles every module it imports. The bytecode is hash-checked against nothing
    (`UNCHECKED_HASH`): the zip's timestamps mean nothing in Lambda, and the sources never change
    there. Returns the change in bytes (negative: smaller)."""
    before = zip_path.stat().st_size
    slim = zip_path.with_suffix(".slim.zip")
    with zipfile.ZipFile(zip_path) as source, zipfile.ZipFile(slim, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            parts = info.filename.split("/")
            if parts[:2] == ["botocore", "data"] and len(parts) > 3 and parts[2] not in SERVICES_USED:
                continue
            if "__pycache__" in parts or info.filename.endswith(".pyc"):
                continue  # stale bytecode of the machine that built the package
            if "tests" in parts[1:-1] and parts[0] != "chalicelib":
                continue  # the dependencies' own test suites (numpy's: 4 MB with bytecode)
            data = source.read(info.filename)
            target.writestr(info, data)
            if info.filename.endswith(".py"):
                target.writestr(_pyc_name(info.filename), _bytecode(data, info.filename))
    shutil.move(slim, zip_path)
    return zip_path.stat().st_size - before


def _pyc_name(path: str) -> str:
    folder, _, name = path.rpartition("/")
    compiled = f"__pycache__/{name[:-3]}.{sys.implementation.cache_tag}.pyc"
    return f"{folder}/{compiled}" if folder else compiled


def _bytecode(source: bytes, path: str) -> bytes:
    """What py_compile writes for `source` with UNCHECKED_HASH invalidation (PEP 552)."""
    import importlib.util
    import marshal

    code = compile(source, path, "exec", dont_inherit=True, optimize=0)
    flags = 0b01  # hash-based, not checked against the source
    return (importlib.util.MAGIC_NUMBER + flags.to_bytes(4, "little")
            + importlib.util.source_hash(source) + marshal.dumps(code))


def package(stage: str) -> Path:
    out = ROOT / "build" / stage
    env = {"AWS_DEFAULT_REGION": "cn-north-1", **os.environ}
    subprocess.run(
        ["chalice", "package", "--stage", stage, "--merge-template", "infra/template.json", str(out)],
        cwd=ROOT, check=True, env=env,
    )
    finish_zip(out / "deployment.zip")
    sam_path = out / "sam.json"
    sam = json.loads(sam_path.read_text("utf-8"))
    sam["Parameters"]["Stage"]["Default"] = stage
    resources.point_queue_event_sources(sam)
    sam_path.write_text(json.dumps(sam, indent=2, ensure_ascii=False) + "\n", "utf-8")
    subprocess.run(["cfn-lint", str(sam_path)], cwd=ROOT, check=True)
    return out


if __name__ == "__main__":
    chosen = sys.argv[1] if len(sys.argv) > 1 else "dev"
    if chosen not in {"dev", "prod"}:
        sys.exit("stage must be dev or prod")
    print(package(chosen))
