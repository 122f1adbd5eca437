"""The groups a subject answers for (GR2017-8): those it founded and those it manages, paged.

A founder and a group's managers carry the group's duties (GR2017-8); a platform, or an inspector
following a subject, asks which groups those are. The list is an index on the member item itself, so a
demotion or a departure takes the group off it in the same write (groups/store.py).
"""

from __future__ import annotations

from typing import Any

from chalicelib.groups import store as storage
from chalicelib.groups.members import ROLE_LABELS
from chalicelib.identity import subjects


def listing(tenant_id: str, subject_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """One page of the subject's led groups, oldest group first (the index sorts by group id, which is time-ordered);
    404 for a subject the tenant does not have."""
    subjects.require(tenant_id, subject_id)
    items, next_cursor = storage.store().led_page(tenant_id, subject_id, limit, cursor)
    return {"subject_id": subject_id, "next_cursor": next_cursor,
            "items": [{"group_id": i["GSI1SK"], "role": i["role"], "role_label": ROLE_LABELS[i["role"]],
                       "account_id": i.get("account_id"), "joined_at": i["joined_at"]} for i in items]}
