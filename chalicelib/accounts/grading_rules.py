"""Graded management of accounts (MB2018-9, PA2020-7, PA2020-15): a policy rule set places each
account in a grade from its subject type, audience, credit level, recent violations and registered
content types; each grade lists the services it allows. Pure rules: the first grade whose every
condition holds is the account's, and the answer says which conditions kept it from the better ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.dispositions.credit_rules import allows


@dataclass(frozen=True)
class GradeInputs:
    subject_type: str
    followers: int
    credit_level: str
    violations: int
    content_types: tuple[str, ...]


def unmet(rule: dict[str, Any], inputs: GradeInputs) -> list[dict[str, Any]]:
    """Every condition of `rule` the account does not meet, each explained."""
    found = []
    if inputs.followers < rule.get("min_followers", 0):
        found.append({"condition": "min_followers", "required": rule["min_followers"], "actual": inputs.followers})
    if "min_credit" in rule and not allows(inputs.credit_level, rule["min_credit"]):
        found.append({"condition": "min_credit", "required": rule["min_credit"], "actual": inputs.credit_level})
    if "max_violations" in rule and inputs.violations > rule["max_violations"]:
        found.append({"condition": "max_violations", "required": rule["max_violations"], "actual": inputs.violations})
    if rule.get("subject_types") and inputs.subject_type not in rule["subject_types"]:
        found.append({"condition": "subject_types", "required": rule["subject_types"], "actual": inputs.subject_type})
    barred = sorted(set(inputs.content_types) & set(rule.get("excluded_content_types", [])))
    if barred:
        found.append({"condition": "excluded_content_types", "required": rule["excluded_content_types"],
                      "actual": barred})
    return found


def grade(inputs: GradeInputs, grades: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the grade rule that applies, why each better grade did not); the last grade always applies."""
    passed_over: list[dict[str, Any]] = []
    for rule in grades[:-1]:
        missing = unmet(rule, inputs)
        if not missing:
            return rule, passed_over
        passed_over.append({"grade": rule["grade"], "unmet": missing})
    return grades[-1], passed_over
