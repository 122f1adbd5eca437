"""The CloudFormation template of every deployed stage lints clean with cfn-lint: queues, dead-letter queues,
their alarms, the audit-chain alarm and the topic they all notify (infra/stage_templates.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra import stage_templates
from tests.package import test_package

pytestmark = pytest.mark.package
package_dir = test_package.package_dir  # the package build, made once and reused while its inputs are unchanged


def test_the_stages_linted_are_every_stage_the_app_deploys_as():
    # GIVEN the chalice config's stages WHEN the linter lists them THEN none is left out (dev and prod today)
    assert stage_templates.stages() == sorted(json.loads(
        (stage_templates.ROOT / ".chalice" / "config.json").read_text())["stages"])
    assert {"dev", "prod"} <= set(stage_templates.stages())


@pytest.mark.parametrize("stage", stage_templates.stages())
def test_each_stage_template_has_no_cfn_lint_finding(stage: str, tmp_path: Path):
    # GIVEN the stage's template as `make package STAGE=<stage>` would write it
    sam_path = stage_templates.build(stage, tmp_path)
    sam = json.loads(sam_path.read_text())
    assert sam["Parameters"]["Stage"]["Default"] == stage
    # WHEN cfn-lint reads it THEN it finds nothing: no error, no warning
    result = stage_templates.lint(sam_path)
    assert result.returncode == 0, result.stdout + result.stderr
    # AND it is the whole stack: every queue alarm and the audit-chain alarm notify the alarm topic
    alarms = {k: r for k, r in sam["Resources"].items() if r["Type"] == "AWS::CloudWatch::Alarm"}
    assert "AuditChainBrokenAlarm" in alarms and len(alarms) == 9
    assert all(r["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}] for r in alarms.values())


def test_the_lint_fails_on_an_error_in_the_template(tmp_path: Path):
    # GIVEN a stage's template whose alarm compares with an operator CloudWatch does not have
    sam_path = stage_templates.build("dev", tmp_path)
    sam = json.loads(sam_path.read_text())
    sam["Resources"]["AuditChainBrokenAlarm"]["Properties"]["ComparisonOperator"] = "MoreThan"
    sam_path.write_text(json.dumps(sam))
    # WHEN it is linted THEN the error (E3030: a value outside the allowed ones) fails the run
    result = stage_templates.lint(sam_path)
    assert result.returncode != 0 and ":E3030:" in result.stdout


def test_the_template_built_without_the_zip_is_the_packaged_one(package_dir: Path, tmp_path: Path):
    # GIVEN the dev template `make package` wrote beside its zip, and the one built here without the zip
    packaged = json.loads((package_dir / "sam.json").read_text())
    built = json.loads(stage_templates.build("dev", tmp_path).read_text())
    # THEN they are the same template, so linting one lints what is deployed
    for template in (packaged, built):
        for resource in template["Resources"].values():
            resource.get("Properties", {}).pop("CodeUri", None)
    assert built == packaged
