"""Per-tenant policy: every number the regulations leave open, with documented defaults.

A tenant stores only its *overrides*; the effective policy is the defaults deep-merged
with them. `PUT /v1/policy` applies an RFC 7396 JSON merge patch to the overrides, so a
``null`` removes an override and restores the documented default. The merged result is
validated against ``schemas/policy.json`` before anything is stored.

Defaults (each cites the article that leaves the number open):

=================================  ==========  ==============================================
setting                            default     why
=================================  ==========  ==============================================
requests.max_body_bytes            1048576     request size cap; never above Lambda's 6 MB
retention.log_days                 183         MB2018-16, GR2017-13, PA2017-16: "at least six
                                               months"; the schema refuses fewer than 180
retention.audit_days               1095        how long audit-trail events are kept (≥ 180)
identity.provider                  sandbox     which verifier answers (sandbox tenants only for
                                               "sandbox"; "http" = the tenant's own gateway)
identity.http_provider.*           unset       gateway URL, SSM parameter holding the signing
                                               secret, timeout 3000 ms, 2 retries
identity.max_attempts_per_         5           per document per day (China time), against
  document_per_day                             enumeration of identity numbers
identity.reconfirm_days            365         MB2018-7 "periodic confirmation": how long a
                                               verification holds before re-confirmation
names.max_length.*                 30 / 30 /   account_name / nickname / group_name /
                                   30 / 500    description, in characters
names.reregistration_ban_days      365         PA2017-13, PA2020-8: how long a closed
                                               account's name stays banned
names.contact_diversion            REVIEW      a contact (WeChat, QQ, phone, URL…) in a name
                                               or description: REVIEW or REJECT (platform
                                               rules; PA2020-18(7) when paid)
credit.weights.*                   2 … 30      strikes per disposition type (GR2017-7)
credit.half_life_days              180         a strike's weight halves this often
credit.recovery_days               365         RL2020-11: free of violations this long, recovered
credit.rumour_multiplier           1.5         MB2018-11, PA2020-13: rumours lower credit more
credit.levels                      A 90, B 75, minimum score per level; below D is E
                                   C 60, D 40
credit.services.*                  see below   lowest level that may use a service
accounts.max_per_subject.*         PERSON 5,   PA2017-7, PA2020-10: accounts per subject, by
                                   ENTERPRISE  subject type
                                   50, …
accounts.velocity.*                ip 5/60 min, PA2020-10, PA2020-18(8): registrations per IP,
                                   device 3/day, device and phone in a window
                                   phone 3/day
accounts.hoarding_bursts           3           velocity refusals that flag a subject for review
accounts.inactive_days             183         PA2020-10: unused this long, an account is
                                               suspended (reactivation on request)
accounts.transfer_notice_days      30          PA2020-11: days between a transfer's
                                               announcement and its completion
reports.due_hours.*                24 / 72 /   PA2020-20, MB2018-14 "promptly", "time limits":
                                   168         hours to decide a report, by category: 24 for
                                               state security, rumours, minors, pornography;
                                               72 for fraud, defamation, online violence;
                                               DEFAULT 168 for the rest
reports.reporter_limit             30 / 60 min reports per reporter per window (PA2020-20)
reports.misuse.*                   5 decided,  PA2017-15 malicious-report screening: with at
                                   80 %,       least 5 decided reports and 80 % unfounded, a
                                   7 days      warning, then restrictions of 7, 14, … days
reports.appeal_window_days         183         how long after a decision an appeal is taken
reports.appeal_due_hours           360         hours to decide an appeal (15 days)
reports.webhook.*                  unset       signed feedback webhook: URL, SSM parameter
                                               holding the signing secret, timeout 3000 ms
reviews.open_on                    [REVIEW]    MB2018-12, PA2020-8: check decisions that open a
                                               CHECK case on the object a check names
reviews.due_hours.*                24 / 48     PA2020-20 "time limits": hours to review, by name
                                               field or scene: 24 for posts and rumour matches
                                               (PA2020-13), DEFAULT 48 for names and avatars
groups.max_founded_per_subject     20          GR2017-8: groups one subject may found
groups.max_joined_per_subject      500         GR2017-8: groups one subject may be in
groups.max_members.*               PRIVATE 500, GR2017-8: members per group, by group type
                                   PUBLIC 2000,
                                   WORK 3000
groups.max_managers                10          managers per group (GR2017-8 roles)
groups.large_group_members         100         GR2017-7: past it the founder must be verified
                                               and at credit.services.found_large_group, and
                                               the group publishes an information page
content.max_chars                  20000       longest post text checked (BJ2011-10)
content.max_spans_per_term         20          spans a post check lists per term and action
content.max_spans                  500         spans a post check lists in all; every occurrence
                                               still counts toward the decision
content.classifier.*               unset       the tenant's vendor classifier gateway: URL, SSM
                                               parameter holding the signing secret, timeout
                                               1500 ms; required (unavailable → REVIEW) false;
                                               max_action REJECT (BJ2011-10, MB2018-12)
content.contact_diversion          REVIEW      the same for a post's contacts
grading.grades                     A … D       MB2018-9, PA2020-7, PA2020-15: graded account
                                               management, best grade first; each with its
                                               conditions and the services it allows
grading.violation_window_days      90          how far back violations count for the grade
metrics.window_days                14          PA2020-12: days of the same hour a reading is
                                               compared with
metrics.threshold                  6.0         robust deviations (MAD-based σ) that flag
metrics.min_change                 20          per hour: smaller changes are never flagged
rumours.match_similarity           0.5         MB2018-11: estimated similarity (share of the 64
                                               MinHash values agreeing) for a rumour match
rumours.alert_per_hour             20          PA2020-13 early warning: sightings of one rumour
                                               in an hour that raise an alert
avatars.max_bytes                  5242880     largest image accepted (an S3 object; inline images
                                               are also bound by requests.max_body_bytes)
avatars.max_pixels                 25000000    decompression bombs: pixels read from the header
avatars.match_distance             31          PDQ industry default: ≤ 31 of 256 bits is a match
avatars.min_quality                50          below it a hash says little: REVIEW, not PASS
filings.period                     MONTHLY     MB2018-9/10, PA2017-7, PA2020-19: how often the
                                               filings are exported (MONTHLY or QUARTERLY)
moderation.require_actor           false       PA2017-13, GR2017-11: decisions, dispositions,
                                               revocations and appeal decisions must name who
                                               acted (X-Actor), else 400 ACTOR_REQUIRED
scenes.*                           none        PA2020-8, PA2020-18, MB2018-12: named scenes, each
                                               with its term categories and actions, the rules
                                               that set a term's action there (set_action) and
                                               a protected or banned name's (names.set_action,
                                               REVIEW or REJECT), channels off, avatar distance,
                                               contact action and whether the classifier is
                                               required (core/scenes.py)
=================================  ==========  ==============================================
"""

