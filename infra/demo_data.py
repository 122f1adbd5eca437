"""Demo data for `make run`: a few subjects, accounts, reports, cases (one overdue), dispositions, an appeal and
a filing export, so the console at /console shows a living tenant the moment the stack is up.

Everything but the export goes through the API over HTTP with the demo key, as a platform would send it:
the data is what the API accepts, and nothing here reaches past it. The export is the daily schedule
(`export-filings`, MB2018-9/10, PA2020-19), which has no HTTP route; it is run in the local process.

Identity numbers are made up: valid structure and check digit, sequence 901-909 (nobody's number), never a
sequence the sandbox verifier reads as an outcome (991-996).
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SEEDED = "Demo data seeded"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"  # GB 11643: MOD 11-2
PEOPLE = (("张伟", "110105198803129011", "MICROBLOG", "zhangwei_daily"),
          ("李娜", "310104199207219021", "PUBLIC_ACCOUNT", "lina_news"))


def resident_id(first17: str) -> str:
    """A first 17 digits and the GB 11643 check character."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return first17 + CHECK[total % 11]


class DemoError(RuntimeError):
    pass


@dataclass
class Client:
    base: str
    key: str
    actor: str = "demo-seed"
    sent: list[str] = field(default_factory=list)

    def call(self, method: str, path: str, body: Any = None, ok: tuple[int, ...] = (200, 201)) -> Any:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("X-Api-Key", self.key)
        request.add_header("X-Actor", self.actor)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, answer = response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            status, answer = error.code, json.loads(error.read() or b"null")
        self.sent.append(f"{method} {path} {status}")
        if status not in ok:
            raise DemoError(f"{method} {path} answered {status}: {answer}")
        return answer


