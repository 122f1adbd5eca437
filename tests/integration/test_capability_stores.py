"""One contract per capability store (accounts, groups, logs, metrics, rumours; the other stores' are in
test_capability_stores_*.py, one file per capability or pair), run against DynamoDB (moto) and the in-memory
fake alike, so the fakes the use-case tests run on never drift: the same condition refuses the same op, by
its position in the transaction, and nothing of a refused transaction is kept."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.accounts import store as accounts_store
from chalicelib.accounts.memory_store import MemoryAccountsStore
from chalicelib.core.audit_chain import Event
from chalicelib.core.audit_trail import ConditionFailed
from chalicelib.core.errors import InvalidRequest
from chalicelib.groups import store as groups_store
from chalicelib.groups.memory_store import MemoryGroupsStore
from chalicelib.logs import store as logs_store
from chalicelib.logs.memory_store import MemoryLogsStore
from chalicelib.metrics import store as metrics_store
from chalicelib.metrics.memory_store import MemoryMetricsStore
from chalicelib.rumours import store as rumours_store
from chalicelib.rumours.memory_store import MemoryRumoursStore

T = "acme"
NOW = 1_795_000_000  # 2026-11-18, epoch seconds
CHANGE = Event("test.change", {}, 30)


def either(request: pytest.FixtureRequest, memory: Any, dynamodb: Any) -> Any:
    if request.param == "memory":
        return memory()
    request.getfixturevalue("backend")
    return dynamodb()


@pytest.fixture(params=["dynamodb", "memory"])
def accounts(request):
    return either(request, MemoryAccountsStore, accounts_store.store)


@pytest.fixture(params=["dynamodb", "memory"])
def groups(request):
    return either(request, MemoryGroupsStore, groups_store.store)


@pytest.fixture(params=["dynamodb", "memory"])
def logs(request):
    return either(request, MemoryLogsStore, logs_store.store)


@pytest.fixture(params=["dynamodb", "memory"])
def metrics(request):
    return either(request, MemoryMetricsStore, metrics_store.store)


@pytest.fixture(params=["dynamodb", "memory"])
def rumours(request):
    return either(request, MemoryRumoursStore, rumours_store.store)


def refused_at(commit: Any, *args: Any) -> int:
    with pytest.raises(ConditionFailed) as refused:
        commit(*args)
    return refused.value.index


# -- accounts (PA2017-7, PA2020-10, PA2020-11, PA2017-9) -----------------------------------------

def an_account(n: int, subject: str = "sub_a", **extra: Any) -> dict[str, Any]:
    return {"account_id": f"acc_{n}", "subject_id": subject, "subject_type": "PERSON", "account_type": "PUBLIC_ACCOUNT",
            "name": f"账号{n}", "status": "ACTIVE", "created_at": f"2026-11-18T08:00:0{n}Z", **extra}


def test_a_subjects_limit_refuses_the_counter_first_and_keeps_nothing_of_the_refused_account(accounts):
    # GIVEN a subject registered up to its limit of 2
    for n in (1, 2):
        accounts.commit(T, accounts.registration_ops(T, an_account(n), 2), CHANGE)
    # WHEN a third is registered THEN the counter (op 0) refuses it and nothing of it is stored
    assert refused_at(accounts.commit, T, accounts.registration_ops(T, an_account(3), 2), CHANGE) == 0
    assert accounts.account(T, "acc_3") is None
    assert (accounts.counter(T, "sub_a")["accounts"], accounts.counter(T, "sub_a")["public_accounts"]) == (2, 2)
    # AND the accounts are listed under the subject, page by page
    first, cursor = accounts.subject_accounts_page(T, "sub_a", 1, None)
    rest, end = accounts.subject_accounts_page(T, "sub_a", 5, cursor)
    assert [a["account_id"] for a in first + rest] == ["acc_1", "acc_2"] and end is None


def test_an_external_id_and_a_velocity_window_are_each_taken_once(accounts):
    velocity = accounts.velocity_op(T, "ip", "d" * 32, 1_795_000_000, 1, 1_795_007_200)
    accounts.commit(T, [velocity, *accounts.registration_ops(T, an_account(1, external_id="x-1"), 9)], CHANGE)
    # WHEN the window is full THEN its op (0) refuses; WHEN the external id is taken THEN its op (4) does
    again = accounts.velocity_op(T, "ip", "d" * 32, 1_795_000_000, 1, 1_795_007_200)
    assert refused_at(accounts.commit, T, [again, *accounts.registration_ops(T, an_account(2), 9)], CHANGE) == 0
    assert refused_at(accounts.commit, T, accounts.registration_ops(T, an_account(3, external_id="x-1"), 9),
                      CHANGE) == 4
    assert accounts.counter(T, "sub_a")["accounts"] == 1


def test_refusals_are_counted_and_a_hoarder_is_flagged(accounts):
    assert [accounts.count_velocity_refusal(T, "sub_a") for _ in range(3)] == [1, 2, 3]
    accounts.flag_hoarding(T, "sub_a")
    assert accounts.counter(T, "sub_a")["hoarding_flag"] is True


def test_last_activity_moves_forward_only_and_feeds_the_inactivity_index(accounts):
    accounts.commit(T, accounts.registration_ops(T, an_account(1), 9), CHANGE)
    assert accounts.touch(T, "acc_1", "2026-11-19T00:00:00Z") is True
    assert accounts.touch(T, "acc_1", "2026-11-18T12:00:00Z") is False  # PA2020-10: never back
    assert accounts.activity(T, "acc_1")["last_active_at"] == "2026-11-19T00:00:00Z"
    assert [i["GSI1SK"] for i in accounts.inactive_since(T, "2026-11-20")] == ["2026-11-19T00:00:00Z#acc_1"]
    assert accounts.inactive_since(T, "2026-11-19") == []
    accounts.leave_inactivity_index(T, "acc_1")
    assert accounts.inactive_since(T, "2026-11-20") == []
    assert set(accounts.accounts_by_id(T, ["acc_1", "acc_1", "acc_9"])) == {"acc_1"}


def test_suspension_and_reactivation_each_hold_only_from_the_status_before(accounts):
    accounts.commit(T, accounts.registration_ops(T, an_account(1), 9), CHANGE)
    notice = {"kind": "SUSPENDED_INACTIVE", "at": "2026-11-20T00:00:00Z", "article": "PA2020-10"}
    accounts.commit(T, accounts.suspension_ops(T, "acc_1", notice), CHANGE)
    assert refused_at(accounts.commit, T, accounts.suspension_ops(T, "acc_1", notice), CHANGE) == 0
    assert accounts.account(T, "acc_1")["suspension"]["kind"] == "SUSPENDED_INACTIVE"
    accounts.commit(T, accounts.reactivation_ops(T, "acc_1", "2026-11-21T00:00:00Z"), CHANGE)
    assert refused_at(accounts.commit, T, accounts.reactivation_ops(T, "acc_1", "2026-11-22T00:00:00Z"), CHANGE) == 0
    account = accounts.account(T, "acc_1")
    assert (account["status"], "suspension" in account) == ("ACTIVE", False)
    assert accounts.activity(T, "acc_1")["last_active_at"] == "2026-11-21T00:00:00Z"


def test_a_transfer_runs_once_and_holds_the_transferees_limit(accounts):
    # GIVEN an account of sub_a and a transferee sub_b already at its limit of 1
    for account in (an_account(1), an_account(2, subject="sub_b")):
        accounts.commit(T, accounts.registration_ops(T, account, 1), CHANGE)
    record = {"transfer_id": "tr_1", "account_id": "acc_1", "from_subject_id": "sub_a", "to_subject_id": "sub_b",
              "status": "APPLIED"}
    accounts.commit(T, accounts.transfer_application_ops(T, record), CHANGE)
    # WHEN a second transfer of the account is applied for THEN the account (op 0) refuses it
    other = {**record, "transfer_id": "tr_2"}
    assert refused_at(accounts.commit, T, accounts.transfer_application_ops(T, other), CHANGE) == 0
    moved = {**an_account(1), "subject_id": "sub_b"}
    transfer = accounts.transfer(T, "tr_1")
    step = accounts.transfer_step_op(T, transfer, "COMPLETED", {"completed_at": "2026-11-25T00:00:00Z"})
    ops = accounts.transfer_completion_ops(T, transfer, moved, 1, "2026-11-25T00:00:00Z")
    # THEN completing it past the transferee's limit is refused by its counter (op 0)
    assert refused_at(accounts.commit, T, [*ops, step], CHANGE) == 0
    step = accounts.transfer_step_op(T, transfer, "COMPLETED", {"completed_at": "2026-11-25T00:00:00Z"})
    accounts.commit(T, [*accounts.transfer_completion_ops(T, transfer, moved, 2, "2026-11-25T00:00:00Z"), step],
                    CHANGE)
    assert (accounts.counter(T, "sub_a")["accounts"], accounts.counter(T, "sub_b")["accounts"]) == (0, 2)
    assert accounts.account(T, "acc_1")["subject_id"] == "sub_b"
    assert accounts.transfer(T, "tr_1")["status"] == "COMPLETED"
    stale = accounts.transfer_step_op(T, transfer, "ANNOUNCED", {"announcement": {}})
    assert refused_at(accounts.commit, T, [stale], CHANGE) == 0


def test_a_cancellation_holds_on_the_count_it_read_and_happens_once(accounts):
    account = an_account(1, external_id="x-1", profile={"contact": "sealed", "content_types": ["NEWS"]})
    accounts.commit(T, accounts.registration_ops(T, account, 9), CHANGE)
    ops = accounts.cancellation_ops(T, account, "asked", 5, "2026-11-20T00:00:00Z", ["contact"])
    assert refused_at(accounts.commit, T, ops, CHANGE) == 1  # the count moved meanwhile: read again
    accounts.commit(T, accounts.cancellation_ops(T, account, "asked", 0, "2026-11-20T00:00:00Z", ["contact"]), CHANGE)
    stored = accounts.account(T, "acc_1")
    assert (stored["status"], stored["profile"]) == ("CANCELLED", {"content_types": ["NEWS"]})
    assert accounts.counter(T, "sub_a")["accounts"] == 0
    again = accounts.cancellation_ops(T, account, "asked", -1, "2026-11-21T00:00:00Z", [])
    assert refused_at(accounts.commit, T, again, CHANGE) == 0


# -- groups (GR2017-8) ---------------------------------------------------------------------------

def a_group(n: int, founder: str = "sub_f") -> tuple[dict[str, Any], dict[str, Any]]:
    group = {"group_id": f"grp_{n}", "name": f"群{n}", "group_type": "PRIVATE", "founder_subject_id": founder,
             "members": 1, "managers": 0, "status": "ACTIVE", "created_at": "2026-11-18T08:00:00Z"}
    return group, {"subject_id": founder, "role": "FOUNDER", "joined_at": "2026-11-18T08:00:00Z"}


def member(subject: str, role: str = "MEMBER") -> dict[str, Any]:
    return {"subject_id": subject, "role": role, "joined_at": "2026-11-18T09:00:00Z"}


def test_a_subject_founds_up_to_its_cap(groups):
    groups.commit(T, groups.founding_ops(T, *a_group(1), 1, 5), CHANGE)
    assert refused_at(groups.commit, T, groups.founding_ops(T, *a_group(2), 1, 5), CHANGE) == 0
    assert groups.group(T, "grp_2") is None
    assert (groups.counter(T, "sub_f")["founded"], groups.group(T, "grp_1")["members"]) == (1, 1)


def test_joining_refuses_a_member_twice_a_full_group_and_a_subject_past_its_cap(groups):
    groups.commit(T, groups.founding_ops(T, *a_group(1), 5, 5), CHANGE)
    groups.commit(T, groups.join_ops(T, "grp_1", member("sub_1"), 3, 1), CHANGE)
    assert refused_at(groups.commit, T, groups.join_ops(T, "grp_1", member("sub_1"), 3, 9), CHANGE) == 0
    groups.commit(T, groups.founding_ops(T, *a_group(2, founder="sub_g"), 5, 5), CHANGE)
    assert refused_at(groups.commit, T, groups.join_ops(T, "grp_2", member("sub_1"), 3, 1), CHANGE) == 2
    groups.commit(T, groups.join_ops(T, "grp_1", member("sub_2"), 3, 1), CHANGE)
    assert refused_at(groups.commit, T, groups.join_ops(T, "grp_1", member("sub_3"), 3, 1), CHANGE) == 1
    assert groups.group(T, "grp_1")["members"] == 3 and groups.member(T, "grp_1", "sub_3") is None
    first, cursor = groups.members_page(T, "grp_1", 2, None)
    rest, end = groups.members_page(T, "grp_1", 2, cursor)
    assert len(first + rest) == 3 and end is None


def test_managers_are_capped_and_a_role_changes_only_from_the_one_read(groups):
    groups.commit(T, groups.founding_ops(T, *a_group(1), 5, 5), CHANGE)
    for subject in ("sub_1", "sub_2"):
        groups.commit(T, groups.join_ops(T, "grp_1", member(subject), 9, 9), CHANGE)
    groups.commit(T, groups.role_ops(T, "grp_1", "sub_1", "MEMBER", "MANAGER", 1), CHANGE)
    assert refused_at(groups.commit, T, groups.role_ops(T, "grp_1", "sub_2", "MEMBER", "MANAGER", 1), CHANGE) == 1
    assert refused_at(groups.commit, T, groups.role_ops(T, "grp_1", "sub_2", "MANAGER", "MEMBER", 1), CHANGE) == 0
    assert [m["subject_id"] for m in groups.managers(T, "grp_1")] == ["sub_1"]
    # WHEN a manager leaves (named by the role read) THEN both counts go down; a wrong role is refused (op 0)
    assert refused_at(groups.commit, T, groups.leave_ops(T, "grp_1", "sub_1", "MEMBER"), CHANGE) == 0
    groups.commit(T, groups.leave_ops(T, "grp_1", "sub_1", "MANAGER"), CHANGE)
    group = groups.group(T, "grp_1")
    assert (group["members"], group["managers"], groups.counter(T, "sub_1")["joined"]) == (2, 0, 0)


# -- logs (MB2018-16) ----------------------------------------------------------------------------

def a_log(n: int, at: str, ttl: int = NOW + 86400, account: str = "acct-1", sha: str | None = "a" * 64) -> dict:
    event = {"event_id": f"e{n}", "account_id": account, "type": "PUBLISH", "at": at, "content_sha256": sha}
    return logs_store.item(T, {k: v for k, v in event.items() if v}, at, ttl)


def test_log_events_are_kept_once_paged_by_time_and_read_back_only_while_unexpired(logs):
    logs.put([a_log(1, "2026-11-10T00:00:00Z"), a_log(2, "2026-11-11T00:00:00Z", ttl=NOW - 1),
              a_log(3, "2026-11-12T00:00:00Z"), a_log(3, "2026-11-12T00:00:00Z"), a_log(4, "2026-11-13T00:00:00Z")])
    page, cursor = logs.page(T, "acct-1", "2026-11-10T00:00:00Z", "2026-11-12T23:59:59Z", 2, None, NOW)
    assert [e["event_id"] for e in page] == ["e1"] and cursor  # the limit counts the expired e2, as DynamoDB does
    rest, end = logs.page(T, "acct-1", "2026-11-10T00:00:00Z", "2026-11-12T23:59:59Z", 2, cursor, NOW)
    assert [e["event_id"] for e in rest] == ["e3"] and end is None
    assert [e["event_id"] for e in logs.by_content(T, "a" * 64)] == ["e1", "e2", "e3", "e4"]


def test_a_cursor_of_another_partition_is_refused(logs):
    logs.put([a_log(n, f"2026-11-1{n}T00:00:00Z") for n in range(3)])
    _, cursor = logs.page(T, "acct-1", "0", "9", 1, None, NOW)
    with pytest.raises(InvalidRequest) as refused:
        logs.page(T, "acct-2", "0", "9", 1, cursor, NOW)
    assert refused.value.error_code == "CURSOR_INVALID"


# -- metrics (PA2020-12) -------------------------------------------------------------------------

def readings(*hours: int, value: int = 10, ttl: int = NOW + 86400) -> list[dict[str, Any]]:
    return [{"account_id": "acct-1", "metric": "FOLLOWERS", "at": f"2026-11-18T{h:02d}:00:00Z", "value": value + h,
             "ttl": ttl} for h in hours]


def test_a_series_is_marked_from_its_earliest_new_reading_and_unmarked_only_if_unchanged(metrics):
    metrics.put_readings(T, readings(3, 4) + readings(1, ttl=NOW - 1))
    metrics.mark_touched(T, "acct-1", "FOLLOWERS", "2026-11-18T03:00:00Z")
    metrics.mark_touched(T, "acct-1", "FOLLOWERS", "2026-11-18T04:00:00Z")  # a later mark leaves the earlier
    (marker,) = metrics.touched(T)
    assert marker["since"] == "2026-11-18T03:00:00Z"
    assert [r["value"] for r in metrics.readings_since(T, "acct-1", "FOLLOWERS", "2026-11-18T00", NOW)] == [13, 14]
    assert metrics.latest(T, "acct-1", "FOLLOWERS") == 14 and metrics.latest(T, "acct-1", "READS") is None
    metrics.mark_touched(T, "acct-1", "FOLLOWERS", "2026-11-18T02:00:00Z")  # new readings meanwhile
    assert metrics.evaluated(marker) is False and len(metrics.touched(T)) == 1
    (moved,) = metrics.touched(T)
    assert metrics.evaluated(moved) is True and metrics.touched(T) == []


def test_flags_are_listed_newest_first_and_only_while_unexpired(metrics):
    flags = [{"account_id": "acct-1", "metric": "FOLLOWERS", "at": f"2026-11-18T0{h}:00:00Z", "article": "PA2020-12",
              "ttl": NOW + 1 if h != 2 else NOW - 1} for h in (1, 2, 3)]
    metrics.put_flags(T, flags)
    page, cursor = metrics.flags_page(T, "acct-1", 2, None, NOW)
    rest, end = metrics.flags_page(T, "acct-1", 2, cursor, NOW)
    assert [f["at"][11:13] for f in page + rest] == ["03", "01"] and end is None


# -- rumours (MB2018-11) -------------------------------------------------------------------------

def test_a_registration_bumps_the_version_and_an_hours_alert_is_raised_once(rumours):
    for n in (1, 2):
        rumour = {"rumour_id": f"rum_{n}", "claim": "谣言", "samples": [], "status": "ACTIVE"}
        assert rumours.commit(T, rumours.registration_ops(T, rumour), CHANGE) == n
    assert sorted(r["rumour_id"] for r in rumours.all_rumours(T)) == ["rum_1", "rum_2"]
    assert rumours.rumour(T, "rum_1")["claim"] == "谣言" and rumours.rumour(T, "rum_9") is None
    for at, account in (("2026-11-18T08:00:00Z", "b"), ("2026-11-18T07:00:00Z", "a")):
        rumours.add_sighting(T, "rum_1", {"account_id": account, "at": at, "content_id": None})
    assert [s["account_id"] for s in rumours.sightings(T, "rum_1")] == ["a", "b"]
    assert [rumours.count_in_hour(T, "rum_1", "2026-11-18T08", NOW) for _ in range(2)] == [1, 2]
    alert = {"rumour_id": "rum_1", "hour": "2026-11-18T08", "sightings": 2}
    assert (rumours.raise_alert(T, alert), rumours.raise_alert(T, alert)) == (True, False)
    rumours.raise_alert(T, {**alert, "hour": "2026-11-18T09"})
    page, _ = rumours.alerts_page(T, 5, None)
    assert [a["hour"] for a in page] == ["2026-11-18T09", "2026-11-18T08"]
