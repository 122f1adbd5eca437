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


def test_the_generated_operations_are_those_of_the_live_document():
    # GIVEN the document the app serves WHEN the client's operations are generated from it again
    import importlib.util

    spec = importlib.util.spec_from_file_location("client_generator", GENERATOR)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    fresh = generator.formatted(generator.generate(generator.live_document()))
    # THEN they are exactly the checked-in module (python clients/python/generate.py after an API change)
    assert fresh == generator.TARGET.read_text(encoding="utf-8"), "drifted: run python clients/python/generate.py"


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
