"""Operator CLI: tenants, their API keys, and filing exports.

    python -m chalicelib.cli tenants create --name "Example Platform" [--id example] [--sandbox]
    python -m chalicelib.cli tenants list
    python -m chalicelib.cli keys create --tenant example [--label rotation-2026] [--scopes checks,identity]
                                         [--expires-at 2027-06-30T16:00:00Z]
    python -m chalicelib.cli keys list --tenant example
    python -m chalicelib.cli keys revoke --tenant example --key-id key_... --reason "leaked"
    python -m chalicelib.cli filings export --tenant example --period 2026-10   (or 2026-Q3)
    python -m chalicelib.cli audit restore-head --tenant example [--accept-loss]

It talks to the tables named by the environment (MAIN_TABLE or RESOURCE_PREFIX / STAGE),
with the operator's own AWS credentials. A new key is printed once and never again.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from chalicelib.audit import repair as audit_repair
from chalicelib.core import audit_trail, clock
from chalicelib.core.errors import ComplianceError
from chalicelib.core.scopes import EVERY_SCOPE, Scope, ordered
from chalicelib.filings import export as filings
from chalicelib.tenants import service as tenants


def _print(document: Any) -> None:
    print(json.dumps(document, ensure_ascii=False, indent=2))


def _key_row(key: Any) -> dict[str, Any]:
    return {"key_id": key.key_id, "hint": key.hint, "label": key.label, "status": key.status.value,
            "scopes": ordered(key.scopes), "expires_at": key.expires_at, "created_at": key.created_at,
            "revoked_at": key.revoked_at}


def _scopes(text: str) -> frozenset[Scope]:
    """`--scopes checks,identity`: least privilege for a key made by the operator (PA2017-13)."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = sorted(set(names) - {s.value for s in Scope})
    if not names or unknown:
        raise argparse.ArgumentTypeError(f"unknown or no scopes: {', '.join(unknown) or text!r}")
    return frozenset(Scope(name) for name in names)


def _instant(text: str) -> str:
    """An RFC 3339 instant with its offset, as UTC in the API's one spelling."""
    try:
        moment = clock.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an RFC 3339 instant with an offset: {text!r}") from exc
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"not an RFC 3339 instant with an offset: {text!r}")
    return clock.iso(moment)


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.cli", description=__doc__.split("\n")[0])
    groups = parser.add_subparsers(dest="group", required=True)

    tenant_cmds = groups.add_parser("tenants").add_subparsers(dest="command", required=True)
    create = tenant_cmds.add_parser("create", help="create a tenant and its first API key")
    create.add_argument("--name", required=True)
    create.add_argument("--id", dest="tenant_id")
    create.add_argument("--sandbox", action="store_true", help="may use the sandbox identity provider")
    tenant_cmds.add_parser("list")

    key_cmds = groups.add_parser("keys").add_subparsers(dest="command", required=True)
    for name in ("create", "list", "revoke"):
        sub = key_cmds.add_parser(name)
        sub.add_argument("--tenant", required=True)
        if name == "create":
            sub.add_argument("--label", default="")
            sub.add_argument("--scopes", type=_scopes, default=EVERY_SCOPE,
                             help="comma-separated: " + ",".join(s.value for s in Scope) + " (default: every scope)")
            sub.add_argument("--expires-at", type=_instant, help="RFC 3339 instant after which the key is refused")
        if name == "revoke":
            sub.add_argument("--key-id", required=True)
            sub.add_argument("--reason", required=True)

    filing_cmds = groups.add_parser("filings").add_subparsers(dest="command", required=True)
    export = filing_cmds.add_parser("export", help="export one ended period's filings to S3, with progress")
    export.add_argument("--tenant", required=True)
    export.add_argument("--period", required=True, help="2026-10 (a month) or 2026-Q3 (a quarter)")

    audit_cmds = groups.add_parser("audit").add_subparsers(dest="command", required=True)
    restore = audit_cmds.add_parser("restore-head", help="re-seal a missing or forged audit head (writes answer 503 "
                                                          "AUDIT_TRAIL_UNAVAILABLE until then)")
    restore.add_argument("--tenant", required=True)
    restore.add_argument("--accept-loss", action="store_true", help="restore over a broken or truncated chain")

    args = parser.parse_args(argv)
    acting = audit_trail.current_actor.set("operator")  # for this command only: a caller in the same process
    try:                                                   # (make job, a test) records as itself again after it
        return _dispatch(args)
    except ComplianceError as error:
        print(json.dumps(error.envelope(), ensure_ascii=False), file=sys.stderr)
        return 1
    finally:
        audit_trail.current_actor.reset(acting)


class Progress:
    """Records per stage and a bar for the upload, on stderr (stdout stays the JSON answer)."""

    WIDTH = 30

    def __init__(self, total: int, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.total = max(total, 1)
        self.counts: dict[str, int] = {}

    def __call__(self, stage: str, count: int) -> None:
        self.counts[stage] = self.counts.get(stage, 0) + count
        if stage == "upload":
            self.stream.write(f"\r  uploading files: {self.counts[stage]}")
        else:
            done = sum(v for k, v in self.counts.items() if k != "upload")
            filled = min(self.WIDTH, done * self.WIDTH // self.total)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self.stream.write(f"\r  [{bar}] {done:,}/{self.total:,} records ({stage})   ")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")


def _dispatch(args: argparse.Namespace) -> int:
    if args.group == "audit":
        _print(audit_repair.restore_head(tenants.find_tenant(args.tenant).tenant_id, accept_loss=args.accept_loss))
        return 0
    if args.group == "filings":
        tenant_id = tenants.find_tenant(args.tenant).tenant_id
        progress = Progress(filings.expected(tenant_id, args.period))
        try:
            answer = filings.export(tenant_id, args.period, progress=progress)
        finally:
            progress.close()
        _print({k: answer[k] for k in ("period", "generated_at", "manifest_key", "totals", "provinces")})
        return 0
    if args.group == "tenants" and args.command == "create":
        tenant, key, record = tenants.create_tenant(args.name, tenant_id=args.tenant_id, sandbox=args.sandbox)
        _print({"tenant_id": tenant.tenant_id, "name": tenant.name, "sandbox": tenant.sandbox,
                "key_id": record.key_id, "api_key": key, "note": "The API key is shown once; store it now."})
    elif args.group == "tenants":
        _print([{"tenant_id": t.tenant_id, "name": t.name, "sandbox": t.sandbox, "created_at": t.created_at}
                for t in tenants.list_tenants()])
    elif args.command == "create":
        key, record = tenants.issue_key(tenants.find_tenant(args.tenant), label=args.label, scopes=args.scopes,
                                        expires_at=args.expires_at)
        _print({**_key_row(record), "api_key": key, "note": "The API key is shown once; store it now."})
    elif args.command == "list":
        _print([_key_row(k) for k in tenants.list_keys(args.tenant)])
    else:
        _print(_key_row(tenants.revoke_key(args.tenant, args.key_id, reason=args.reason)))
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
