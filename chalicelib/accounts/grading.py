"""An account's grade (MB2018-9, PA2020-7, PA2020-15) from what the product already knows: the
subject type, the latest follower or subscriber reading, the subject's credit level, dispositions
in the policy window, and the content types registered with the account."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.accounts import account_views as accounts
from chalicelib.accounts.grading_rules import GradeInputs, grade
from chalicelib.core import clock, policy
from chalicelib.dispositions import credit, records as dispositions
from chalicelib.metrics import service as metrics

AUDIENCE = ("FOLLOWERS", "SUBSCRIBERS")


def _audience(tenant_id: str, account_id: str) -> int:
    return max((metrics.latest(tenant_id, account_id, metric) or 0 for metric in AUDIENCE), default=0)


def of_account(tenant_id: str, account_id: str) -> dict[str, Any]:
    account = accounts.get(tenant_id, account_id)
    rules = policy.current(tenant_id).effective["grading"]
    since = clock.iso(clock.now() - timedelta(days=rules["violation_window_days"]))
    inputs = GradeInputs(
        subject_type=account.get("subject_type") or "PERSON", followers=_audience(tenant_id, account_id),
        credit_level=credit.of_subject(tenant_id, account["subject_id"])["level"],
        violations=dispositions.count_since(tenant_id, [("ACCOUNT", account_id), ("SUBJECT", account["subject_id"])],
                                            since),
        content_types=tuple((account.get("profile") or {}).get("content_types", [])))
    rule, passed_over = grade(inputs, rules["grades"])
    return {"account_id": account_id, "grade": rule["grade"], "services": rule["services"],
            "inputs": {"subject_type": inputs.subject_type, "followers": inputs.followers,
                       "credit_level": inputs.credit_level, "violations": inputs.violations,
                       "violations_since": since, "content_types": list(inputs.content_types)},
            "passed_over": passed_over, "articles": ["MB2018-9", "PA2020-7", "PA2020-15"], "graded_at": clock.iso()}
