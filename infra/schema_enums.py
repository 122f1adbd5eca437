"""Schema enums generated from the Python Enums they mirror: the Enum is the one source.

    python infra/schema_enums.py          (rewrites chalicelib/schemas/*.json where they drifted)
    python infra/schema_enums.py --check  (exit 1 and name every drift; tests/unit/test_enums.py runs it)

A binding names a schema file, a JSON pointer, what at that place lists the members (an `enum`, the
`required` names of an object, or its `propertyNames` enum) and the Enum, with any values the schema
adds (the DEFAULT rule of the report deadlines). Where an object lists one property per member, every
member must have one: a new disposition type without its credit-weight bounds fails here.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "chalicelib" / "schemas"
sys.path.insert(0, str(ROOT))

from chalicelib.core.tenants import KeyStatus  # noqa: E402
from chalicelib.dispositions.reasons import AutomatedDecision, CaseSource, ContentType, DecisionGround  # noqa: E402
from chalicelib.dispositions.rules import BlacklistType, DispositionType  # noqa: E402
from chalicelib.filings.rules import RECORD_SETS  # noqa: E402
from chalicelib.identity.documents import DocumentType  # noqa: E402
from chalicelib.identity.provider_codes import Outcome  # noqa: E402
from chalicelib.identity.rules import QualificationDomain, SubjectStatus, SubjectType  # noqa: E402
from chalicelib.identity.upfront_rules import Category, Material  # noqa: E402
from chalicelib.reports.review_rules import CheckKind, ReviewStatus  # noqa: E402
from chalicelib.reports.rules import AppealOutcome, CaseOutcome, CaseStatus, ObjectType, Priority, ReportCategory  # noqa: E402


@dataclass(frozen=True)
class Binding:
    schema: str
    pointer: str
    members: type[Enum] | tuple[str, ...]
    place: str = "enum"  # enum | required | propertyNames
    extra: tuple[str, ...] = ()
    per_member_properties: bool = False

    def values(self) -> list[str]:
        listed = self.members if isinstance(self.members, tuple) else tuple(m.value for m in self.members)
        return [*self.extra, *listed]

    @property
    def source(self) -> str:
        return "RECORD_SETS" if isinstance(self.members, tuple) else self.members.__name__


BINDINGS = (
    Binding("common.json", "/$defs/DispositionType", DispositionType),
    Binding("policy.json", "/properties/credit/properties/weights", DispositionType, "required",
            per_member_properties=True),
    Binding("common.json", "/$defs/BlacklistType", BlacklistType),
    Binding("common.json", "/$defs/ReportCategory", ReportCategory),
    Binding("policy.json", "/properties/reports/properties/due_hours", ReportCategory, "propertyNames",
            extra=("DEFAULT",)),
    Binding("common.json", "/$defs/DocumentType", DocumentType),
    Binding("common.json", "/$defs/SubjectType", SubjectType),
    Binding("common.json", "/$defs/SubjectStatus", SubjectStatus),
    Binding("common.json", "/$defs/QualificationDomain", QualificationDomain),
    Binding("common.json", "/$defs/Outcome", Outcome),
    Binding("upfront.json", "/properties/category", Category),
    Binding("upfront_request.json", "/properties/category", Category),
    Binding("upfront.json", "/properties/materials_checked/items", Material),
    Binding("upfront_request.json", "/properties/materials/items/properties/type", Material),
    Binding("case.json", "/properties/status", CaseStatus),
    Binding("case.json", "/properties/decision/properties/outcome", CaseOutcome),
    Binding("case_decision_request.json", "/properties/outcome", CaseOutcome),
    Binding("appeal_decision_request.json", "/properties/outcome", AppealOutcome),
    Binding("case.json", "/properties/priority", Priority),
    Binding("report_receipt.json", "/properties/priority", Priority),
    Binding("api_key.json", "/properties/status", KeyStatus),
    # Cases a check opens and the statement of reasons (PA2020-20, GR2017-11)
    Binding("statement_of_reasons.json", "/$defs/CaseSource", CaseSource),
    Binding("statement_of_reasons.json", "/$defs/DecisionGround", DecisionGround),
    Binding("statement_of_reasons.json", "/$defs/AutomatedDecision", AutomatedDecision),
    Binding("statement_of_reasons.json", "/$defs/ContentType", ContentType),
    Binding("case_request.json", "/properties/source",
            tuple(s.value for s in CaseSource if s not in (CaseSource.REPORT, CaseSource.CHECK))),
    Binding("case_request.json", "/properties/target/properties/type", ObjectType),
    Binding("report_request.json", "/properties/target/properties/type", ObjectType),
    Binding("check_review.json", "/$defs/ReviewRequest/properties/object_type", ObjectType),
    Binding("check_review.json", "/$defs/Review/properties/status", ReviewStatus),
    Binding("case.json", "/properties/evidence/items/properties/kind", CheckKind),
    Binding("filing.json", "/properties/files/items/properties/record_set",
            (*(s.name for s in RECORD_SETS), "grading_rules")),  # the grading rule set is filed beside them
)


def _node(document: dict, pointer: str) -> dict:
    node = document
    for part in pointer.strip("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _listed(node: dict, place: str) -> list[str]:
    if place == "propertyNames":
        return list(node["propertyNames"]["enum"])
    return list(node[place])


def _set(node: dict, place: str, values: list[str]) -> None:
    if place == "propertyNames":
        node["propertyNames"]["enum"] = values
    else:
        node[place] = values


def drifts(write: bool = False) -> list[str]:
    """Every binding whose schema lists other members than its Enum (rewritten when `write`)."""
    found: list[str] = []
    documents: dict[str, dict] = {}
    for binding in BINDINGS:
        document = documents.setdefault(binding.schema, json.loads((SCHEMAS / binding.schema).read_text("utf-8")))
        node = _node(document, binding.pointer)
        expected = binding.values()
        if _listed(node, binding.place) != expected:
            found.append(f"{binding.schema}#{binding.pointer} {binding.place} != {binding.source}")
            _set(node, binding.place, expected)
        if binding.per_member_properties and sorted(node.get("properties", {})) != sorted(expected):
            found.append(f"{binding.schema}#{binding.pointer} properties != {binding.source} (one each)")
    if write:
        for name, document in documents.items():
            (SCHEMAS / name).write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return found


if __name__ == "__main__":
    check = "--check" in sys.argv[1:]
    problems = drifts(write=not check)
    for problem in problems:
        print(problem)
    sys.exit(1 if check and problems else 0)
