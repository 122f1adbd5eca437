"""Internet groups: founding, membership with labelled roles, caps, information pages (GR2017)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call, Param, Reply
from chalicelib.core.scopes import Scope
from chalicelib.groups import founding as groups, led, members as group_members

bp = Blueprint(__name__)
ARTICLES = ("GR2017-6", "GR2017-7", "GR2017-8", "GR2017-11")
MEMBER = "/v1/groups/{group_id}/members/{subject_id}"


@operation(bp, "POST", "/v1/groups", scope=Scope.ACCOUNTS,
           summary="Found a group", tag="groups", request_schema="group_request.json",
           responses={201: "group.json"}, errors=(403, 404, 409, 422), articles=ARTICLES,
           produces={"group_id": "/group_id"},
           description="The founder must be verified and not stopped by a disposition or the GROUP_FOUNDER blacklist; "
                       "groups founded and joined per subject are capped atomically (409 GROUPS_FOUNDED_LIMIT). With "
                       "scene, the group name is checked under that policy scene, and name_check names it (an unknown "
                       "scene is 422 SCENE_UNKNOWN).")
def found_group(call: Call) -> Reply:
    return Reply(groups.found(call.tenant_id, call.body), status=201)


@operation(bp, "GET", "/v1/groups/{group_id}", scope=Scope.ACCOUNTS,
           summary="A group", tag="groups", responses={200: "group.json"},
           errors=(404,), articles=ARTICLES)
def get_group(call: Call) -> dict:
    return groups.view(groups.require(call.tenant_id, call.path["group_id"]))


@operation(bp, "POST", "/v1/groups/{group_id}/members", scope=Scope.ACCOUNTS, summary="Join a group", tag="groups",
           request_schema="group_member_request.json", responses={201: "group_member.json"},
           errors=(403, 404, 409), articles=ARTICLES, produces={"group_id": "/group_id", "subject_id": "/subject_id"},
           description="Caps in one transaction: members per group by type (409 GROUP_FULL), groups per subject, one "
                       "membership per subject; past groups.large_group_members the founder must qualify (GR2017-7).")
def join_group(call: Call) -> Reply:
    return Reply(groups.join(call.tenant_id, call.path["group_id"], call.body), status=201)


@operation(bp, "GET", "/v1/groups/{group_id}/members", scope=Scope.ACCOUNTS,
           summary="Members with their roles labelled", tag="groups",
           responses={200: "group_member_list.json"}, errors=(404,), articles=("GR2017-8",),
           query=(Param("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 500}),
                  Param("cursor", "From the previous page's next_cursor.", {"type": "string", "maxLength": 2048})))
def list_members(call: Call) -> dict:
    return group_members.listing(call.tenant_id, call.path["group_id"], call.query.get("limit", 100),
                                 call.query.get("cursor"))


@operation(bp, "DELETE", MEMBER, scope=Scope.ACCOUNTS,
           summary="Leave a group", tag="groups", responses={200: "group_member.json"},
           errors=(404, 409), articles=("GR2017-8",))
def leave_group(call: Call) -> dict:
    return group_members.leave(call.tenant_id, call.path["group_id"], call.path["subject_id"])


@operation(bp, "PUT", MEMBER + "/role", scope=Scope.ACCOUNTS,
           summary="Make a member a manager, or a manager a member", tag="groups",
           request_schema="group_role_request.json", responses={200: "group_member.json"}, errors=(404, 409),
           articles=("GR2017-8",))
def set_member_role(call: Call) -> dict:
    return group_members.set_role(call.tenant_id, call.path["group_id"], call.path["subject_id"], call.body["role"])


@operation(bp, "GET", "/v1/groups/{group_id}/info", scope=Scope.ACCOUNTS,
           summary="A large group's information page", tag="groups",
           responses={200: "group_info.json"}, errors=(404,), articles=("GR2017-7", "GR2017-8"))
def group_info(call: Call) -> dict:
    return group_members.info_page(call.tenant_id, call.path["group_id"])


@operation(bp, "GET", "/v1/subjects/{subject_id}/groups", scope=Scope.ACCOUNTS,
           summary="The groups a subject founded or manages", tag="groups",
           responses={200: "subject_groups.json"}, errors=(404,), articles=("GR2017-8",),
           query=(Param("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 200}),
                  Param("cursor", "From the previous page's next_cursor.", {"type": "string", "maxLength": 2048})))
def list_led_groups(call: Call) -> dict:
    return led.listing(call.tenant_id, call.path["subject_id"], call.query.get("limit", 50), call.query.get("cursor"))
