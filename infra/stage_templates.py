"""The CloudFormation template of every stage the product is deployed as, built and linted without the package.

    python infra/stage_templates.py            # every stage in .chalice/config.json: build, then cfn-lint
    python infra/stage_templates.py prod       # one stage

`make package STAGE=...` builds the deployment zip (dependencies installed by pip, two to three minutes) and
lints the one stage it built. The template alone is what cfn-lint reads, and it differs between stages (the
prod stage reserves concurrency and traces with X-Ray, its IAM policy is its own, its table names and alarms
carry its name): this builds it the way `chalice package --merge-template infra/template.json` does, with a
placeholder where the zip would be, applies the same steps as infra/package.py (the Stage parameter pinned,
each SQS event source pointed at its stage's queue), and runs cfn-lint on it, in seconds a stage.
Output: build/templates/<stage>/sam.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from infra import resources  # noqa: E402


def stages() -> list[str]:
    """Every stage the app is configured to deploy as."""
    return sorted(json.loads((ROOT / ".chalice" / "config.json").read_text("utf-8"))["stages"])


def build(stage: str, out: Path | None = None) -> Path:
    """The stage's packaged template (sam.json) as `make package` writes it, without building the zip."""
    from chalice.cli.factory import CLIFactory
    from chalice.deploy.packager import LambdaDeploymentPackager

    folder = out or ROOT / "build" / "templates" / stage
    folder.mkdir(parents=True, exist_ok=True)
    placeholder = folder / "placeholder.zip"
    with zipfile.ZipFile(placeholder, "w"):
        pass
    os.environ.setdefault("AWS_DEFAULT_REGION", "cn-north-1")
    factory = CLIFactory(project_dir=str(ROOT))
    config = factory.create_config_obj(stage)
    packager = factory.create_app_packager(config, factory.create_package_options(), "cloudformation", "json",
                                           str(ROOT / "infra" / "template.json"))
    with mock.patch.object(LambdaDeploymentPackager, "create_deployment_package", return_value=str(placeholder)):
        packager.package_app(config, str(folder), stage)
    sam_path = folder / "sam.json"
    sam = json.loads(sam_path.read_text("utf-8"))
    sam["Parameters"]["Stage"]["Default"] = stage
    resources.point_queue_event_sources(sam)
    sam_path.write_text(json.dumps(sam, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return sam_path


def lint(sam_path: Path) -> subprocess.CompletedProcess[str]:
    """cfn-lint over one template: every finding (error, warning or informational) makes it exit non-zero."""
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    return subprocess.run([str(cfn_lint) if cfn_lint.exists() else "cfn-lint", "--format", "parseable",
                           "--non-zero-exit-code", "informational", str(sam_path)],
                          cwd=ROOT, capture_output=True, text=True, check=False)


def main(chosen: list[str]) -> int:
    failed = 0
    for stage in chosen or stages():
        result = lint(build(stage))
        print(f"{stage}: {'clean' if result.returncode == 0 else 'FINDINGS'}")
        sys.stdout.write(result.stdout + result.stderr)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
