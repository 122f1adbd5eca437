"""Prohibited content in posts and the record of actions taken (BJ2011-10, MB2018-12)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.content import service as content
from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call, Param, Reply
from chalicelib.core.scopes import Scope
from chalicelib.reports import check_batches, reviews
from chalicelib.reports.review_rules import CheckKind

bp = Blueprint(__name__)
ARTICLES = ("BJ2011-10", "MB2018-12", "PA2020-19")


@operation(bp, "POST", "/v1/content/check", scope=Scope.CHECKS, summary="Check a post's text and images", tag="content",
           request_schema="content_check_request.json", responses={200: "content_check.json"},
           errors=(400, 403, 404, 409, 413, 422),
           articles=ARTICLES,
           description="Terms through the names engine (normalizer, lexicon, allow-list, pinyin); images through the "
                       "avatar banks: banned images REJECT, protected emblems and logos REVIEW. With scene, under that "
                       "policy scene's rules (MB2018-12, PA2020-18): term categories and actions in force, channels "
                       "off (the classifier's too), avatar distance, contact-diversion action, and whether a "
                       "classifier that cannot answer gives REVIEW; entries limited to other scenes find nothing; the "
                       "answer's scene names it and its rules. An unknown scene is 422 SCENE_UNKNOWN.")
def check_content(call: Call) -> dict:
    return reviews.after_check(call.tenant_id, CheckKind.POST, call.body, content.check(call.tenant_id, call.body))


@operation(bp, "POST", "/v1/content/checks", scope=Scope.CHECKS, summary="Check up to 20 posts in one call",
           tag="content", request_schema="content_checks_request.json", responses={200: "content_checks.json"},
           articles=ARTICLES,
           description="Each post as POST /v1/content/check checks it, with its own scene and review, against one "
                       "read of the lexicon version; each answers its result or its own error by index (an unknown "
                       "scene: SCENE_UNKNOWN).")
def check_contents(call: Call) -> dict:
    items = call.body["items"]
    return check_batches.after_batch(call.tenant_id, CheckKind.POST, items, content.check_many(call.tenant_id, items))


@operation(bp, "POST", "/v1/content/actions", scope=Scope.INGEST,
           summary="Record what was done to a piece of content", tag="content",
           request_schema="content_action_request.json", responses={201: "content_action.json"}, errors=(409,),
           articles=ARTICLES, produces={"account_id": "/account_id"})
def record_action(call: Call) -> Reply:
    return Reply(content.record_action(call.tenant_id, call.body), status=201)


@operation(bp, "GET", "/v1/content/actions", scope=Scope.INGEST,
           summary="Actions on content in a period", tag="content",
           responses={200: "content_action_list.json"}, articles=ARTICLES,
           query=(Param("from", "From this time.", {"type": "string", "format": "date-time"}, required=True),
                  Param("to", "To this time (default: now).", {"type": "string", "format": "date-time"}),
                  Param("account_id", "Only this account's content.", {"type": "string", "maxLength": 128,
                                                                       "pattern": "^[A-Za-z0-9_.:@-]+$"}),
                  Param("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 500}),
                  Param("cursor", "From the previous page's next_cursor.", {"type": "string", "maxLength": 2048})))
def list_actions(call: Call) -> dict:
    query = call.query
    return content.actions(call.tenant_id, query.get("account_id"), query["from"], query.get("to") or "9999",
                           query.get("limit", 100), query.get("cursor"))
