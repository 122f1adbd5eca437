"""Reading a filing's source records, a page at a time, into rows per province of registration.

The record sets come from four groups of source queries; each group is read whole in one step of the
filing's plan (chalicelib/filings/fanout.py), so a plan continued in a later invocation starts at the
next group. Every row is handed to a sink with its province (from the subject's document, MB2018-9/10):
the plan's sink stages rows per province, and each province is then filed by its own unit. Reading
needs no identity data but the region of each subject; the subject's name is decrypted later, only by
the unit that files the subject's province.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from chalicelib.core import crypto, stores
from chalicelib.core.config import settings
from chalicelib.core.dynamo import Table
from chalicelib.core.pii import remask
from chalicelib.filings import rules
from chalicelib.filings.store import FilingStore, subject_of
from chalicelib.identity.upfront_rules import Category

UPFRONT_CATEGORIES = tuple(c.value for c in Category)  # MB2018-10: every category is filed
PAGE = 100
Progress = Callable[[str, int], None]


class Sink(Protocol):
    def add(self, province: str, record_set: rules.RecordSet, record: dict[str, Any]) -> None: ...


def store() -> FilingStore:
    return FilingStore(stores.main_table(), Table(settings().records_table))


class Subjects:
    """Subjects looked up a page at a time (one BatchGetItem), kept in a bounded cache."""

    def __init__(self, tenant_id: str, size: int = 4096) -> None:
        self.tenant_id, self.size = tenant_id, size
        self.cache: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def load(self, subject_ids: Iterable[str], *, names: bool = False) -> None:
        wanted = [s for s in dict.fromkeys(subject_ids) if s and (s not in self.cache or
                                                                 (names and "subject_name" not in self.cache[s]))]
        for start in range(0, len(wanted), PAGE):
            for item in store().subjects(self.tenant_id, wanted[start:start + PAGE]):
                info = {"subject_type": item.get("subject_type"), "document_type": item.get("document_type"),
                        "document_masked": remask(item.get("document_masked"), item.get("document_type")),
                        "region_code": item.get("region_code")}
                if names and item.get("pii"):
                    sealed = crypto.Sealed(item["pii"], item["pii_key"])
                    info["subject_name"] = crypto.unseal(self.tenant_id, item["subject_id"], sealed)["name"]
                self.cache[item["subject_id"]] = info
                self.cache.move_to_end(item["subject_id"])
        while len(self.cache) > self.size:
            self.cache.popitem(last=False)

    def get(self, subject_id: str | None) -> dict[str, Any]:
        return self.cache.get(subject_id or "", {})

    def province(self, subject_id: str | None) -> str:
        return rules.province_of(self.get(subject_id).get("region_code"))[0]


def pages(items: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(items)
    while page := list(itertools.islice(iterator, PAGE)):
        yield page


def _query(query: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
    return pages(store().read(query))


def queries(tenant_id: str, start: str, end: str) -> dict[str, list[dict[str, Any]]]:
    return store().source_queries(tenant_id, start, end, UPFRONT_CATEGORIES)


def public_accounts(tenant_id: str, start: str, end: str, sink: Sink, subjects: Subjects, tick: Progress) -> None:
    """PA2017-7, PA2020-10: public accounts, streamed grouped by subject (a group is complete when the next
    begins), and each subject with more than one of them."""
    group: list[dict[str, Any]] = []
    for page in _query(queries(tenant_id, start, end)["public_accounts"][0]):
        subjects.load(subject_of(a) for a in page)
        for account in page:
            subject_id = subject_of(account)
            sink.add(subjects.province(subject_id), rules.PUBLIC_ACCOUNTS,
                     {**account, **subjects.get(subject_id), "subject_id": subject_id})
            if group and group[0]["subject_id"] != subject_id:
                _multi(sink, group, subjects)
                group = []
            group.append({**account, "subject_id": subject_id})
        tick(rules.PUBLIC_ACCOUNTS.name, len(page))
    _multi(sink, group, subjects)


def _multi(sink: Sink, group: list[dict[str, Any]], subjects: Subjects) -> None:
    if len(group) < 2:
        return
    subject_id = group[0]["subject_id"]
    sink.add(subjects.province(subject_id), rules.MULTI_ACCOUNT_SUBJECTS, {
        **subjects.get(subject_id), "subject_id": subject_id, "public_accounts": len(group),
        "business_scope": "；".join(dict.fromkeys(a["business_scope"] for a in group
                                                  if a.get("business_scope"))) or None,
        "accounts": [{"account_id": a["account_id"], "name": a.get("name"),
                      "category": a.get("category")} for a in group]})


def upfront(tenant_id: str, start: str, end: str, sink: Sink, subjects: Subjects, tick: Progress) -> None:
    """MB2018-10: V-verified subjects by category (the certified name is filled in by the province's unit)."""
    for query in queries(tenant_id, start, end)["upfront_verified"]:
        for page in _query(query):
            for item in page:
                sink.add(rules.province_of(item.get("region_code"))[0], rules.UPFRONT_VERIFIED,
                         {**item, "subject_id": subject_of(item)})
            tick(rules.UPFRONT_VERIFIED.name, len(page))


def dispositions(tenant_id: str, start: str, end: str, sink: Sink, subjects: Subjects, tick: Progress) -> None:
    """GR2017-11, PA2017-13, PA2020-19: reportable dispositions and the blacklist entries they wrote."""
    for page in _query(queries(tenant_id, start, end)["dispositions"][0]):
        owners = store().account_owners(tenant_id, [d["target_id"] for d in page
                                                    if d["target_type"] == "ACCOUNT" and not d.get("subject_id")])
        subjects.load([str(d.get("subject_id") or owners.get(d["target_id"]) or "") for d in page])
        for record in page:
            subject_id = record.get("subject_id") or owners.get(record["target_id"])
            province = subjects.province(subject_id)
            filed = {**record, "subject_id": subject_id, **record["ground"]}
            sink.add(province, rules.DISPOSITIONS, filed)
            for entry in record.get("effects", {}).get("blacklist", []):
                sink.add(province, rules.BLACKLISTINGS, {**filed, **entry, "expires_at": record.get("ends_at")})
        tick(rules.DISPOSITIONS.name, len(page))


def content_actions(tenant_id: str, start: str, end: str, sink: Sink, subjects: Subjects, tick: Progress) -> None:
    """MB2018-12, PA2020-19: actions on prohibited content in the period, marked reportable."""
    for page in pages(store().content_actions(tenant_id, start, end)):
        owners = store().account_owners(tenant_id, [a["account_id"] for a in page])
        subjects.load(owners.values())
        for action in page:
            subject_id = owners.get(action["account_id"])
            sink.add(subjects.province(subject_id), rules.CONTENT_ACTIONS, {**action, "subject_id": subject_id})
        tick(rules.CONTENT_ACTIONS.name, len(page))


Group = Callable[[str, str, str, Sink, Subjects, Progress], None]
# The plan's steps, in order; each writes its own staged files, so a step repeated overwrites only its own.
GROUPS: tuple[tuple[str, Group], ...] = (("accounts", public_accounts), ("upfront", upfront),
                                         ("dispositions", dispositions), ("content", content_actions))
# The columns a province's unit fills with the subject's decrypted name (the only identity data decrypted).
NAME_COLUMNS = {rules.PUBLIC_ACCOUNTS.name: "subject_name", rules.MULTI_ACCOUNT_SUBJECTS.name: "subject_name",
                rules.UPFRONT_VERIFIED.name: "claimed_name"}


def expected(tenant_id: str, start: str, end: str) -> int:
    """How many source records the plan reads (a progress bar's total)."""
    filing_store = store()
    return filing_store.count_content_actions(tenant_id, start, end) + sum(
        filing_store.count(query) for group in queries(tenant_id, start, end).values() for query in group)
