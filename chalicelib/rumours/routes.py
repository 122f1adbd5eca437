"""Rumour dispelling: known rumours, matching posts, tracing back, early warning (MB2018-11, PA2020-13)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call, Param, Reply
from chalicelib.core.scopes import Scope
from chalicelib.reports import reviews
from chalicelib.reports.review_rules import CheckKind
from chalicelib.rumours import service as rumours

bp = Blueprint(__name__)
ARTICLES = ("MB2018-11", "PA2020-13")
LIMIT = Param("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 500})


@operation(bp, "POST", "/v1/rumours", scope=Scope.LEXICON,
           summary="Register a known rumour and its refutation", tag="rumours",
           request_schema="rumour_request.json", responses={201: "rumour.json"}, errors=(403, 404, 409, 413, 422),
           articles=ARTICLES, produces={"rumour_id": "/rumour_id"})
def register_rumour(call: Call) -> Reply:
    return Reply(rumours.register(call.tenant_id, call.body), status=201)


@operation(bp, "POST", "/v1/rumours/match", scope=Scope.CHECKS,
           summary="Known rumours in a post, with refutations to attach",
           tag="rumours", request_schema="rumour_match_request.json", responses={200: "rumour_match.json"},
           errors=(403, 404, 409, 413, 422), articles=ARTICLES,
           description="Near-duplicate text through light edits (MinHash LSH over normalized windows) and the "
                       "images' PDQ hashes. With account_id, a match is recorded as a sighting for tracing back "
                       "and early warning. With scene, that policy scene's avatar_distance is the images' match "
                       "distance and the CHECK case records the scene (MB2018-12); an unknown scene is 422 "
                       "SCENE_UNKNOWN.")
def match_rumours(call: Call) -> dict:
    return reviews.after_check(call.tenant_id, CheckKind.RUMOUR, call.body, rumours.match(call.tenant_id, call.body))


@operation(bp, "GET", "/v1/rumours/alerts", scope=Scope.LEXICON,
           summary="Rumours spreading faster than the policy rate", tag="rumours",
           responses={200: "rumour_alert_list.json"}, articles=("PA2020-13",),
           query=(LIMIT,
                  Param("cursor", "From the previous page's next_cursor.", {"type": "string", "maxLength": 2048})))
def rumour_alerts(call: Call) -> dict:
    return rumours.alerts(call.tenant_id, call.query.get("limit", 50), call.query.get("cursor"))


@operation(bp, "GET", "/v1/rumours/{rumour_id}", scope=Scope.LEXICON, summary="A known rumour", tag="rumours",
           responses={200: "rumour.json"}, errors=(404,), articles=ARTICLES)
def get_rumour(call: Call) -> dict:
    return rumours.view(rumours.require(call.tenant_id, call.path["rumour_id"]))


@operation(bp, "GET", "/v1/rumours/{rumour_id}/spread", scope=Scope.LEXICON,
           summary="Who spread a rumour, earliest first", tag="rumours",
           responses={200: "rumour_spread.json"}, errors=(404,), articles=ARTICLES, query=(LIMIT,),
           description="Sightings from matches and the log events carrying the same content hash; the first publisher "
                       "can then be disposed of (LOWER_CREDIT, BLACKLIST) citing MB2018-11 / PA2020-13.")
def rumour_spread(call: Call) -> dict:
    return rumours.spread(call.tenant_id, call.path["rumour_id"], call.query.get("limit", 200))
