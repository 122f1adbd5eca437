"""The document's examples are answers the API really gave: the three flows of examples/ and calls of the other
operations are run through the Python client against the app, each operation's first success recorded, and
core/openapi_examples.json must hold the same pairs up to ids, times and tokens (``RECORD_EXAMPLES=1`` rewrites
it after an intended change). Every example in the document also satisfies its operation's schemas."""

from __future__ import annotations

import json
import os
import random
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from compliance_client import ApiError, Client
from compliance_client.transport import Response

from chalicelib.core import clock, openapi, openapi_examples, validation
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
MAX_ITEMS = 3  # a listing's example shows its first items
# Answers too large or too self-referential to be an example.
UNRECORDED = {"openapi_document"}
VOLATILE = [
    (re.compile(r"\b[a-z]{2,4}_[0-9a-f]{12,}\b"), "<id>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z"), "<time>"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "<date>"),
    (re.compile(r"[A-Za-z0-9_\-+/=]{20,}"), "<token>"),
    (re.compile(r"\d*\*{2,}[\dX]*"), "<masked>"),
    (re.compile(r"…[A-Za-z0-9_\-]{4}$"), "…<hint>"),  # an API key's hint: its last four characters
]
EPOCH = 10**9  # an integer this large is a time in epoch seconds (ttl, prev_expires)


class Recorder:
    """A client transport over the chalice test client that keeps each operation's first success."""

    def __init__(self, http: Any, document: dict[str, Any]) -> None:
        self.http = http
        self.routes = [(method.upper(), re.compile("^" + re.sub(r"{[^}]+}", "[^/]+", path) + "$"), op["operationId"])
                       for path, item in document["paths"].items() for method, op in item.items()]
        self.pairs: dict[str, dict[str, Any]] = {}

    def __call__(self, method: str, url: str, headers: Any, body: bytes | None, timeout: float) -> Response:
        path = url.removeprefix("http://app")
        answer = self.http.request(method, path, headers=dict(headers), body=body or b"")
        operation_id = self._operation(method, path.partition("?")[0])
        if 200 <= answer.status_code < 300 and operation_id not in self.pairs and operation_id not in UNRECORDED:
            pair: dict[str, Any] = {"status": answer.status_code, "response": _shortened(json.loads(answer.body))}
            if body:
                pair = {"request": _shortened(json.loads(body)), **pair}
            self.pairs[operation_id] = pair
        return Response(answer.status_code, {k.lower(): v for k, v in answer.headers.items()}, answer.body)

    def _operation(self, method: str, path: str) -> str:
        from urllib.parse import unquote

        path = unquote(path)
        matches = [(pattern.pattern.count("[^/]+"), op) for m, pattern, op in self.routes
                   if m == method and pattern.match(path)]
        assert matches, (method, path)
        return min(matches)[1]  # the literal route wins over a template (/v1/cases/stats over /v1/cases/{id})