from __future__ import annotations

import copy
from typing import Any

DEFAULTS: dict[str, Any] = {
    "requests": {"max_body_bytes": 1024 * 1024},
    "retention": {"log_days": 183, "audit_days": 1095},
    "identity": {
        "provider": "sandbox",
        "http_provider": {"url": None, "secret_parameter": None, "timeout_ms": 3000, "max_retries": 2},
        "max_attempts_per_document_per_day": 5,
        "reconfirm_days": 365,
    },
    "names": {
        "max_length": {"account_name": 30, "nickname": 30, "group_name": 30, "description": 500},
        "reregistration_ban_days": 365,
        "contact_diversion": "REVIEW",
    },
    "credit": {
        "weights": {"WARNING": 2, "CORRECTION_REQUIRED": 3, "FUNCTION_LIMIT": 5, "SUSPEND_UPDATES": 8,
                    "SUSPEND_PUBLISHING": 10, "STOP_ADS": 5, "CLOSE_GROUP": 15, "CLOSE_ACCOUNT": 20,
                    "LOWER_CREDIT": 10, "REVOKE_GROUP_FOUNDING": 10, "BLACKLIST": 30, "PROHIBIT_REREGISTRATION": 20},
        "half_life_days": 180,
        "recovery_days": 365,
        "rumour_multiplier": 1.5,
        "levels": {"A": 90, "B": 75, "C": 60, "D": 40},
        "services": {"found_large_group": "B", "upfront_verification": "C", "publish": "D"},
    },
    "accounts": {
        "max_per_subject": {"PERSON": 5, "ENTERPRISE": 50, "INDIVIDUAL_BUSINESS": 10, "STATE_ORGAN": 100,
                            "PARTY_ORGAN": 100, "PUBLIC_INSTITUTION": 50, "SOCIAL_ORG": 20, "MEDIA": 100,
                            "FOREIGN_ORG": 10},
        "velocity": {"ip": {"limit": 5, "window_minutes": 60}, "device": {"limit": 3, "window_minutes": 1440},
                     "phone": {"limit": 3, "window_minutes": 1440}},
        "hoarding_bursts": 3,
        "inactive_days": 183,
        "transfer_notice_days": 30,
    },
    "reports": {
        "due_hours": {"DEFAULT": 168, "CONSTITUTION": 24, "NATIONAL_SECURITY": 24, "STATE_HONOUR": 24,
                      "ETHNIC_HATRED": 24, "RUMOUR_DISORDER": 24, "RUMOUR": 24, "ILLEGAL_ASSEMBLY": 24,
                      "ILLEGAL_ORGANIZATION": 24, "MINORS": 24, "PORNOGRAPHY": 24, "OBSCENITY_GAMBLING_VIOLENCE": 24,
                      "FRAUD": 72, "INSULT_DEFAMATION": 72},
        "reporter_limit": {"limit": 30, "window_minutes": 60},
        "misuse": {"min_decided": 5, "unfounded_share": 0.8, "restriction_days": 7},
        "appeal_window_days": 183,
        "appeal_due_hours": 360,
        "webhook": {"url": None, "secret_parameter": None, "timeout_ms": 3000},
    },
    "reviews": {"open_on": ["REVIEW"], "due_hours": {"DEFAULT": 48, "post": 24, "rumour": 24}},
    "groups": {"max_founded_per_subject": 20, "max_joined_per_subject": 500,
               "max_members": {"PRIVATE": 500, "PUBLIC": 2000, "WORK": 3000}, "max_managers": 10,
               "large_group_members": 100},
    "content": {"max_chars": 20000, "max_spans_per_term": 20, "max_spans": 500, "contact_diversion": "REVIEW",
                "classifier": {"url": None, "secret_parameter": None, "timeout_ms": 1500, "required": False,
                               "max_action": "REJECT"}},
    "rumours": {"match_similarity": 0.5, "alert_per_hour": 20},
    "metrics": {"window_days": 14, "threshold": 6.0, "min_change": 20},
    "grading": {
        "violation_window_days": 90,
        "grades": [
            {"grade": "A", "min_followers": 1_000_000, "min_credit": "A", "max_violations": 0,
             "services": ["PUBLISH", "COMMENT", "LIVE", "ADVERTISING", "V_BADGE", "TRENDING"]},
            {"grade": "B", "min_followers": 10_000, "min_credit": "B", "max_violations": 1,
             "services": ["PUBLISH", "COMMENT", "LIVE", "ADVERTISING"]},
            {"grade": "C", "min_credit": "D", "max_violations": 3, "services": ["PUBLISH", "COMMENT"]},
            {"grade": "D", "services": ["COMMENT"]},
        ],
    },
    "avatars": {"max_bytes": 5 * 1024 * 1024, "max_pixels": 25_000_000, "match_distance": 31, "min_quality": 50},
    "filings": {"period": "MONTHLY"},
    "moderation": {"require_actor": False},
    "scenes": {},
}


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON Merge Patch; returns a new document, never mutates its arguments."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def prune_empty(document: dict[str, Any]) -> dict[str, Any]:
    """Drop objects left empty after nulls removed their last member."""
    pruned = {}
    for key, value in document.items():
        if isinstance(value, dict):
            value = prune_empty(value)
            if not value:
                continue
        pruned[key] = value
    return pruned


def effective(overrides: dict[str, Any]) -> dict[str, Any]:
    """Defaults with the tenant's overrides laid over them (objects merge, values replace)."""
    return _deep_merge(DEFAULTS, overrides)


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged
