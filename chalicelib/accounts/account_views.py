"""Accounts read back (MB2018-9, PA2017-7, PA2020-10): one by id or NotFound, a subject's accounts with
its counts and filing flag, and the shape an account is shown in (never the sealed contact).
"""

from __future__ import annotations

from typing import Any

from chalicelib.accounts import store as storage
from chalicelib.core import ids
from chalicelib.core.pii import remask
from chalicelib.identity import subjects


def require(tenant_id: str, account_id: str, *, consistent: bool = False) -> dict[str, Any]:
    """The stored account item, or NotFound."""
    return ids.require(ids.Kind.ACCOUNT, account_id,
                       lambda i: storage.store().account(tenant_id, i, consistent=consistent))


def get(tenant_id: str, account_id: str) -> dict[str, Any]:
    item = require(tenant_id, account_id)
    activity = storage.store().activity(tenant_id, account_id)
    return view({**item, "last_active_at": activity.get("last_active_at")})


def of_subject(tenant_id: str, subject_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    subjects.require(tenant_id, subject_id)
    items, next_cursor = storage.store().subject_accounts_page(tenant_id, subject_id, limit, cursor)
    counter = storage.store().counter(tenant_id, subject_id)
    return {"subject_id": subject_id, "accounts": int(counter.get("accounts", 0)),
            "public_accounts": int(counter.get("public_accounts", 0)),
            # PA2017-7, PA2020-10: a subject with more than one public account is filed.
            "multi_account_filing": int(counter.get("public_accounts", 0)) >= 2,
            "hoarding_flag": bool(counter.get("hoarding_flag")),
            "items": [{"account_id": i["account_id"], "account_type": i["account_type"], "created_at": i["created_at"]}
                      for i in items], "next_cursor": next_cursor}


_VIEW = ("account_id", "subject_id", "subject_type", "account_type", "name", "external_id", "category",
         "business_scope", "status",
         "profile",
         "name_check", "suspension", "reactivated_at", "cancelled_at", "cancellation_reason", "pending_transfer",
         "transferred_at",
         "created_at", "last_active_at")


def view(item: dict[str, Any]) -> dict[str, Any]:
    found = {k: item[k] for k in _VIEW if item.get(k) is not None}
    if "profile" in found:  # never the sealed contact, only its masked form
        found["profile"] = {k: remask(v) if k == "contact_masked" else v
                            for k, v in found["profile"].items() if k not in ("contact", "contact_key")}
    return found
