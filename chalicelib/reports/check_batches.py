"""A batch's items go where their single checks would (MB2018-12, PA2020-8, PA2020-20): each answered item
that names its object (`review`) opens or joins that object's CHECK case, or is cleared by its approval,
exactly as POST /v1/names/check or /v1/content/check would have done with it. An item without `review` is
answered as before, with no read or write.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core.errors import ComplianceError
from chalicelib.reports import reviews
from chalicelib.reports.review_rules import CheckKind


def after_batch(tenant_id: str, kind: CheckKind, items: list[dict[str, Any]], answer: dict[str, Any]) -> dict[str, Any]:
    """`answer` (a batch's) with each item's case; a refusal the client can fix (a contended case, 409) is that
    item's own error, and anything else (a store failure, 5xx) fails the call, as in the batch itself."""
    answered = []
    for row in answer["items"]:
        if "result" in row and "review" in items[row["index"]]:
            try:
                row = {"index": row["index"],
                       "result": reviews.after_check(tenant_id, kind, items[row["index"]], row["result"])}
            except ComplianceError as exc:
                if exc.status >= 500:
                    raise
                row = {"index": row["index"], **exc.envelope()}
        answered.append(row)
    return {**answer, "items": answered}
