"""The tenant's policy: every number the regulations leave open (see core/policy_rules.py)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core import policy
from chalicelib.core.errors import InvalidRequest
from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call, Param, Reply
from chalicelib.core.scopes import Scope

bp = Blueprint(__name__)

IF_MATCH = Param("If-Match", "The policy version last read (ETag); the change fails with 412 if it moved.",
                 {"type": "string", "pattern": '^(?:W/)?(?:"[0-9]{1,18}"|[0-9]{1,18})$'})


def _reply(view: policy.PolicyView) -> Reply:
    return Reply(view.as_body(), headers={"ETag": f'"{view.version}"'})


@operation(bp, "GET", "/v1/policy", scope=(Scope.ADMIN, Scope.INSPECT),
           summary="The tenant's effective policy, overrides and defaults", tag="policy",
           responses={200: "policy_view.json"}, articles=("PA2017-7", "GR2017-8", "MB2018-16"))
def get_policy(call: Call) -> Reply:
    return _reply(policy.current(call.tenant_id))


@operation(bp, "PUT", "/v1/policy", scope=Scope.ADMIN,
           summary="Change the policy with an RFC 7396 JSON merge patch", tag="policy",
           request_schema="policy_patch.json", responses={200: "policy_view.json"}, headers=(IF_MATCH,),
           errors=(409, 412, 422), content_types=("application/json", "application/merge-patch+json"),
           description="null removes an override and restores the documented default. "
                       "The merged policy is validated against policy.json before it is stored; scenes naming a "
                       "category, action or channel that does not exist, and reviews.due_hours keys naming no "
                       "scene, are 422 POLICY_SCENE_INVALID (MB2018-12).")
def put_policy(call: Call) -> Reply:
    return _reply(policy.apply_patch(call.tenant_id, call.body, if_match=_if_match(call.headers.get("if-match"))))


def _if_match(raw: str | None) -> int | None:
    if raw is None:
        return None
    value = raw.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidRequest("If-Match must be a policy version, e.g. \"3\".",
                             message_zh="If-Match 必须是策略版本号，例如 \"3\"。", code="IF_MATCH_INVALID")
    return int(value)