def wait_until_up(client: Client, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(client.base + "/v1/health", timeout=2):
                return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def people(client: Client) -> list[dict[str, str]]:
    """Verified subjects (MB2018-7) with one account each (PA2017-7)."""
    made = []
    for name, number, account_type, handle in PEOPLE:
        verified = client.call("POST", "/v1/identity/verifications", {
            "subject_type": "PERSON", "real_name": name,
            "document": {"type": "RESIDENT_ID", "number": resident_id(number[:17])}})
        account = client.call("POST", "/v1/accounts", {
            "subject_id": verified["subject_id"], "account_type": account_type, "name": handle,
            "external_id": f"acct-{handle}"})
        made.append({"subject_id": verified["subject_id"], "account_id": account["account_id"], "name": handle})
    return made


def report(client: Client, target: dict[str, str], category: str, description: str,
           reporter: dict[str, Any]) -> dict[str, Any]:
    body = {"reporter": reporter, "target": target, "category": category, "description": description,
            "evidence": [{"url": f"https://example.com/evidence/{target['id']}"}]}
    receipt: dict[str, Any] = client.call("POST", "/v1/reports", body)
    return receipt


def reports(client: Client, subjects: list[dict[str, str]]) -> dict[str, dict[str, Any]]:
    """Reports on the demo accounts and their posts (MB2018-14, PA2020-20): several share a case."""
    zhang, li = subjects
    filed = {
        "rumour": report(client, {"type": "CONTENT", "id": "post-1001", "account_id": zhang["account_id"]},
                         "RUMOUR", "转发称某地自来水有毒，官方已辟谣。", {"account_id": "reporter-01"}),
        "fraud": report(client, {"type": "ACCOUNT", "id": li["account_id"]}, "FRAUD",
                        "以投资理财为名诱导转账。", {"anonymous": True, "contact": "13800000001"}),
        "spam": report(client, {"type": "COMMENT", "id": "comment-77", "account_id": li["account_id"]}, "SPAM",
                       "同一条广告在多个帖子下重复评论。", {"account_id": "reporter-02"}),
        "insult": report(client, {"type": "ACCOUNT", "id": zhang["account_id"]}, "INSULT_DEFAMATION",
                         "多次辱骂其他用户。", {"account_id": "reporter-04"}),
    }
    # A second reporter on the same post joins its open case.
    report(client, {"type": "CONTENT", "id": "post-1001", "account_id": zhang["account_id"]}, "RUMOUR",
           "同一条谣言，已被多人转发。", {"anonymous": True})
    return filed


def decisions(client: Client, filed: dict[str, dict[str, Any]], subjects: list[dict[str, str]]) -> None:
    """Two cases decided by a reviewer, one with a disposition (GR2017-11, PA2020-19), then appealed."""
    zhang, li = subjects
    client.actor = "demo.reviewer"
    client.call("POST", f"/v1/cases/{filed['insult']['case_id']}/decision", {
        "outcome": "VIOLATION", "ground": "PA2020-20", "statement": "经核实存在辱骂行为，暂停发布 72 小时。",
        "dispositions": [{"target": {"type": "ACCOUNT", "id": zhang["account_id"]}, "type": "SUSPEND_PUBLISHING",
                          "ground": {"article": "PA2017-13", "category": "INSULT_DEFAMATION"},
                          "statement": "辱骂他人，暂停发布 72 小时。", "automated": False, "duration_hours": 72,
                          "subject_id": zhang["subject_id"]}]})
    client.call("POST", f"/v1/cases/{filed['spam']['case_id']}/decision", {
        "outcome": "NO_VIOLATION", "ground": "PA2020-20", "statement": "评论未发现违规。"})
    client.call("POST", f"/v1/cases/{filed['insult']['case_id']}/appeals", {
        "subject_id": zhang["subject_id"], "account_id": zhang["account_id"],
        "statement": "我没有辱骂他人，是对方先挑衅。"})
    client.call("POST", "/v1/dispositions", {
        "target": {"type": "ACCOUNT", "id": li["account_id"]}, "type": "WARNING",
        "ground": {"article": "BJ2011-10", "category": "SPAM"}, "statement": "广告评论，予以警示。",
        "automated": True, "subject_id": li["subject_id"]})


def unreported(client: Client, subjects: list[dict[str, str]]) -> None:
    """Cases nobody reported: a department's order whose time limit has already passed on arrival (the
    queue's overdue mark, PA2020-19) and a moderator's own case (PA2020-20). A stack without the route skips
    them (404)."""
    zhang, li = subjects
    client.call("POST", "/v1/cases", {
        "source": "AUTHORITY_ORDER", "target": {"type": "CONTENT", "id": "post-3003", "account_id": li["account_id"]},
        "category": "RUMOUR_DISORDER", "description": "网信部门通知：该帖散布涉灾谣言，请立即处置。",
        "order": {"reference": "网信办〔2026〕17号", "authority": "北京市互联网信息办公室",
                  "issued_at": "2026-01-05T01:00:00Z", "due_at": "2026-01-05T05:00:00Z"}}, ok=(201, 404))
    client.call("POST", "/v1/cases", {
        "source": "PROACTIVE", "target": {"type": "ACCOUNT", "id": zhang["account_id"]}, "category": "SPAM",
        "description": "巡查发现批量发布引流广告。"}, ok=(201, 404))


def groups(client: Client, subjects: list[dict[str, str]]) -> None:
    """A group founded by the first person and managed by the second (GR2017-8), so each subject page lists
    the groups its subject answers for. Founded before any disposition, which could bar founding."""
    zhang, li = subjects
    group = client.call("POST", "/v1/groups", {"founder_subject_id": zhang["subject_id"], "group_type": "PRIVATE",
                                               "name": "朝阳读书会", "founder_account_id": zhang["account_id"]})
    client.call("POST", f"/v1/groups/{group['group_id']}/members", {"subject_id": li["subject_id"],
                                                                    "account_id": li["account_id"]})
    client.call("PUT", f"/v1/groups/{group['group_id']}/members/{li['subject_id']}/role", {"role": "MANAGER"})


def lexicon(client: Client) -> None:
    """A protected name, a term and two banned names (imported in bulk), so the lexicon pages and the name check
    have the tenant's own entries."""
    client.call("POST", "/v1/names/protected", {"name": "演示科技有限公司", "kind": "ENTERPRISE",
                                                 "aliases": ["演示科技"]})
    client.call("POST", "/v1/names/terms", {"items": [{"term": "刷单返利", "category": "EXTORTION_FRAUD",
                                                       "action": "REJECT"}]})
    client.call("POST", "/v1/names/banned/bulk", {"items": [
        {"name": "假冒客服小王", "reason": "冒充客服实施诈骗被关闭"},
        {"name": "代开发票专家", "reason": "发布违法广告被关闭", "article": "PA2020-18", "days": 365}]})


def seed(base: str, key: str, export: Callable[[], Any] | None = None) -> Client:
    client = Client(base, key)
    wait_until_up(client)
    subjects = people(client)
    groups(client, subjects)
    filed = reports(client, subjects)
    decisions(client, filed, subjects)
    unreported(client, subjects)
    lexicon(client)
    if export is not None:
        export()
    return client


def export_last_period(tenant_id: str) -> Callable[[], Any]:
    def run() -> Any:
        from chalicelib.filings import export

        return export.export_due(tenant_id)

    return run


def seed_in_background(base: str, key: str, tenant_id: str) -> threading.Thread | None:
    """Seeds once the server answers and prints SEEDED when the console has its data. DEMO_DATA=0 leaves the
    tenant empty (the fuzzing, load and latency runs measure the API alone)."""
    if os.environ.get("DEMO_DATA", "1") == "0":
        return None

    def run() -> None:
        try:
            client = seed(base, key, export_last_period(tenant_id))
            print(f"{SEEDED}: {len(client.sent)} requests; the console is at {base}/console", flush=True)
        except Exception as error:  # a failed seed leaves a working, emptier stack
            print(f"Demo data not seeded: {error}", flush=True)

    thread = threading.Thread(target=run, name="demo-data", daemon=True)
    thread.start()
    return thread
