"""Account name, nickname, group name and description checks, and the tenant's lexicon."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call, Param, Reply
from chalicelib.core.scopes import Scope
from chalicelib.names import service as names
from chalicelib.names.index import ALLOW, BANNED, PROTECTED, TERM
from chalicelib.reports import check_batches, reviews
from chalicelib.reports.review_rules import CheckKind

bp = Blueprint(__name__)
ARTICLES = ("PA2020-8", "PA2020-18", "BJ2011-10", "PA2017-13")
ADDED = {"entry_id": "/items/0/entry_id"}  # the first entry added, for the links to its removal
SCENES = ("With scene, under that policy scene's rules (MB2018-12, PA2020-8, PA2020-18): its term categories and "
          "actions in force, channels off, contact-diversion action; entries limited to other scenes find nothing; "
          "the answer's scene names it and its rules. An unknown scene is 422 SCENE_UNKNOWN; none is the policy as "
          "it is.")
LIMITED = "An entry may be limited to scenes (scenes: [...], default for checks naming none)."
PAGE = (Param("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 200}),
        Param("cursor", "From the previous page's next_cursor.", {"type": "string", "maxLength": 2048}))
# What each of the tenant's lists serves: protected names against impersonation (PA2020-8), terms against prohibited
# content (BJ2011-10, PA2020-18), the allow-list against false hits, banned names against re-registration (PA2017-13).
LIST_ARTICLES = {"protected": ("PA2020-8",), "terms": ("BJ2011-10", "PA2020-18"), "allow": ("PA2020-8", "BJ2011-10"),
                 "banned": ("PA2020-8", "PA2017-13")}


@operation(bp, "POST", "/v1/names/check", scope=Scope.CHECKS,
           summary="Check a name, nickname, group name or description", tag="names",
           request_schema="name_check_request.json", responses={200: "name_check.json"}, articles=ARTICLES,
           errors=(409, 422),
           description="Impersonation of protected names (with homoglyph, separator, traditional, pinyin and near-copy "
                       "evasions), prohibited terms, and names banned from re-registration. Every hit says why. "
                       + SCENES)
def check_name(call: Call) -> dict:
    body = call.body
    answer = names.check_name(call.tenant_id, body["text"], body["field"], body.get("subject_id"),
                              scene=body.get("scene"))
    return reviews.after_check(call.tenant_id, CheckKind.NAME, body, answer)


@operation(bp, "POST", "/v1/names/checks", scope=Scope.CHECKS,
           summary="Check up to 100 names in one call", tag="names",
           request_schema="name_checks_request.json", responses={200: "name_checks.json"}, articles=ARTICLES,
           description="Each item as POST /v1/names/check checks it, with its own scene and review, against one read "
                       "of the lexicon version; each answers its result or its own error by index (an unknown "
                       "scene: SCENE_UNKNOWN).")
def check_names(call: Call) -> dict:
    items = call.body["items"]
    return check_batches.after_batch(call.tenant_id, CheckKind.NAME, items, names.check_names(call.tenant_id, items))


@operation(bp, "GET", "/v1/names/lexicon", scope=Scope.LEXICON,
           summary="Lexicon version and built-in data", tag="names",
           responses={200: "lexicon_info.json"}, articles=ARTICLES,
           description="The tenant's lexicon version (it changes with every entry added or removed), the normalizer "
                       "version and the sizes of the built-in protected names, terms and allow-list behind every "
                       "name check.")
def lexicon(call: Call) -> dict:
    return names.lexicon(call.tenant_id)


@operation(bp, "POST", "/v1/names/protected", scope=Scope.LEXICON,
           summary="Register a protected name (owners may use it)", tag="names",
           request_schema="protected_name_request.json", responses={201: "lexicon_change.json"}, errors=(409, 422),
           articles=("PA2020-8",), produces=ADDED,
           description=LIMITED)
def add_protected(call: Call) -> Reply:
    return Reply(names.add_protected(call.tenant_id, [call.body]), status=201)


@operation(bp, "POST", "/v1/names/protected/bulk", scope=Scope.LEXICON,
           summary="Bulk import of protected names", tag="names",
           request_schema="protected_names_bulk.json", responses={201: "lexicon_change.json"}, errors=(409, 422),
           articles=("PA2020-8",), produces=ADDED,
           description=LIMITED)
def add_protected_bulk(call: Call) -> Reply:
    return Reply(names.add_protected(call.tenant_id, call.body["items"]), status=201)


@operation(bp, "POST", "/v1/names/terms", scope=Scope.LEXICON,
           summary="Add terms (bulk) with category and action", tag="names",
           request_schema="terms_request.json", responses={201: "lexicon_change.json"}, errors=(409, 422),
           articles=("BJ2011-10", "PA2020-18"), produces=ADDED,
           description=LIMITED)
def add_terms(call: Call) -> Reply:
    return Reply(names.add_terms(call.tenant_id, call.body["items"]), status=201)


@operation(bp, "POST", "/v1/names/allow", scope=Scope.LEXICON, summary="Add allow-list phrases", tag="names",
           request_schema="allow_request.json", responses={201: "lexicon_change.json"}, errors=(409, 422),
           produces=ADDED, articles=("PA2020-8", "BJ2011-10"),
           description="Ordinary phrases that contain a protected name or a term (人民日报社区志愿者) and must not be "
                       "flagged for it; a hit inside an allowed phrase is not a hit. With scenes, the phrases allow "
                       "only in those scenes (default for checks naming none); in others they allow nothing.")
def add_allowed(call: Call) -> Reply:
    return Reply(names.add_allowed(call.tenant_id, call.body["phrases"], call.body.get("scenes")), status=201)


@operation(bp, "POST", "/v1/names/banned", scope=Scope.LEXICON,
           summary="Ban a closed account's name from re-registration", tag="names",
           request_schema="banned_name_request.json", responses={201: "lexicon_change.json"}, errors=(409, 422),
           articles=("PA2020-8", "PA2017-13"), produces=ADDED,
           description=LIMITED)
def ban_name(call: Call) -> Reply:
    return Reply(names.ban_names(call.tenant_id, [call.body]), status=201)  # its own days, article and scenes


@operation(bp, "POST", "/v1/names/banned/bulk", scope=Scope.LEXICON,
           summary="Bulk import of banned names", tag="names",
           request_schema="banned_names_bulk.json", responses={201: "lexicon_change.json"}, errors=(409, 422),
           articles=("PA2020-8", "PA2017-13"), produces=ADDED,
           description=LIMITED)
def ban_names(call: Call) -> Reply:
    return Reply(names.ban_names(call.tenant_id, call.body["items"]), status=201)


def _lists(kind: str, segment: str) -> None:
    @operation(bp, "GET", f"/v1/names/{segment}", scope=Scope.LEXICON,
               summary=f"List the tenant's {segment} entries", tag="names",
               responses={200: "lexicon_list.json"}, query=PAGE, operation_id=f"list_{segment}",
               articles=LIST_ARTICLES[segment], description=f"The tenant's own {segment} entries, paged; the "
               "built-in data is counted by GET /v1/names/lexicon.")
    def listing(call: Call) -> dict:
        return names.listing(call.tenant_id, kind, call.query.get("limit", 100), call.query.get("cursor"))

    @operation(bp, "DELETE", f"/v1/names/{segment}/{{entry_id}}", scope=Scope.LEXICON,
               summary=f"Remove one of the tenant's {segment} entries",
               tag="names", responses={200: "lexicon_removal.json"}, errors=(404, 409),
               operation_id=f"remove_{segment}", articles=LIST_ARTICLES[segment],
               description="Takes effect on the next check (the lexicon version moves); the removal is kept in the "
                           "audit trail.")
    def removal(call: Call) -> dict:
        return names.remove(call.tenant_id, kind, call.path["entry_id"])


for _kind, _segment in ((PROTECTED, "protected"), (TERM, "terms"), (ALLOW, "allow"), (BANNED, "banned")):
    _lists(_kind, _segment)
