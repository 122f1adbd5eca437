"""The Python client (clients/python): generated from the live OpenAPI document without drift; retries 429 and 503
as the API asks, with one Idempotency-Key per logical request; errors as exceptions carrying the envelope; path
parameters kept to one segment; pagination to the last page; webhook signatures checked as the API signs them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest
from compliance_client import (
    Client,
    ConflictError,
    RateLimitedError,
    ServiceUnavailableError,
    TransportError,
    UnprocessableError,
    WebhookSignatureError,
    verify_webhook,
)
from compliance_client.base import retry_after
from compliance_client.transport import Response

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "clients" / "python" / "generate.py"


class FakeApi:
    """A transport answering from a script, recording each request (method, url, headers, body)."""

    def __init__(self, *answers: Response) -> None:
        self.answers = list(answers)
        self.sent: list[tuple[str, str, dict[str, str], bytes | None]] = []

    def __call__(self, method, url, headers, body, timeout):
        self.sent.append((method, url, dict(headers), body))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def ok(body: object, status: int = 200) -> Response:
    return Response(status, {"content-type": "application/json"}, json.dumps(body).encode())


def refused(status: int, code: str, headers: dict[str, str] | None = None) -> Response:
    envelope = {"error": {"code": code, "message": "m", "message_zh": "中文说明", "details": {"article": "PA2017-7"}}}
    return Response(status, {"x-request-id": "req-1", **(headers or {})}, json.dumps(envelope).encode())


def client(api: FakeApi, waits: list[float]) -> Client:
    return Client("http://api.test/", "ck_" + "k" * 40, transport=api, sleep=waits.append)


def _generator():
    import importlib.util

    spec = importlib.util.spec_from_file_location("client_generator", GENERATOR)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    return generator


def test_the_generated_operations_and_models_are_those_of_the_live_document():
    # GIVEN the document the app serves WHEN the client's operations and models are generated from it again
    generator = _generator()
    fresh = generator.sources(generator.live_document())
    # THEN both are exactly the checked-in modules (python clients/python/generate.py after an API change)
    assert set(fresh) == {generator.TARGET, generator.MODELS}
    for path, source in fresh.items():
        assert source == path.read_text(encoding="utf-8"), f"{path.name} drifted: run python clients/python/generate.py"


CAREFUL_USE = """
from compliance_client import ApiError, Case, Client, NameCheck, NameCheckRequest

api = Client("http://127.0.0.1:8000", "ck_" + "k" * 40, actor="reviewer-7")
request: NameCheckRequest = {"text": "人民日报官方", "field": "account_name"}
check: NameCheck = api.check_name(request)
decision: str = check["decision"]
codes = [hit["code"] for hit in check["hits"]]
try:
    account = api.register_account({"subject_id": "sub_" + "0" * 40, "account_type": "USER", "name": "小鹿"})
    status: str = account["status"]
except ApiError as error:
    print(error.code, error.message_zh)
for case in api.iter_list_cases(status="OPEN"):
    item: Case = case
    case_id: str = case["case_id"]
