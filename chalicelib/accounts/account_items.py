"""The items an account is kept as besides its own (keys in core/keys.py), shaped once for the DynamoDB
store and its in-memory fake: its place under its subject, and its entry in the inactivity index.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import keys


def activity_index(tenant_id: str, account_id: str, at: str) -> dict[str, str]:
    """PA2020-10: accounts indexed by when they were last active, so the inactivity sweep is a range query."""
    return {"GSI1PK": keys.activity_index(tenant_id), "GSI1SK": f"{at}#{account_id}"}


def subject_account(tenant_id: str, account: dict[str, Any]) -> dict[str, Any]:
    """The account under its subject; public accounts are also indexed by subject for the filings
    (PA2017-7, PA2020-10), so one index query streams them grouped by subject."""
    item = {**keys.subject_account_item(tenant_id, account["subject_id"], account["account_id"]),
            **{k: account[k] for k in ("account_id", "account_type", "created_at", "name", "category",
                                       "business_scope", "status") if account.get(k) is not None}}
    if account["account_type"] == "PUBLIC_ACCOUNT":
        item.update(GSI1PK=keys.public_accounts_index(tenant_id),
                    GSI1SK=f"{account['subject_id']}#{account['account_id']}")
    return item
