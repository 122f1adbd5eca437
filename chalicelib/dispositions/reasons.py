"""The statement of reasons every decision and disposition carries (PA2020-20, GR2017-11, RL2020-11),
shaped after the EU DSA transparency database's statement of reasons. Pure rules: no AWS, no I/O.

What inspectors and appeal bodies ask first: on what ground (a legal article, or one of the
platform's own rules), whether a machine found it and whether a machine decided it, what started
it (a report, a check, a moderator's own initiative, an order from a competent department), what
kind of content it was, and who decided. The older `automated` flag maps onto the two automation
fields; records written before these fields existed read with the defaults `read` gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from chalicelib.core.errors import Unprocessable


class CaseSource(str, Enum):
    """What started a case, and so a decision's `source_type`."""

    REPORT = "REPORT"  # a user's report (MB2018-14, PA2020-20)
    CHECK = "CHECK"  # a check answered REVIEW, or what policy reviews.open_on lists
    PROACTIVE = "PROACTIVE"  # a moderator's own initiative
    AUTHORITY_ORDER = "AUTHORITY_ORDER"  # an order from a competent department (GR2017-11, PA2020-19)


class DecisionGround(str, Enum):
    LEGAL = "LEGAL"  # illegal under an article (the ground's article)
    PLATFORM_RULES = "PLATFORM_RULES"  # against the platform's own rules (its rule id)


class AutomatedDecision(str, Enum):
    FULLY = "FULLY"
    PARTIALLY = "PARTIALLY"
    NOT = "NOT"


class ContentType(str, Enum):
    TEXT = "TEXT"
    IMAGE = "IMAGE"
    VIDEO = "VIDEO"
    AUDIO = "AUDIO"
    ACCOUNT = "ACCOUNT"
    GROUP = "GROUP"
    OTHER = "OTHER"


# The content a target or checked object is, when the decision does not say.
CONTENT_OF_TARGET = {"ACCOUNT": ContentType.ACCOUNT, "GROUP": ContentType.GROUP, "COMMENT": ContentType.TEXT,
                     "SUBJECT": ContentType.ACCOUNT, "CONTENT": ContentType.OTHER}
FIELDS = ("decision_ground", "platform_rule_id", "automated_detection", "automated_decision", "source_type",
          "content_type", "decided_by")
# What a request may state; a case decision's dispositions take them from it unless they state their own.
REQUEST_FIELDS = ("decision_ground", "platform_rule_id", "automated_decision", "automated_detection", "content_type")


def decided_by(call: Any) -> str | None:
    """Who acted: the request's X-Actor as the pipeline validated it (core/operation_spec.py: Call.actor)."""
    actor = call.actor
    return None if actor is None else str(actor)


def automation(asked: str | None, automated: bool | None) -> AutomatedDecision:
    """`automated_decision` as asked, or as the older `automated` flag says; the two must agree
    (a FULLY automated decision is automated, a NOT automated one is not)."""
    if asked is None:
        return AutomatedDecision.FULLY if automated else AutomatedDecision.NOT
    chosen = AutomatedDecision(asked)
    if automated is not None and chosen is not AutomatedDecision.PARTIALLY and \
            (chosen is AutomatedDecision.FULLY) != automated:
        raise Unprocessable("automated and automated_decision disagree.",
                            message_zh="automated 与 automated_decision 不一致。",
                            code="AUTOMATION_INCONSISTENT",
                            details={"automated": automated, "automated_decision": chosen.value})
    return chosen


def statement(body: Mapping[str, Any], *, source: CaseSource, target_type: str, actor: str | None,
              content: ContentType | None = None, detected: bool | None = None) -> dict[str, Any]:
    """The statement-of-reasons fields of a decision or disposition, from its request and its case."""
    ground = DecisionGround(body.get("decision_ground", DecisionGround.LEGAL.value))
    rule_id = body.get("platform_rule_id")
    if ground is DecisionGround.PLATFORM_RULES and not rule_id:
        raise Unprocessable("A decision on the platform's rules names the rule (platform_rule_id).",
                            message_zh="依据平台规则作出的决定须写明规则编号。", code="PLATFORM_RULE_REQUIRED")
    chosen = automation(body.get("automated_decision"), body.get("automated"))
    if detected is None:
        detected = source is CaseSource.CHECK or chosen is not AutomatedDecision.NOT
    return {"decision_ground": ground.value,
            "platform_rule_id": rule_id if ground is DecisionGround.PLATFORM_RULES else None,
            "automated_detection": bool(body.get("automated_detection", detected)),
            "automated_decision": chosen.value, "source_type": source.value,
            "content_type": body.get("content_type") or (content or content_of(target_type)).value,
            "decided_by": actor}


def content_of(target_type: str) -> ContentType:
    return CONTENT_OF_TARGET.get(target_type, ContentType.OTHER)


def read(record: Mapping[str, Any], source: str | None = None) -> dict[str, Any]:
    """The statement-of-reasons fields of a stored record, older ones included: a record from before
    these fields existed rests on its article (LEGAL), was detected and decided as its `automated`
    flag says, started as its case did (`source`; reports were then the only source), or on the
    platform's own initiative when it names no case; who decided was not recorded (null)."""
    automated = bool(record.get("automated", False))
    started = source or (CaseSource.REPORT if record.get("case_id") else CaseSource.PROACTIVE).value
    defaults = {"decision_ground": DecisionGround.LEGAL.value, "platform_rule_id": None,
                "automated_detection": automated,
                "automated_decision": (AutomatedDecision.FULLY if automated else AutomatedDecision.NOT).value,
                "source_type": started,
                "content_type": content_of(str(record.get("target_type", ""))).value, "decided_by": None}
    return {name: record[name] if name in record else default for name, default in defaults.items()}


def filed(record: Mapping[str, Any]) -> dict[str, Any]:
    """A disposition as filed: its own fields with the statement of reasons, defaults for older ones."""
    return {**record, **read(record)}


BROKEN_DOWN = ("decision_ground", "automated_detection", "automated_decision", "source_type", "content_type")


def breakdown(statements: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Decisions counted by each statement-of-reasons field (what a transparency report lists);
    every member of each closed set is listed, at zero when none."""
    closed: dict[str, list[str]] = {"decision_ground": [g.value for g in DecisionGround],
                                    "automated_detection": ["true", "false"],
                                    "automated_decision": [a.value for a in AutomatedDecision],
                                    "source_type": [s.value for s in CaseSource],
                                    "content_type": [c.value for c in ContentType]}
    counts = {name: dict.fromkeys(members, 0) for name, members in closed.items()}
    for found in statements:
        for name in BROKEN_DOWN:
            value = found[name]
            key = str(value).lower() if isinstance(value, bool) else str(value)
            counts[name][key] = counts[name].get(key, 0) + 1
    return counts
