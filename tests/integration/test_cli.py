"""The operator CLI creates tenants and keys, prints a key once, and revokes."""

from __future__ import annotations

import json

from chalicelib import cli
from chalicelib.core import auth


def run(capsys, *argv: str) -> tuple[int, object]:
    code = cli.run(list(argv))
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else json.loads(captured.err)


def test_create_a_tenant_then_rotate_and_revoke_its_keys(backend, capsys):
    code, created = run(capsys, "tenants", "create", "--name", "Weibo-like", "--id", "weibo", "--sandbox")
    assert code == 0 and created["tenant_id"] == "weibo" and created["sandbox"] is True
    assert auth.authenticate(created["api_key"]).tenant_id == "weibo"

    code, second = run(capsys, "keys", "create", "--tenant", "weibo", "--label", "rotation")
    assert code == 0 and second["api_key"] != created["api_key"]
    code, listed = run(capsys, "keys", "list", "--tenant", "weibo")
    assert {k["key_id"] for k in listed} == {created["key_id"], second["key_id"]}
    assert "api_key" not in json.dumps(listed)

    code, revoked = run(capsys, "keys", "revoke", "--tenant", "weibo", "--key-id", created["key_id"], "--reason",
                        "rotated")
    assert code == 0 and revoked["status"] == "REVOKED"
    code, tenants = run(capsys, "tenants", "list")
    assert [t["tenant_id"] for t in tenants] == ["weibo"]


def test_errors_are_printed_as_the_envelope_with_a_non_zero_exit(backend, capsys):
    run(capsys, "tenants", "create", "--name", "A", "--id", "dup")
    code, error = run(capsys, "tenants", "create", "--name", "B", "--id", "dup")
    assert code == 1 and error["error"]["code"] == "TENANT_EXISTS"
    code, error = run(capsys, "keys", "create", "--tenant", "nobody")
    assert code == 1 and error["error"]["code"] == "TENANT_NOT_FOUND"
    code, error = run(capsys, "tenants", "create", "--name", "C", "--id", "Bad Id!")
    assert code == 1 and error["error"]["code"] == "TENANT_ID_INVALID"


def test_an_operator_key_can_hold_only_the_scopes_asked_for_and_expire(backend, capsys):
    import pytest

    from chalicelib.core.scopes import Scope

    # GIVEN a tenant
    run(capsys, "tenants", "create", "--name", "Forum", "--id", "forum")
    # WHEN the operator makes a key for a sign-up service with two scopes and an expiry (any offset)
    code, made = run(capsys, "keys", "create", "--tenant", "forum", "--label", "signup", "--scopes", "checks, identity",
                     "--expires-at", "2099-01-01T08:00:00+08:00")
    # THEN the key holds exactly those scopes and expires at that instant, in UTC (PA2017-13)
    assert code == 0 and made["scopes"] == ["checks", "identity"] and made["expires_at"] == "2099-01-01T00:00:00Z"
    assert auth.authenticate(made["api_key"]).scopes == frozenset({Scope.CHECKS, Scope.IDENTITY})
    # AND without --scopes the key holds every scope, as before
    code, full = run(capsys, "keys", "create", "--tenant", "forum")
    assert set(full["scopes"]) == {s.value for s in Scope}
    # AND an unknown scope, an empty list or a time without an offset is refused before anything is written
    for bad in (["--scopes", "checks,root"], ["--scopes", ","], ["--expires-at", "2099-01-01T08:00:00"],
                ["--expires-at", "tomorrow"]):
        with pytest.raises(SystemExit) as refused:
            cli.run(["keys", "create", "--tenant", "forum", *bad])
        assert refused.value.code == 2
    capsys.readouterr()
    code, listed = run(capsys, "keys", "list", "--tenant", "forum")
    assert len(listed) == 3
    # AND an expiry already past is the API's own refusal
    code, error = run(capsys, "keys", "create", "--tenant", "forum", "--expires-at", "2001-01-01T00:00:00Z")
    assert code == 1 and error["error"]["code"] == "API_KEY_EXPIRY_PAST"


def test_the_operator_acts_for_the_command_only(backend, capsys):
    from chalicelib.core import audit_trail

    # GIVEN a command run in-process (make job and the tests do)
    run(capsys, "tenants", "create", "--name", "Blog", "--id", "blog")
    # THEN its events name the operator, and what the process records next names its own actor again
    assert audit_trail.current_actor.get() == "system"
