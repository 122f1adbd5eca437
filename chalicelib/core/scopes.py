"""API key scopes: what a key may do (least privilege, PA2017-13, GR2017-11).

Each scope names one job a platform gives a service. Every non-public operation declares the scopes that
grant it (`@operation(..., scope=...)`); a key grants only the scopes it holds. `admin` is policy writes
and the API keys themselves; it does not imply the others, so the key that manages keys is not also the
key that decides cases. `inspect` is given to the operations an inspector reads (audit trail and its
verification, filings, cases and their stats, logs, policy, masked subjects, restrictions, credit) and
to nothing that writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Scope(StrEnum):
    ADMIN = "admin"            # policy writes, API keys
    CHECKS = "checks"          # validation and every check: names, avatars, content, rumour matching, blacklist
    IDENTITY = "identity"      # verifications, qualifications, upfront (V) verifications, subjects
    ACCOUNTS = "accounts"      # accounts, groups, transfers, activity
    MODERATION = "moderation"  # reports, cases, decisions, dispositions and revocation, appeals, blacklist removal
    INGEST = "ingest"          # logs, metrics, content actions
    LEXICON = "lexicon"        # names lists, avatar banks, rumours
    INSPECT = "inspect"        # read-only: what an inspector reads


EVERY_SCOPE: frozenset[Scope] = frozenset(Scope)
# Operations any valid key may call (who am I): declared as granted by every scope.
ANY_KEY: tuple[Scope, ...] = tuple(Scope)


def granting(declared: Scope | Iterable[Scope] | None) -> frozenset[Scope]:
    """The scopes an operation declares, as a set (one scope or several, any of which grants it)."""
    if declared is None:
        return frozenset()
    if isinstance(declared, Scope):
        return frozenset({declared})
    return frozenset(declared)


def parse(names: Iterable[str] | None) -> frozenset[Scope]:
    """Scopes as stored on a key. A key stored before scopes existed carries none and holds every scope."""
    if names is None:
        return EVERY_SCOPE
    known = {scope.value for scope in Scope}
    return frozenset(Scope(name) for name in names if name in known)


def ordered(held: Iterable[Scope]) -> list[str]:
    """Scopes in their declaration order, as the API shows them."""
    chosen = set(held)
    return [scope.value for scope in Scope if scope in chosen]
