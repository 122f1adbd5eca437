"""An account's activity, suspension for inactivity and reactivation (PA2020-10) on the in-memory
stores: no AWS, milliseconds."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.accounts import account_views, lifecycle, store as storage
from chalicelib.core import audit_events as audit, clock, ids
from chalicelib.core.errors import Conflict, Unprocessable
from tests.factories import NameCheckInScene

START = datetime(2026, 11, 1, tzinfo=timezone.utc)


def at(days: float) -> str:
    return clock.iso(START + timedelta(days=days))


def an_account(name: str) -> str:
    """GIVEN an ACTIVE account registered at START."""
    account_id = ids.new(ids.Kind.ACCOUNT)
    account = {"account_id": account_id, "subject_id": "sub_a", "subject_type": "PERSON", "account_type": "USER",
               "name": name, "status": "ACTIVE", "created_at": at(0)}
    store = storage.store()
    store.commit("acme", store.registration_ops("acme", account, 10), audit.event("acme", "account.register"))
    return account_id


def days_later(days: float) -> None:
    clock.set_source((START + timedelta(days=days)).timestamp)


def test_activity_moves_forward_only_and_never_into_the_future(fakes):
    account_id = an_account("普通用户")
    days_later(10)
    assert lifecycle.record_activity("acme", account_id, at(5))["last_active_at"] == at(5)
    assert lifecycle.record_activity("acme", account_id, at(2))["last_active_at"] == at(5)
    with pytest.raises(Unprocessable) as future:
        lifecycle.record_activity("acme", account_id, at(11))
    assert future.value.error_code == "AT_IN_FUTURE"


def test_an_unused_account_is_suspended_once_with_its_notice_and_reactivated_by_request(fakes):
    idle, busy = an_account("一号"), an_account("二号")
    days_later(100)
    lifecycle.record_activity("acme", busy, None)
    # WHEN the sweep runs 184 days after registration (the default limit is 180 days without use)
    days_later(184)
    assert lifecycle.suspend_inactive("acme") == 1
    assert lifecycle.suspend_inactive("acme") == 0  # it left the index: never suspended twice
    # THEN only the idle account is suspended, with the article and its last activity in the notice
    suspended = account_views.get("acme", idle)
    assert (suspended["status"], suspended["suspension"]["article"]) == ("SUSPENDED", "PA2020-10")
    assert suspended["suspension"]["last_active_at"] == at(0)
    assert account_views.get("acme", busy)["status"] == "ACTIVE"
    with pytest.raises(Conflict) as not_suspended:
        lifecycle.reactivate("acme", busy)
    assert not_suspended.value.error_code == "ACCOUNT_NOT_SUSPENDED"
    back = lifecycle.reactivate("acme", idle)
    assert (back["status"], back["last_active_at"]) == ("ACTIVE", at(184))
    assert "suspension" not in account_views.get("acme", idle)
    assert fakes.events(fakes.accounts).count("account.suspend_inactive") == 1


def test_registration_checks_the_name_in_the_scene_it_names_and_the_account_records_it(fakes, monkeypatch):
    # GIVEN a policy scene, a verified unrestricted subject, and the name check stood in (tests/api check names)
    from chalicelib.accounts import registration, registration_reads
    from chalicelib.core import policy

    policy.apply_patch("acme", {"scenes": {"comment": {"terms": {"set_action": [{"to": "REJECT"}]}}}})
    subject = {"subject_id": "sub_a", "subject_type": "PERSON"}
    monkeypatch.setattr(registration_reads, "read", lambda *args: registration_reads.RegistrationReads(subject, None))
    monkeypatch.setattr(registration.gates, "gate_from", lambda *args: (subject, {"allowed": True, "reasons": []}))
    monkeypatch.setattr(registration.upfront, "refuse_erased", lambda subject: None)
    name_check = NameCheckInScene()
    monkeypatch.setattr(registration.names, "check_name", name_check)
    body = {"subject_id": "sub_a", "account_type": "USER", "name": "普通用户"}
    # WHEN registered naming a scene THEN the account name is checked there and the account keeps it
    account = registration.register("acme", {**body, "scene": "comment"})
    assert name_check.asked == [("account_name", "comment")] and account["status"] == "UNDER_REVIEW"
    assert account["name_check"] == {"decision": "REVIEW", "hits": [], "scene": {"name": "comment"}}
    # WHEN registered naming none THEN as before: no scene asked, none kept
    assert "scene" not in registration.register("acme", body)["name_check"]
    # WHEN the scene is not the policy's THEN 422 SCENE_UNKNOWN before anything is read, checked or written
    monkeypatch.setattr(registration_reads, "read", lambda *args: pytest.fail("read before the scene was known"))
    with pytest.raises(Unprocessable) as refused:
        registration.register("acme", {**body, "scene": "live_chat"})
    assert refused.value.error_code == "SCENE_UNKNOWN" and len(name_check.asked) == 2
    assert fakes.events().count("account.register") == 2
