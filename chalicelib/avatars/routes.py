"""Avatar checks against protected and banned image banks (PA2020-8, PA2020-18(1), PA2017-13)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.avatars import banks as avatar_banks, checks as avatars
from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call, Param, Reply
from chalicelib.core.scopes import Scope
from chalicelib.reports import reviews
from chalicelib.reports.review_rules import CheckKind

bp = Blueprint(__name__)
ARTICLES = ("PA2020-8", "PA2020-18(1)", "PA2017-13")
BANK = "/v1/avatars/banks/{bank}"
# The handler upper-cases the bank (`_bank`), so the document admits a known bank in either case.
BANK_PATH = {"bank": {"type": "string", "pattern": "^(?:" + "|".join(
    "".join(f"[{c}{c.lower()}]" for c in bank) for bank in avatars.RULES) + ")$"}}


def _bank(call: Call) -> str:
    return avatars.require_bank(call.path["bank"].upper())


@operation(bp, "POST", "/v1/avatars/check", scope=Scope.CHECKS,
           summary="Check an avatar against the protected and banned banks",
           tag="avatars", request_schema="avatar_check_request.json", responses={200: "avatar_check.json"},
           errors=(403, 404, 409, 413, 422), articles=ARTICLES,
           description="PDQ with its eight rotations and mirrors; distance ≤ avatars.match_distance matches. "
                       "A protected image passes for its owners. Quality below avatars.min_quality is REVIEW, "
                       "not PASS. Unreadable input is 422 IMAGE_INVALID; over the limits, 413 IMAGE_TOO_LARGE. "
                       "With scene, that policy scene's avatar_distance is the match distance (PA2020-8, PA2017-13); "
                       "an unknown scene is 422 SCENE_UNKNOWN. With policy content.classifier, the tenant's gateway "
                       "is asked too (kind avatar: the PDQ hash, the SHA-256 of the bytes sent or read, the s3_key, "
                       "the account_id; never the bytes): its labels are hits on the classifier channel, the decision "
                       "the strongest of ours and its, and classifier OK or UNAVAILABLE with classifier_reason "
                       "(REVIEW, CLASSIFIER_REQUIRED, where required), never an error.")
def check_avatar(call: Call) -> dict:
    return reviews.after_check(call.tenant_id, CheckKind.AVATAR, call.body, avatars.check(call.tenant_id, call.body))


@operation(bp, "POST", BANK + "/entries", scope=Scope.LEXICON, summary="Add an image or hash to a bank", tag="avatars",
           request_schema="avatar_entry_request.json", responses={201: "avatar_entry.json"},
           errors=(400, 403, 404, 409, 413, 422), articles=ARTICLES, path_schemas=BANK_PATH,
           produces={"entry_id": "/entry_id", "bank": "/bank"})
def add_entry(call: Call) -> Reply:
    return Reply(avatar_banks.add(call.tenant_id, _bank(call), call.body), status=201)


@operation(bp, "POST", BANK + "/import", scope=Scope.LEXICON,
           summary="Import hashes from CSV (hash-sharing format)", tag="avatars",
           request_schema="avatar_import_request.json", responses={200: "avatar_import.json"},
           errors=(400, 409, 422), articles=ARTICLES, path_schemas=BANK_PATH)
def import_entries(call: Call) -> dict:
    return avatar_banks.import_csv(call.tenant_id, _bank(call), call.body["csv"])


@operation(bp, "GET", BANK + "/entries", scope=Scope.LEXICON, summary="A bank's entries", tag="avatars",
           responses={200: "avatar_entry_list.json"}, errors=(400,), articles=ARTICLES, path_schemas=BANK_PATH,
           query=(Param("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 500}),
                  Param("cursor", "From the previous page's next_cursor.", {"type": "string", "maxLength": 2048})))
def list_entries(call: Call) -> dict:
    return avatar_banks.listing(call.tenant_id, _bank(call), call.query.get("limit", 100), call.query.get("cursor"))


@operation(bp, "DELETE", BANK + "/entries/{entry_id}", scope=Scope.LEXICON,
           summary="Remove a bank entry", tag="avatars",
           responses={200: "avatar_removal.json"}, errors=(400, 404, 409), articles=ARTICLES,
           path_schemas=BANK_PATH)
def remove_entry(call: Call) -> dict:
    return avatar_banks.remove(call.tenant_id, _bank(call), call.path["entry_id"])
