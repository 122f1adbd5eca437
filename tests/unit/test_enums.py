"""Closed sets live once, as Python Enums: every schema that lists them is generated from them, and every
member has what the product needs of it (a credit weight, a deadline rule, a refusal, a filing column)."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from chalicelib.core import policy_rules
from chalicelib.dispositions.rules import RESTRICTS, DispositionType
from chalicelib.eligibility import gates
from chalicelib.filings import export
from chalicelib.identity.rules import QualificationDomain
from chalicelib.identity.upfront_rules import Category
from chalicelib.reports.rules import ReportCategory, deadline

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("schema_enums", ROOT / "infra" / "schema_enums.py")
schema_enums = importlib.util.module_from_spec(spec)
sys.modules["schema_enums"] = schema_enums
spec.loader.exec_module(schema_enums)


def test_every_schema_enum_is_generated_from_its_python_enum():
    assert schema_enums.drifts() == []


def test_a_member_missing_from_a_schema_is_caught(monkeypatch):
    # GIVEN the policy schema as it would be had someone added a disposition type only in Python
    original = json.loads((schema_enums.SCHEMAS / "policy.json").read_text("utf-8"))
    edited = copy.deepcopy(original)
    edited["properties"]["credit"]["properties"]["weights"]["required"].remove("STOP_ADS")
    decode = json.JSONDecoder().decode
    monkeypatch.setattr(schema_enums.json, "loads", lambda text: edited if '"credit"' in text else decode(text))
    # WHEN the drift check runs THEN it names the binding
    assert any("policy.json" in d and "DispositionType" in d for d in schema_enums.drifts())


@pytest.mark.parametrize("kind", list(DispositionType))
def test_every_disposition_type_has_a_credit_weight(kind):
    assert policy_rules.DEFAULTS["credit"]["weights"][kind.value] >= 0


@pytest.mark.parametrize("action", sorted({a for actions in RESTRICTS.values() for a in actions} & set(gates.ACTIONS)))
def test_every_gated_action_a_disposition_restricts_has_its_refusal(action):
    refusal = gates.restricted_refusal(action, "dsp_x", "SUSPEND_PUBLISHING", "statement", "PA2020-19")
    assert refusal["code"].endswith("_RESTRICTED") and refusal["message_zh"]


@pytest.mark.parametrize("category", list(ReportCategory))
def test_every_report_category_has_a_deadline(category):
    due = deadline(__import__("datetime").datetime(2026, 1, 1), category.value,
                   policy_rules.DEFAULTS["reports"]["due_hours"])
    assert due.hours > 0


@pytest.mark.parametrize("category", list(Category))
def test_every_upfront_category_is_filed(category):
    assert category.value in export.UPFRONT_CATEGORIES


def test_the_can_publish_domain_parameter_lists_every_qualification_domain():
    import app  # noqa: F401  (registers every operation)
    from chalicelib.core.operation_spec import OPERATIONS

    op = next(o for o in OPERATIONS.values() if o.path.endswith("/can-publish"))
    param = next(p for p in op.query if p.name == "domain")
    assert param.schema["enum"] == [d.value for d in QualificationDomain]
