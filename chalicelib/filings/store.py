"""What a filing reads and writes in DynamoDB: the source records of each record set, read a bounded
page at a time through the indexes that list them, and the filing record (keys in core/keys.py).

The sources belong to other capabilities (accounts, identity, dispositions, content); this store
only reads them, through the indexes those capabilities keep for the filings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chalicelib.core import keys
from chalicelib.core.dynamo import Table

QUERY_PAGE = 2000  # items per Query call: DynamoDB caps a page at 1 MB anyway; this bounds any backend's pages


def subject_of(item: dict[str, Any]) -> str:
    """The subject id of an item in a subject's partition (its public accounts, its V-verifications)."""
    return keys.subject_id_of_pk(item["PK"])


class FilingStore:
    def __init__(self, main: Table, records: Table) -> None:
        self.main, self.records = main, records

    def source_queries(self, tenant_id: str, start: str, end: str,
                       upfront_categories: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
        """The GSI1 queries behind each record set: the same ones are counted for the progress bar."""
        return {
            "public_accounts": [{"KeyConditionExpression": "GSI1PK = :pk", "FilterExpression": "created_at < :end",
                                 "values": {":pk": keys.public_accounts_index(tenant_id), ":end": end}}],
            "upfront_verified": [{"KeyConditionExpression": "GSI1PK = :pk AND GSI1SK < :end",
                                  "values": {":pk": keys.upfront_index(tenant_id, category), ":end": end}}
                                 for category in upfront_categories],
            "dispositions": [{"KeyConditionExpression": "GSI1PK = :pk AND GSI1SK BETWEEN :start AND :end",
                              "values": {":pk": keys.reportable_index(tenant_id), ":start": start, ":end": end}}],
        }

    def read(self, query: dict[str, Any]) -> Iterator[dict[str, Any]]:
        return self.main.query(index="GSI1", Limit=QUERY_PAGE, **query)

    def count(self, query: dict[str, Any]) -> int:
        return self.main.count(index="GSI1", **query)

    @staticmethod
    def _actions(tenant_id: str, start: str, end: str) -> dict[str, Any]:
        return {"KeyConditionExpression": "PK = :pk AND SK BETWEEN :start AND :end",
                "FilterExpression": "reportable = :yes",
                "values": {":pk": keys.content_actions_pk(tenant_id), ":start": start, ":end": end, ":yes": True}}

    def content_actions(self, tenant_id: str, start: str, end: str) -> Iterator[dict[str, Any]]:
        """Reportable actions on content in [start, end] (records table, MB2018-12, PA2020-19)."""
        return self.records.query(Limit=QUERY_PAGE, **self._actions(tenant_id, start, end))

    def count_content_actions(self, tenant_id: str, start: str, end: str) -> int:
        return self.records.count(**self._actions(tenant_id, start, end))

    def subjects(self, tenant_id: str, subject_ids: list[str]) -> list[dict[str, Any]]:
        return self.main.batch_get([keys.subject_item(tenant_id, s) for s in subject_ids])

    def account_owners(self, tenant_id: str, account_ids: list[str]) -> dict[str, str]:
        """The subject each registered account belongs to (for dispositions that name only the account)."""
        if not account_ids:
            return {}
        found = self.main.batch_get([keys.account_item(tenant_id, a) for a in dict.fromkeys(account_ids)])
        return {item["account_id"]: item["subject_id"] for item in found}

    def filing(self, tenant_id: str, period: str) -> dict[str, Any] | None:
        return self.main.get(keys.filing_item(tenant_id, period), consistent=True)

    @staticmethod
    def filing_op(tenant_id: str, record: dict[str, Any], *, once: bool = False) -> dict[str, Any]:
        """The filing record's Put; `once`: only if the period has none (the scheduled units of a period race to
        record it, and the first wins), otherwise it replaces it (the operator's re-export)."""
        put: dict[str, Any] = {"Item": {**keys.filing_item(tenant_id, record["period"]), **record}}
        if once:
            put["ConditionExpression"] = "attribute_not_exists(PK)"
        return {"Put": put}

    def filings_page(self, tenant_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        partition = keys.filings_pk(tenant_id)
        return self.main.page(partition=("PK", partition), limit=limit, cursor=cursor, ScanIndexForward=False,
                              KeyConditionExpression="PK = :pk", values={":pk": partition})
