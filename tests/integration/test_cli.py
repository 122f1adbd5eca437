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