"""
# Each line as a careless client writes it, with what the type checker must say about it.
CARELESS_USE = [
    ('check["verdict"]', 'TypedDict "NameCheck" has no key "verdict"'),
    ('api.check_name({"text": 1, "field": "account_name"})', 'expression has type "int", TypedDict item "text"'),
    ('api.check_name({"text": "小鹿", "field": "username"})', "Literal['username']"),
    ('api.check_name({"field": "account_name"})', 'Missing key "text" for TypedDict "NameCheckRequest"'),
    ('count: int = check["decision"]', 'variable has type "int"'),
    ('api.register_account({"subject_id": "sub_1", "account_type": "USER", "name": "小鹿", "nmae": "x"})',
     'Extra key "nmae"'),
    ('for case in api.iter_list_cases(status="OPEN"):\n    case["cas_id"]', 'has no key "cas_id"'),
    ('api.get_account("acc_1")["subject"]', 'TypedDict "Account" has no key "subject"'),
]


@pytest.mark.package  # mypy from a cold cache: several seconds
def test_a_type_checker_catches_a_wrong_key_or_type_in_a_body_or_an_answer(tmp_path):
    from mypy import api as mypy

    # GIVEN code written against the client: once as documented, then with a typo'd key or a wrong type per line
    # (and the three flows of examples/, which a newcomer copies from)
    (tmp_path / "mypy.ini").write_text(
        f"[mypy]\nstrict = True\nmypy_path = {ROOT / 'clients' / 'python'}:{ROOT / 'examples'}\n")
    (tmp_path / "careful.py").write_text(CAREFUL_USE, encoding="utf-8")
    careless = CAREFUL_USE + "\n".join(line for line, _ in CARELESS_USE) + "\n"
    (tmp_path / "careless.py").write_text(careless, encoding="utf-8")
    # WHEN mypy --strict checks both
    out, err, _ = mypy.run(["--config-file", str(tmp_path / "mypy.ini"), "--cache-dir", str(tmp_path / "cache"),
                            str(tmp_path / "careful.py"), str(tmp_path / "careless.py"),
                            *(str(path) for path in sorted((ROOT / "examples").glob("*.py")))])
    errors = [line for line in out.splitlines() if ": error: " in line]
    # THEN the documented use passes, and every careless line is an error saying what is wrong (and only those)
    assert not [e for e in errors if "careful.py" in e or "examples" in e], out + err
    first = len(CAREFUL_USE.splitlines()) + 1
    lines, at = {}, first
    for line, expected in CARELESS_USE:
        at += line.count("\n")
        lines[at] = expected
        at += 1
    found = {int(e.split(":")[1]): e for e in errors if "careless.py" in e}
    assert set(found) == set(lines), out
    for number, expected in lines.items():
        assert expected in found[number], (expected, found[number])


def test_the_models_shadow_nothing_the_package_exports_and_are_plain_dicts_at_run_time():
    import compliance_client
    from compliance_client import client as client_module, errors, models, webhooks

    # GIVEN the package's own names WHEN the generated models are exported beside them THEN none is replaced
    own = {n for module in (client_module, errors, webhooks) for n in dir(module) if not n.startswith("_")}
    assert not own & set(models.__all__)
    assert {"Client", "NameCheck", "Case", "WebhookCaseDecided"} <= set(compliance_client.__all__)
    api, waits = FakeApi(ok({"decision": "PASS", "hits": [], "extra": 1})), []
    assert type(client(api, waits).check_name({"text": "小鹿", "field": "nickname"})) is dict


def test_a_429_is_retried_after_retry_after_with_the_same_idempotency_key():
    # GIVEN an API that throttles a verification once, asking for 2 s
    api, waits = FakeApi(refused(429, "VERIFICATION_ATTEMPTS_EXCEEDED", {"retry-after": "2"}), ok({"ok": 1}, 201)), []
    # WHEN the client verifies without choosing a key
    answer = client(api, waits).verify_identity({"subject_type": "PERSON"})
    # THEN it waited what it was told and sent the same generated Idempotency-Key both times
    assert answer == {"ok": 1} and waits == [2.0]
    keys = [headers["Idempotency-Key"] for _, _, headers, _ in api.sent]
    assert len(keys) == 2 and keys[0] == keys[1] and len(keys[0]) == 36


def test_each_logical_request_gets_its_own_idempotency_key_unless_one_is_given():
    api, waits = FakeApi(ok({}, 201), ok({}, 201), ok({}, 201)), []
    c = client(api, waits)
    c.file_report({"category": "RUMOUR"})
    c.file_report({"category": "RUMOUR"})
    c.file_report({"category": "RUMOUR"}, idempotency_key="platform-report-42")
    keys = [headers["Idempotency-Key"] for _, _, headers, _ in api.sent]
    assert keys[0] != keys[1] and keys[2] == "platform-report-42"


@pytest.mark.parametrize("told", ["-5", "abc", "1e9", "", "Wed, 21 Oct 2015 07:28:00", "９"])
def test_an_unusable_retry_after_falls_back_to_a_bounded_backoff(told):
    # GIVEN a 503 whose Retry-After is negative, garbage, exponent-written, empty, zoneless or a full-width digit
    api, waits = FakeApi(refused(503, "STORE_UNAVAILABLE", {"retry-after": told}), ok({})), []
    client(api, waits).get_policy()
    # THEN the wait is the backoff's (0.25-0.5 s on the first retry), never the header's value
    assert len(waits) == 1 and 0.25 <= waits[0] <= 0.5


def test_a_huge_retry_after_is_capped_and_an_http_date_is_honoured():
    later = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=20), usegmt=True)
    api, waits = FakeApi(refused(429, "REPORT_RATE_LIMITED", {"retry-after": "999999999"}),
                         refused(503, "KMS_UNAVAILABLE", {"retry-after": later}), ok({})), []
    client(api, waits).get_policy()
    assert waits[0] == 30.0 and 15 <= waits[1] <= 20
    assert retry_after(format_datetime(datetime(2000, 1, 1, tzinfo=timezone.utc), usegmt=True)) == 0.0


def test_retries_are_bounded_then_the_error_carries_the_envelope():
    # GIVEN an API that stays unavailable
    api, waits = FakeApi(*[refused(503, "STORE_UNAVAILABLE", {"retry-after": "1"})] * 4), []
    # WHEN the client calls it THEN after 3 retries the 503 is raised with code, Chinese message and request id
    with pytest.raises(ServiceUnavailableError) as caught:
        client(api, waits).get_policy()
    assert len(api.sent) == 4 and waits == [1.0, 1.0, 1.0]
    error = caught.value
    assert (error.status, error.code, error.request_id) == (503, "STORE_UNAVAILABLE", "req-1")
    assert error.message_zh == "中文说明"
    assert error.article == "PA2017-7" and error.retry_after == 1.0


def test_a_refusal_is_not_retried():
    api, waits = FakeApi(refused(409, "LIMIT_REACHED"), refused(422, "NAME_REFUSED")), []
    c = client(api, waits)
    with pytest.raises(ConflictError) as conflict:
        c.register_account({"subject_id": "sub_x"})
    with pytest.raises(UnprocessableError):
        c.register_account({"subject_id": "sub_x"})
    assert conflict.value.code == "LIMIT_REACHED" and waits == [] and len(api.sent) == 2


def test_a_lost_answer_is_retried_only_where_repeating_is_safe():
    # GIVEN connections that drop
    dropped = TransportError("connection reset")
    api, waits = FakeApi(dropped, ok({}), dropped), []
    c = client(api, waits)
    # WHEN a GET and a POST without an Idempotency-Key lose their answer
    c.get_policy()
    with pytest.raises(TransportError):
        c.check_name({"text": "人民日报", "field": "account_name"})
    # THEN the GET was sent again and the POST was not (it may have been applied)
    assert [m for m, *_ in api.sent] == ["GET", "GET", "POST"]


def test_a_non_envelope_error_body_is_still_an_error_with_a_code():
    api, waits = FakeApi(Response(429, {}, b"<html>throttled</html>")), []
    c = Client("http://api.test", "k", transport=api, sleep=waits.append, max_retries=0)
    with pytest.raises(RateLimitedError) as caught:
        c.get_policy()
    assert caught.value.code == "UNKNOWN"


@pytest.mark.parametrize("hostile", ["../api-keys", "acc_1/cancellation", "a?b=c", "x#y", "%2e%2e"])
def test_a_path_parameter_stays_one_segment(hostile):
    # GIVEN an id from a careless caller that would reach another route if pasted into the path
    api, waits = FakeApi(ok({})), []
    client(api, waits).get_account(hostile)
    # THEN it is sent percent-encoded inside its own segment
    url = api.sent[0][1]
    tail = url.removeprefix("http://api.test/v1/accounts/")
    assert "/" not in tail and "?" not in tail and "#" not in tail and tail != hostile


def test_iteration_follows_next_cursor_to_the_last_page():
    api, waits = FakeApi(ok({"items": [1, 2], "next_cursor": "c1"}), ok({"items": [3], "next_cursor": None})), []
    items = list(client(api, waits).iter_list_cases(status="OPEN", limit=2))
    assert items == [1, 2, 3]
    assert "cursor=c1" in api.sent[1][1] and "status=OPEN" in api.sent[1][1] and "cursor" not in api.sent[0][1]


def test_query_values_are_encoded_and_none_left_out():
    api, waits = FakeApi(ok({"items": [], "next_cursor": None})), []
    client(api, waits).list_logs(account_id="账号 1&x=2", from_="2026-11-01T00:00:00Z")
    url = api.sent[0][1]
    assert "account_id=%E8%B4%A6%E5%8F%B7+1%26x%3D2" in url and "from=2026-11-01" in url and "to=" not in url


def _signed(secret: str, body: bytes) -> dict[str, str]:
    from chalicelib.identity.providers import signed_headers  # the API's own signer

    return signed_headers(secret, body)


def test_a_delivery_signed_by_the_api_verifies():
    body = json.dumps({"delivery_id": "whd_1", "type": "case.decided", "case": {"case_id": "cas_1"}},
                      ensure_ascii=False).encode()
    assert verify_webhook("s3cret", _signed("s3cret", body), body)["delivery_id"] == "whd_1"


@pytest.mark.parametrize("tamper", ["body", "secret", "stale", "future", "no-signature", "no-timestamp",
                                    "non-digit-timestamp", "non-ascii-signature", "upper-header-names"])
def test_a_forged_replayed_or_stale_delivery_is_refused(tamper):
    # GIVEN a genuine delivery, then changed the way a forger or a replayer would
    body = b'{"delivery_id":"whd_1","type":"appeal.decided"}'
    headers = _signed("s3cret", body)
    secret, now = "s3cret", float(headers["X-Compliance-Timestamp"])
    if tamper == "body":
        body = body.replace(b"appeal", b"case")
    elif tamper == "secret":
        secret = "guess"
    elif tamper == "stale":
        now += 301
    elif tamper == "future":
        now -= 301
    elif tamper == "no-signature":
        del headers["X-Compliance-Signature"]
    elif tamper == "no-timestamp":
        del headers["X-Compliance-Timestamp"]
    elif tamper == "non-digit-timestamp":
        headers["X-Compliance-Timestamp"] = "１７００"
    elif tamper == "non-ascii-signature":
        headers["X-Compliance-Signature"] = "é" * 64
    else:  # header names in another case are the same headers: this one must verify
        headers = {name.upper(): value for name, value in headers.items()}
        assert verify_webhook(secret, headers, body, now=now)
        return
    # THEN it is refused with WebhookSignatureError, never another exception
    with pytest.raises(WebhookSignatureError):
        verify_webhook(secret, headers, body, now=now)
