"""What the README shows a policy author is what the API accepts: its scene example passes the policy schema and
the scene rules the schema cannot say (known categories, actions and channels), as a PATCH /v1/policy would."""

from __future__ import annotations

import json
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def _json_block_after(heading: str) -> dict:
    text = README.read_text("utf-8")
    section = text[text.index(heading):]
    block = re.search(r"```json\n(.*?)```", section, re.S)
    assert block, f"no JSON example under {heading}"
    return json.loads(block.group(1))


def test_the_scenes_example_is_a_policy_the_api_accepts():
    from chalicelib.core import policy_rules, scenes, validation

    example = _json_block_after("### Scenes")
    effective = policy_rules.effective({"scenes": example})
    validation.check("policy.json", effective)
    scenes.validate(effective)
    rules = [rule for scene in example.values() for rule in scene.get("terms", {}).get("set_action", [])]
    assert rules, "the example shows a scene setting a term's action"


def test_a_scene_naming_a_category_that_does_not_exist_is_refused_as_the_example_would_be():
    import pytest

    from chalicelib.core import policy_rules, scenes
    from chalicelib.core.errors import ComplianceError

    example = _json_block_after("### Scenes")
    example["comment"]["terms"]["categories"] = ["FRAUD"]
    with pytest.raises(ComplianceError) as refused:
        scenes.validate(policy_rules.effective({"scenes": example}))
    assert (refused.value.status, refused.value.error_code) == (422, "POLICY_SCENE_INVALID")
