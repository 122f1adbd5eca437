"""What an API operation declares, once (`@operation`, core/operation.py), and what its handler receives
and answers: `Operation` with its `Param`s is what the route table and the OpenAPI document (core/openapi.py)
are built from, so the document cannot drift from the routes; `Call` and `Reply` are the handler's side.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from chalicelib.core import audit_trail
from chalicelib.core.auth import Principal
from chalicelib.core.scopes import Scope

JSON_TYPES = ("application/json",)


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})
    required: bool = False


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    tag: str
    responses: Mapping[int, str]
    request_schema: str | None = None
    public: bool = False
    articles: tuple[str, ...] = ()
    query: tuple[Param, ...] = ()
    headers: tuple[Param, ...] = ()
    errors: tuple[int, ...] = ()
    content_types: tuple[str, ...] = JSON_TYPES
    description: str = ""
    # What the success answer hands on: parameter name -> JSON pointer into the body (OpenAPI links, core/openapi.py)
    produces: Mapping[str, str] = field(default_factory=dict)
    # A path parameter narrower than PATH_ID, as its handler checks it (documented, core/openapi.py)
    path_schemas: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    # The key scopes that grant this operation, any one of them (core/scopes.py); public operations none
    scope: Scope | tuple[Scope, ...] | None = None
    # A moderation decision (a case or appeal decided, a disposition made or revoked): policy
    # moderation.require_actor makes X-Actor required on it (PA2017-13, GR2017-11)
    decision: bool = False


@dataclass(frozen=True)
class Call:
    """What a handler receives: the caller, the validated body and the request's parts."""

    principal: Principal | None
    body: Any
    path: Mapping[str, str]
    query: Mapping[str, Any]  # parsed by the parameters' schemas: integers are ints
    headers: Mapping[str, str]
    request_id: str
    lambda_context: Any = None

    @property
    def caller(self) -> Principal:
        assert self.principal is not None, "public operations have no caller"
        return self.principal

    @property
    def tenant_id(self) -> str:
        return self.caller.tenant_id

    @property
    def actor(self) -> str | None:
        """The platform's own id of the person or service acting (X-Actor, validated), or None.

        What a decision records as `decided_by`, beside the key id (`caller.key_id`), which the audit
        event records anyway (PA2017-13, GR2017-11)."""
        return audit_trail.current_x_actor.get() if self.principal is not None else None


@dataclass(frozen=True)
class Reply:
    body: Any
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


Handler = Callable[[Call], Any]

# Every state-changing request may say who acted for the platform; checked as a declared header
# (400 ACTOR_INVALID) and recorded beside the key id on the audit event (PA2017-13, GR2017-11).
X_ACTOR = Param("X-Actor", "The platform's own id of the person or service acting; recorded with the key id on the "
                "audit event and on decisions.", {"type": "string", "pattern": "^[A-Za-z0-9_.:@-]{1,128}$"})

OPERATIONS: dict[tuple[str, str], Operation] = {}
_PATH_PARAM = re.compile(r"{([^}]+)}")


def path_params(path: str) -> list[str]:
    return _PATH_PARAM.findall(path)
