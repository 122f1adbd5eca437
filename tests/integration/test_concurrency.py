"""Concurrent writers against a moto server (the in-process mock is not thread-safe).

50 registrations at once against a limit of 5 give exactly 5 accounts; concurrent appends to
the audit trail never fork the chain; the same Idempotency-Key sent concurrently applies once.
"""

from __future__ import annotations

import random
import threading
from collections import Counter

import pytest

from tests import factories

WORKERS = 50
LIMIT = 5
JOINERS = 20  # twice the group's free places, released together (each joiner a verified person)


@pytest.fixture(scope="module")
def server_backend():
    """A moto server that applies one request at a time.

    moto applies a TransactWriteItems item by item and restores a copy of the table when one
    fails, without a lock, so two concurrent transactions can both pass their conditions (and a
    rollback can undo another's write). Real DynamoDB transactions are serializable. Holding a
    lock per request gives that guarantee back; what stays concurrent is what is under test:
    our writers interleaving their reads and conditional writes across requests.
    """
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    backend = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    def one_at_a_time(environ, start_response):  # noqa: ANN001, ANN202
        with lock:
            return list(backend(environ, start_response))

    server = make_server("127.0.0.1", 0, one_at_a_time, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def stack(server_backend, monkeypatch):
    from chalicelib.core import aws
    from infra import resources

    monkeypatch.setenv("AWS_ENDPOINT_URL", server_backend)
    monkeypatch.setenv("RESOURCE_PREFIX", f"concurrency-{random.randrange(10**9)}")
    aws.reset()
    names = resources.create_all(f"c{random.randrange(10**9)}", "cn-north-1")
    for name, value in resources.environment(names).items():
        monkeypatch.setenv(name, value)
    yield
    aws.reset()


def run_all(action, count: int) -> list[tuple[int, dict]]:
    """`action(n)` in `count` threads released together; (status, body or error envelope) each.

    The services are called directly: Chalice's test client and local server keep the current
    request on the app object and swap os.environ per request, neither of which is thread-safe
    (a Lambda container serves one request at a time, so production never shares them)."""
    from chalicelib.core.errors import ComplianceError

    results: list[tuple[int, dict]] = [None] * count  # type: ignore[list-item]
    start = threading.Barrier(count)

    def work(n: int) -> None:
        start.wait()
        try:
            results[n] = (201, action(n))
        except ComplianceError as error:
            results[n] = (error.status, error.envelope())

    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_concurrent_registrations_never_exceed_the_limit_and_the_chain_stays_whole(stack):
    from chalicelib.accounts import account_views, registration as accounts
    from chalicelib.audit import verification as audit
    from chalicelib.core import policy
    from chalicelib.core.auth import Principal
    from chalicelib.identity import verification
    from chalicelib.tenants import service as tenants

    tenants.create_tenant("Concurrency", tenant_id="conc", sandbox=True)
    policy.apply_patch("conc", {"accounts": {"max_per_subject": {"PERSON": LIMIT}}})
    principal = Principal("conc", "key_0000000000000000", sandbox=True)
    subject_id = verification.verify(principal, {
        "subject_type": "PERSON", "real_name": "甲",
        "document": {"type": "RESIDENT_ID", "number": factories.resident_id(random.Random(1))}}, None)["subject_id"]

    results = run_all(lambda n: accounts.register("conc", {"subject_id": subject_id, "account_type": "USER",
                                                          "name": f"普通用户{n:02d}"}), WORKERS)
    outcomes = Counter(status if status == 201 else body["error"]["code"] for status, body in results)
    assert outcomes == {201: LIMIT, "LIMIT_REACHED": WORKERS - LIMIT}
    listed = account_views.of_subject("conc", subject_id, 100, None)
    assert listed["accounts"] == LIMIT and len(listed["items"]) == LIMIT
    verdict = audit.verify("conc")
    assert verdict["verified"] is True
    assert verdict["checked"] == 3 + LIMIT  # key, policy, verification, then one event per account


def test_one_idempotency_key_sent_concurrently_applies_once(stack):
    from chalicelib.core.auth import Principal
    from chalicelib.dispositions import records, service as dispositions
    from chalicelib.tenants import service as tenants

    tenants.create_tenant("Concurrency", tenant_id="idem", sandbox=True)
    principal = Principal("idem", "key_0000000000000001", sandbox=True)
    body = {"target": {"type": "ACCOUNT", "id": "a-1"}, "type": "SUSPEND_UPDATES", "statement": "s",
            "ground": {"article": "PA2020-19", "category": "SPAM"}, "automated": True}
    results = run_all(lambda n: dispositions.create(principal, dict(body), "same-key"), 10)
    created = [b for s, b in results if s == 201]
    assert created and all(b == created[0] for b in created)
    assert {b["error"]["code"] for s, b in results if s != 201} <= {"IDEMPOTENCY_IN_PROGRESS"}
    assert len(records.restrictions("idem", "ACCOUNT", "a-1")["restrictions"]) == 1


def test_concurrent_reports_on_one_target_make_one_case_with_every_report(stack):
    from chalicelib.audit import verification as audit
    from chalicelib.reports import intake as reports
    from chalicelib.tenants import service as tenants

    tenants.create_tenant("Concurrency", tenant_id="rep", sandbox=True)
    count = 20

    def file(n: int) -> dict:
        return reports.submit("rep",
                              {"reporter": {"account_id": f"r-{n}"}, "target": {"type": "CONTENT", "id": "post-1"},
                                      "category": "RUMOUR" if n % 2 else "SPAM", "description": "d"}, None)

    results = run_all(file, count)
    assert [s for s, _ in results] == [201] * count, [b for s, b in results if s != 201][:1]
    (case_id,) = {b["case_id"] for _, b in results}
    case = reports.store().case("rep", case_id)
    assert (case["reports"], case["category"]) == (count, "RUMOUR")  # no joiner lost, earliest deadline kept
    assert case["categories"] == {"RUMOUR": count // 2, "SPAM": count // 2}
    links, _ = reports.store().case_reports("rep", case_id)
    assert len(links) == count
    assert audit.verify("rep")["verified"] is True


def test_concurrent_joins_never_exceed_the_group_cap(stack):
    from chalicelib.audit import verification as audit
    from chalicelib.core import policy
    from chalicelib.core.auth import Principal
    from chalicelib.groups import founding as groups
    from chalicelib.identity import verification
    from chalicelib.tenants import service as tenants

    tenants.create_tenant("Concurrency", tenant_id="grp", sandbox=True)
    policy.apply_patch("grp", {"groups": {"max_members": {"PRIVATE": LIMIT * 2}}})
    principal = Principal("grp", "key_0000000000000002", sandbox=True)
    people = [verification.verify(principal, {
        "subject_type": "PERSON", "real_name": "甲",
        "document": {"type": "RESIDENT_ID", "number": factories.resident_id(random.Random(100 + n))}},
                                  None)["subject_id"]
        for n in range(JOINERS + 1)]
    group_id = groups.found("grp",
                            {"founder_subject_id": people[0], "group_type": "PRIVATE",
                             "name": "读书交流群"})["group_id"]
    results = run_all(lambda n: groups.join("grp", group_id, {"subject_id": people[1 + n]}), JOINERS)
    outcomes = Counter(status if status == 201 else body["error"]["code"] for status, body in results)
    assert outcomes == {201: LIMIT * 2 - 1, "GROUP_FULL": JOINERS - (LIMIT * 2 - 1)}
    assert int(groups.require("grp", group_id)["members"]) == LIMIT * 2
    assert audit.verify("grp")["verified"] is True