def _shortened(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _shortened(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shortened(v) for v in value[:MAX_ITEMS]]
    return value


def normalized(value: Any) -> Any:
    """The pair with what differs on every run (ids, times, tokens, masks) replaced by its kind."""
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items()}
    if isinstance(value, list):  # in any order: a listing ordered by a random id (members by subject id) varies
        return sorted((normalized(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    if isinstance(value, str):
        for pattern, kind in VOLATILE:
            value = pattern.sub(kind, value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= EPOCH:
        return "<epoch>"
    return value


def _flows() -> Any:
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import moderation
        import publish
        import signup
    finally:
        sys.path.remove(str(ROOT / "examples"))
    return signup, publish, moderation


def _others(made: dict[str, Any]) -> list[Any]:
    """One call of each operation the flows do not make, with Chinese sample data; each on its own."""
    subject, account = made["subject_id"], made["account_id"]
    window = {"from_": "2026-10-01T00:00:00Z", "to": "2030-01-01T00:00:00Z"}
    return [
        lambda api: api.health(), lambda api: api.error_codes(), lambda api: api.current_tenant(),
        lambda api: api.get_policy(),
        lambda api: api.put_policy({"retention": {"log_days": 200}, "scenes": {"comment": {
            "channels": {"separator": False}, "contact_diversion": "REJECT"}}}),
        lambda api: api.validate_document({"type": "MOBILE", "number": "17012345678"}),
        lambda api: api.get_subject(subject), lambda api: api.list_reconfirmations(limit=2),
        lambda api: api.revoke_api_key(api.create_api_key({"label": "轮换用密钥"})["key_id"], reason="轮换完成"),
        lambda api: api.list_api_keys(), lambda api: api.lexicon(),
        lambda api: api.remove_terms(api.add_terms({"items": [{"term": "代开发票", "category": "EXTORTION_FRAUD",
                                                               "action": "REJECT"}]})["items"][0]["entry_id"]),
        lambda api: api.list_terms(limit=2),
        lambda api: api.remove_protected(api.add_protected({
            "name": "人民日报", "kind": "MEDIA", "aliases": ["人民日報"], "owner_subject_ids": [subject]})["items"][0][
            "entry_id"]),
        lambda api: api.list_protected(limit=2),
        lambda api: api.add_allowed({"phrases": ["人民日报社区志愿者"]}), lambda api: api.list_allow(limit=2),
        lambda api: api.list_banned(limit=2), lambda api: api.get_account(account),
        lambda api: api.subject_accounts(subject), lambda api: api.account_activity(account, {}),
        lambda api: api.account_restrictions(account), lambda api: api.subject_restrictions(subject),
        lambda api: api.subject_credit(subject), lambda api: api.account_grade(account),
        lambda api: api.get_rumour(made["rumour_id"]), lambda api: api.rumour_spread(made["rumour_id"]),
        lambda api: api.rumour_alerts(), lambda api: api.list_actions(account_id=account, **window),
        lambda api: api.list_cases(status="DECIDED", limit=2), lambda api: api.case_stats(),
        lambda api: api.case_reports(made["case_id"]), lambda api: api.get_appeal(made["appeal_id"]),
        lambda api: api.list_appeals(limit=2), lambda api: api.get_disposition(made["disposition_ids"][0]),
        lambda api: api.ingest_logs({"events": [{"event_id": "e1", "account_id": account, "type": "LOGIN",
                                                 "at": "2026-11-20T08:00:00Z", "ip": "203.0.113.7"}]}),
        lambda api: api.list_logs(account_id=account, **window),
        lambda api: api.check_blacklist({"items": [{"type": "REGISTRATION_SUBJECT", "key": subject}]}),
        lambda api: api.list_blacklist(type="REGISTRATION_SUBJECT", limit=2),
        lambda api: api.list_audit(limit=2), lambda api: api.verify_audit({}),
        lambda api: api.decide_appeal(made["appeal_id"], {"outcome": "UPHELD", "statement": "经复核，维持原处置。"}),
        lambda api: api.revoke_disposition(api.create_disposition({
            "target": {"type": "ACCOUNT", "id": account}, "type": "WARNING", "statement": "发布垃圾广告",
            "ground": {"article": "PA2020-19", "category": "SPAM"}, "automated": False})["disposition_id"],
            {"reason": "经复核撤销警示"}),
        lambda api: api.ingest_metrics({"points": [{"account_id": account, "metric": "FOLLOWERS",
                                                    "at": "2026-11-20T08:00:00Z", "value": 10}]}),
        lambda api: api.metric_flags(account),
        lambda api: api.remove_banned(api.ban_name({"name": "快乐小屋分享", "reason": "因传播谣言被关闭",
                                                    "days": 30})["items"][0]["entry_id"]),
        lambda api: api.remove_allow(api.add_allowed({"phrases": ["新华社区服务中心"]})["items"][0]["entry_id"]),
        lambda api: api.remove_entry("protected", api.add_entry("protected", {"pdq": "ab" * 32, "label": "官方徽标"})[
            "entry_id"]),
        lambda api: api.list_entries("protected", limit=2),
        lambda api: api.reporter_feedback("reporter-1"), lambda api: api.list_filings(limit=2),
        lambda api: _group(api, subject, made),
        lambda api: api.import_entries("banned", {"csv": "pdq,label\n" + "cd" * 32 + ",违规图片\n"}),
        lambda api: api.add_protected_bulk({"items": [{"name": "新华通讯社", "kind": "MEDIA", "aliases": ["新华社"]}]}),
        lambda api: api.ban_names({"items": [{"name": "假冒客服小王", "reason": "冒充客服实施诈骗被关闭"},
                                             {"name": "刷单返利群主", "reason": "组织刷单被关闭", "days": 180}]}),
        lambda api: api.open_case({"source": "PROACTIVE", "target": {"type": "CONTENT", "id": "post-20261120"},
                                   "category": "SPAM", "description": "巡查发现同一广告在多个话题下批量发布。"}),
        lambda api: api.record_qualification({"subject_id": subject, "domain": "MEDICAL_HEALTH",
                                              "certificate_type": "医师执业证书", "certificate_number": "110105000123",
                                              "issuer": "北京市卫生健康委员会", "valid_until": "2030-12-31"}),
        lambda api: _newcomer(api, made),
        lambda api: api.check_names({"items": [{"text": "人民日报官方", "field": "account_name"},
                                               {"text": "小鹿的日常", "field": "nickname", "subject_id": subject},
                                               {"text": "加微信 xiaolu_2026 领福利", "field": "description",
                                                "scene": "comment"}]}),
        lambda api: api.check_contents({"items": [{"text": "今天的晚霞很美。", "account_id": account},
                                                  {"text": "代开发票，加微信。", "account_id": account}]}),
        lambda api: _upfront(api, made),
        lambda api: _half_a_year_later(api, made),  # last: the clock stays moved on
    ]


def _upfront(api: Client, made: dict[str, Any]) -> None:
    """An enterprise whose business licence agrees with its verified identity is V-verified (MB2018-8, MB2018-10)."""
    company = api.verify_identity({"subject_type": "ENTERPRISE", "real_name": "北京示例科技有限公司",
                                   "document": {"type": "USCC", "number": made["uscc"]}})["subject_id"]
    api.upfront_verification({"subject_id": company, "claimed_name": "北京示例科技有限公司", "category": "ENTERPRISE",
                              "materials": [{"type": "BUSINESS_LICENCE", "number": made["uscc"],
                                             "name": "北京示例科技有限公司", "sha256": "ab" * 32}]})


def _half_a_year_later(api: Client, made: dict[str, Any]) -> None:
    """Past the transfer's notice period (PA2020-11) and the inactivity period (PA2020-10): the announced transfer
    completes, and the account the sweep suspended for inactivity is reactivated."""
    from chalicelib import jobs

    moment = clock.now_epoch() + 200 * 86400
    clock.set_source(lambda: moment)
    api.complete_transfer(made["transfer_id"])
    jobs.run_now("suspend-inactive-accounts")
    api.reactivate_account(made["account_id"])


def _newcomer(api: Client, made: dict[str, Any]) -> None:
    """A second person: their account is transferred, then another is cancelled; a third is blacklisted and the
    entry removed (GR2017-11, PA2017-9, PA2020-11)."""
    people = [api.verify_identity({"subject_type": "PERSON", "real_name": name, "document": {
        "type": "RESIDENT_ID", "number": number}})["subject_id"] for name, number in zip(
        ("赵小舟", "钱小溪"), made["more_documents"], strict=True)]
    transfer = api.apply_transfer(made["account_id"], {"transferee_subject_id": people[0],
                                                       "reason": "运营主体变更为新公司"})
    api.get_transfer(transfer["transfer_id"])
    api.announce_transfer(transfer["transfer_id"], {"text": "本账号将于公告期满后迁移至新的运营主体。"})
    made["transfer_id"] = transfer["transfer_id"]  # completed after its notice period by _half_a_year_later
    account = api.register_account({"subject_id": people[0], "account_type": "USER", "name": "赵小舟的小屋"})
    api.cancel_account(account["account_id"], {"reason": "用户申请注销"})
    listed = api.create_disposition({"target": {"type": "SUBJECT", "id": people[1]}, "type": "BLACKLIST",
                                     "statement": "多次注册垃圾账号", "automated": False,
                                     "ground": {"article": "PA2017-13", "category": "SPAM"}})
    api.remove_blacklisted("REGISTRATION_SUBJECT", people[1], reason="复核后解除")
    assert listed["disposition_id"]


def _group(api: Client, founder: str, made: dict[str, Any]) -> None:
    group = api.found_group({"founder_subject_id": founder, "group_type": "PRIVATE", "name": "读书交流群"})
    member = api.verify_identity({"subject_type": "PERSON", "real_name": "王小书", "document": {
        "type": "RESIDENT_ID", "number": made["member_document"]}})["subject_id"]
    api.get_group(group["group_id"])
    api.join_group(group["group_id"], {"subject_id": member})
    api.list_members(group["group_id"])
    api.set_member_role(group["group_id"], member, {"role": "MANAGER"})
    # GR2017-7: a group past the policy's large-group size publishes an information page; two members are past one
    api.put_policy({"groups": {"large_group_members": 1}})
    api.group_info(group["group_id"])
    api.put_policy({"groups": {"large_group_members": 100}})
    api.list_led_groups(member)
    api.lookup_subject({"document_type": "RESIDENT_ID", "document_number": made["member_document"]})
    api.leave_group(group["group_id"], member)


@pytest.fixture
def recorded(api, app, make_tenant):
    document = openapi.document(app)
    recorder = Recorder(api.client.http, document)
    client = Client("http://app", make_tenant("demo").key, transport=recorder, sleep=lambda seconds: None)
    signup, publish, moderation = _flows()
    rng = random.Random(2026)
    author = signup.run(client, rng, say=lambda line: None)
    published = publish.run(client, author, rng, say=lambda line: None)
    moderated = moderation.run(client, author, rng, say=lambda line: None)
    failures = []
    documents = {"member_document": signup.resident_id(rng),
                 "more_documents": [signup.resident_id(rng), signup.resident_id(rng)], "uscc": factories.uscc(rng)}
    for number, call in enumerate(_others({**published, **moderated, **documents})):
        try:
            call(client)
        except ApiError as error:  # a call that no longer answers 2xx: its operation would lose its example
            failures.append((number, error.status, error.code, error.message))
    return recorder.pairs, document, failures


def test_the_examples_file_holds_what_the_api_answers(recorded):
    pairs, _, failures = recorded
    # GIVEN the pairs just recorded from real calls
    assert not failures, failures
    if os.environ.get("RECORD_EXAMPLES") == "1":
        openapi_examples.EXAMPLES_FILE.write_text(json.dumps(pairs, ensure_ascii=False, indent=1, sort_keys=True)
                                                  + "\n", encoding="utf-8")
        openapi_examples.recorded.cache_clear()
    # WHEN the checked-in examples are compared with them THEN they are the same up to ids, times and tokens
    stored = openapi_examples.recorded()
    assert sorted(stored) == sorted(pairs), "operations differ: RECORD_EXAMPLES=1 pytest " + __file__
    drift = [op for op in pairs if normalized(stored[op]) != normalized(pairs[op])]
    assert not drift, f"examples drifted for {drift}: RECORD_EXAMPLES=1 pytest tests/api/test_openapi_examples.py"


def test_every_example_in_the_document_satisfies_its_schemas(api, app):
    openapi._document.cache_clear()  # built before a RECORD_EXAMPLES=1 run rewrote the file
    document = openapi.document(app)
    checked = 0
    for path, item in document["paths"].items():
        for method, op in item.items():
            example = openapi_examples.recorded().get(op["operationId"])
            if example is None:
                continue
            declared = openapi.OPERATIONS[(path, method.upper())]
            if "request" in example:
                assert validation.problems(declared.request_schema, example["request"]) == [], op["operationId"]
            assert validation.problems(declared.responses[example["status"]], example["response"]) == [], \
                op["operationId"]
            media = op["responses"][str(example["status"])]["content"]["application/json"]
            assert media["examples"]["recorded"]["value"] == example["response"]
            checked += 1
    assert checked == len(openapi_examples.recorded())


def test_examples_use_chinese_sample_data():
    text = json.dumps(openapi_examples.recorded(), ensure_ascii=False)
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in text) > 200


# The document itself has no example: it is the whole document (see UNRECORDED).
WITHOUT_EXAMPLE = UNRECORDED


def test_every_operation_has_a_recorded_example_but_those_listed(app):
    # GIVEN every operation of the document WHEN those without a recorded example are listed
    operations = {op.operation_id for op in openapi.operations_of(app)}
    missing = operations - set(openapi_examples.recorded())
    # THEN they are exactly the ones named above: a new operation is recorded (or named) before it ships
    assert missing == WITHOUT_EXAMPLE, "record the new operation's call in _others (RECORD_EXAMPLES=1) or name it"
