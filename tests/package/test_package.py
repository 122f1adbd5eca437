"""`make package`: the deployment package holds the schemas, fits Lambda, and its template lints clean."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAMBDA_ZIP_LIMIT = 50 * 1024 * 1024

pytestmark = pytest.mark.package


def build_inputs() -> str:
    """A digest of everything the package is built from: the application, its requirements, the chalice
    config and policies, the infra scripts and template, and the versions of Python, chalice and cfn-lint."""
    from importlib.metadata import version

    files = [ROOT / "app.py", ROOT / "requirements.txt", *sorted((ROOT / ".chalice").glob("*.json")),
             *sorted((ROOT / "infra").glob("*.py")), ROOT / "infra" / "template.json",
             *sorted(p for p in (ROOT / "chalicelib").rglob("*") if p.is_file() and "__pycache__" not in p.parts)]
    digest = hashlib.sha256(f"{sys.version}|{version('chalice')}|{version('cfn-lint')}".encode())
    for path in files:
        digest.update(f"\0{path.relative_to(ROOT)}\0".encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def package_dir() -> Path:
    """build/dev, built (and cfn-linted) unless the last build that passed had exactly these inputs: the
    package is then the same, and the two to three minutes of chalice package, bytecode and lint are saved."""
    out, inputs = ROOT / "build" / "dev", build_inputs()
    out.parent.mkdir(parents=True, exist_ok=True)
    # Test workers may ask at once: one builds, the others wait for it and then find its stamp.
    with open(out.parent / "dev.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build(out, inputs)


def _build(out: Path, inputs: str) -> Path:
    stamp = out / "inputs.sha256"
    if stamp.is_file() and stamp.read_text() == built(out, inputs):  # `make package` since then changes the zip
        return out
    stamp.unlink(missing_ok=True)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run([sys.executable, "infra/package.py", "dev"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr  # includes cfn-lint's findings
    if build_inputs() == inputs:  # nothing changed while it was built
        stamp.write_text(built(out, inputs))
    return out


def built(out: Path, inputs: str) -> str:
    """The inputs and the zip and template they made (size and modification time), as the stamp records them."""
    made = [out / "deployment.zip", out / "sam.json"]
    return " ".join([inputs, *(f"{p.stat().st_size}:{p.stat().st_mtime_ns}" if p.is_file() else "-" for p in made)])


def test_every_schema_is_inside_the_deployment_package(package_dir):
    names = set(zipfile.ZipFile(package_dir / "deployment.zip").namelist())
    schemas = sorted(p.name for p in (ROOT / "chalicelib" / "schemas").glob("*.json"))
    assert schemas
    assert {f"chalicelib/schemas/{name}" for name in schemas} <= names
    assert "app.py" in names


def test_the_package_fits_the_lambda_limit(package_dir):
    assert (package_dir / "deployment.zip").stat().st_size < LAMBDA_ZIP_LIMIT


def test_the_slimmed_botocore_still_builds_every_client_the_product_uses(package_dir, tmp_path):
    from infra.package import SERVICES_USED

    with zipfile.ZipFile(package_dir / "deployment.zip") as bundle:
        bundle.extractall(tmp_path, [n for n in bundle.namelist() if n.startswith(("botocore/", "urllib3/", "dateutil/",
                                                                                   "jmespath/", "six.py"))])
    script = ("import botocore.session as s; session = s.get_session(); "
              f"[session.create_client(name, region_name='cn-north-1') for name in {sorted(SERVICES_USED)!r}]; "
              "print(len(session.get_available_services()))")
    answer = subprocess.run([sys.executable, "-S", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                            env={"PYTHONPATH": str(tmp_path), "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x"})
    assert answer.returncode == 0, answer.stderr
    assert int(answer.stdout) == len(SERVICES_USED)


def test_every_module_ships_its_bytecode_and_a_cold_import_uses_it(package_dir, tmp_path):
    tag = sys.implementation.cache_tag
    with zipfile.ZipFile(package_dir / "deployment.zip") as bundle:
        names = set(bundle.namelist())
        sources = [n for n in names if n.endswith(".py")]
        assert f"__pycache__/app.{tag}.pyc" in names and f"chalicelib/core/__pycache__/errors.{tag}.pyc" in names
        assert all(f"{n.rpartition('/')[0]}/__pycache__/{n.rpartition('/')[2][:-3]}.{tag}.pyc".lstrip("/") in names
                   for n in sources)
        bundle.extractall(tmp_path, [n for n in names if n.startswith("chalicelib/") and n.count("/") <= 1
                                     or n.startswith(("chalicelib/__pycache__/", "chalicelib/core/"))])
    # Lambda's code directory is read-only: the shipped bytecode is used as is, never checked against
    # the source. Spoil the source to prove the import does not read it.
    (tmp_path / "chalicelib" / "core" / "errors.py").write_text("raise SystemExit('the source was compiled')\n")
    answer = subprocess.run([sys.executable, "-S", "-c",
                             "import chalicelib.core.errors as e; print(e.ComplianceError.status)"],
                            cwd=tmp_path, capture_output=True, text=True, check=False,
                            env={"PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"})
    assert (answer.returncode, answer.stdout.strip()) == (0, "500"), answer.stderr


def test_the_template_has_the_data_resources_and_the_function_sees_them(package_dir):
    sam = json.loads((package_dir / "sam.json").read_text())
    resources = sam["Resources"]
    for table in ("MainTable", "RecordsTable", "IdempotencyTable"):
        props = resources[table]["Properties"]
        assert props["TimeToLiveSpecification"]["Enabled"] is True
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert props["DeletionProtectionEnabled"] is True
        assert props["SSESpecification"]["SSEType"] == "KMS"
    bucket = resources["FilingsBucket"]["Properties"]
    assert bucket["VersioningConfiguration"]["Status"] == "Enabled"
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    # SAM Globals give every function (API handler and scheduled sweeps) the stack's resource names.
    assert sam["Globals"]["Function"]["Environment"]["Variables"]["MAIN_TABLE"] == {"Ref": "MainTable"}
    functions = [r for r in resources.values() if r["Type"] == "AWS::Serverless::Function"]
    assert len(functions) >= 2
    assert all(f["Properties"]["Environment"]["Variables"]["STAGE"] == "dev" for f in functions)
    assert sam["Parameters"]["Stage"]["Default"] == "dev"
    assert resources["RouteNotFound"]["Properties"]["StatusCode"] == "404"
