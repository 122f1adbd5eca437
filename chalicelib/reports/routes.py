"""Reports, cases, feedback and appeals (MB2018-14, GR2017-12, PA2017-15, PA2020-20, BJ2011-13)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.operation import operation
from chalicelib.core.operation_spec import Call, Param, Reply
from chalicelib.core.scopes import Scope
from chalicelib.dispositions.reasons import CaseSource, decided_by
from chalicelib.identity.routes import IDEMPOTENCY_KEY
from chalicelib.reports import appeals, cases, decisions, intake as reports, opening, report_views, reporters
from chalicelib.reports.rules import ReportCategory

bp = Blueprint(__name__)
REPORT_ARTICLES = ("MB2018-14", "GR2017-12", "PA2017-15", "PA2020-20", "BJ2011-13")
APPEAL_ARTICLES = ("PA2020-20", "RL2020-11")
LIMIT = Param("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 200})
CURSOR = Param("cursor", "From the previous page's next_cursor.", {"type": "string", "maxLength": 2048})
CATEGORY = Param("category", "Only cases filed under, or with a report in, this category.",
                 {"enum": [c.value for c in ReportCategory]})
SOURCE = Param("source", "Only cases with this source (REPORT includes cases stored before cases had one).",
               {"enum": [s.value for s in CaseSource]})


@operation(bp, "POST", "/v1/reports", scope=Scope.MODERATION, summary="File a report and get a receipt", tag="reports",
           request_schema="report_request.json", responses={201: "report_receipt.json"}, headers=(IDEMPOTENCY_KEY,),
           errors=(409, 422, 429), articles=REPORT_ARTICLES,
           produces={"report_id": "/report_id", "case_id": "/case_id", "X-Tracking-Token": "/tracking_token"},
           description="Joins the one open case on the target (or opens it); due_at from policy reports.due_hours. "
                       "Over the reporter's window limit: 429 with Retry-After. A reporter restricted for misuse is "
                       "still heard: the report is kept with LOW priority and the receipt says so.")
def file_report(call: Call) -> Reply:
    receipt = reports.submit(call.tenant_id, call.body, call.headers.get("idempotency-key"), call.lambda_context)
    return Reply(receipt, status=201)


TOKEN = {"type": "string", "minLength": 1, "maxLength": report_views.TOKEN_MAX, "pattern": "^[A-Za-z0-9_-]+$"}  # trk_


@operation(bp, "GET", "/v1/reports/{report_id}", scope=Scope.MODERATION,
           summary="A report's status and feedback, for its reporter",
           tag="reports", responses={200: "report_status.json"}, errors=(400, 404), articles=("PA2020-20", "RL2020-24"),
           headers=(Param("X-Tracking-Token", "The receipt's tracking_token (preferred).", TOKEN),),
           query=(Param("token", "Deprecated: the tracking_token in the query string, kept for existing clients. A URL "
                                 "reaches access logs, browser history and proxies; send X-Tracking-Token.", TOKEN),),
           description="The reporter's token goes in the X-Tracking-Token header; the token query parameter still "
                       "works. One of them is required (400 TRACKING_TOKEN_REQUIRED); with both, the header is used. "
                       "A wrong token is 404, as for a report that does not exist.")
def report_status(call: Call) -> dict:
    token = report_views.tracking_token(call.headers.get("x-tracking-token"), call.query.get("token"))
    return report_views.status(call.tenant_id, call.path["report_id"], token)


@operation(bp, "GET", "/v1/cases", scope=(Scope.MODERATION, Scope.INSPECT),
           summary="Cases by deadline, earliest first", tag="reports",
           responses={200: "case_list.json"}, articles=REPORT_ARTICLES,
           query=(Param("status", "OPEN (default), DECIDED, or BREACHED: open and past due now.",
                        {"enum": ["OPEN", "DECIDED", "BREACHED"]}),
                  Param("due_before", "Only cases due before this time.", {"type": "string", "format": "date-time"}),
                  CATEGORY, SOURCE, LIMIT, CURSOR))
def list_cases(call: Call) -> dict:
    query = call.query
    return cases.listing(call.tenant_id, query.get("status", "OPEN"), query.get("due_before"), query.get("category"),
                         query.get("limit", 50), query.get("cursor"), query.get("source"))


@operation(bp, "POST", "/v1/cases", scope=Scope.MODERATION, summary="Open a case nobody reported", tag="reports",
           request_schema="case_request.json", responses={201: "case.json"}, headers=(IDEMPOTENCY_KEY,),
           errors=(409, 422), articles=REPORT_ARTICLES + ("GR2017-11", "PA2020-19"), produces={"case_id": "/case_id"},
           description="PROACTIVE: a moderator's own case. AUTHORITY_ORDER: an order from a competent department, "
                       "with its reference, due at the order's due_at (else as a report of its category). Neither "
                       "is joined by reports or checks; each is decided as a report case is.")
def open_case(call: Call) -> Reply:
    return Reply(opening.open_case(call.tenant_id, call.body, decided_by(call), call.headers.get("idempotency-key"),
                                   call.lambda_context), status=201)


@operation(bp, "GET", "/v1/cases/stats", scope=(Scope.MODERATION, Scope.INSPECT),
           summary="Case handling figures per category and source; decisions by statement of reasons",
           tag="reports",
           responses={200: "case_stats.json"}, errors=(400,), articles=("PA2020-20",),
           query=(Param("from", "Decisions from this time (default: 30 days ago).",
                        {"type": "string", "format": "date-time"}),
                  Param("to", "Decisions up to this time (default: now).", {"type": "string", "format": "date-time"})))
def case_stats(call: Call) -> dict:
    return cases.stats(call.tenant_id, call.query.get("from"), call.query.get("to"))


@operation(bp, "GET", "/v1/cases/{case_id}", scope=(Scope.MODERATION, Scope.INSPECT),
           summary="A case", tag="reports", responses={200: "case.json"},
           errors=(404,), articles=REPORT_ARTICLES)
def get_case(call: Call) -> dict:
    return cases.get(call.tenant_id, call.path["case_id"])


@operation(bp, "GET", "/v1/cases/{case_id}/reports", scope=(Scope.MODERATION, Scope.INSPECT),
           summary="The reports on a case and their feedback",
           tag="reports", responses={200: "case_reports.json"}, errors=(404,), articles=("PA2020-20",),
           query=(LIMIT, CURSOR))
def case_reports(call: Call) -> dict:
    return cases.reports_of(call.tenant_id, call.path["case_id"], call.query.get("limit", 100),
                            call.query.get("cursor"))


@operation(bp, "POST", "/v1/cases/{case_id}/decision", scope=Scope.MODERATION, decision=True,
           summary="Decide a case, apply its dispositions, answer reporters",
           tag="reports", request_schema="case_decision_request.json", responses={200: "case.json"},
           headers=(IDEMPOTENCY_KEY,), errors=(404, 409, 422), articles=REPORT_ARTICLES + ("GR2017-11", "PA2020-19"),
           description="One transaction closes the case and applies its dispositions; then every reporter gets "
                       "feedback. Repeating the same decision finishes an interrupted one; a different one is 409.")
def decide_case(call: Call) -> dict:
    return decisions.decide(call.tenant_id, call.path["case_id"], call.body, call.headers.get("idempotency-key"),
                            call.lambda_context, decided_by(call))


@operation(bp, "GET", "/v1/reporters/{account_id}/feedback", scope=Scope.MODERATION,
           summary="Feedback, warnings and restrictions for a reporter",
           tag="reports", responses={200: "reporter_feedback.json"}, articles=("PA2020-20", "PA2017-15"),
           query=(LIMIT, CURSOR))
def reporter_feedback(call: Call) -> dict:
    return reporters.feedback(call.tenant_id, call.path["account_id"], call.query.get("limit", 50),
                              call.query.get("cursor"))


@operation(bp, "POST", "/v1/cases/{case_id}/appeals", scope=Scope.MODERATION,
           summary="Appeal a decision (operator of the disposed account)",
           tag="appeals", request_schema="appeal_request.json", responses={201: "appeal.json"},
           errors=(403, 404, 409), articles=APPEAL_ARTICLES,
           produces={"appeal_id": "/appeal_id", "case_id": "/case_id", "subject_id": "/subject_id"})
def file_appeal(call: Call) -> Reply:
    return Reply(appeals.file(call.tenant_id, call.path["case_id"], call.body), status=201)


@operation(bp, "GET", "/v1/appeals", scope=Scope.MODERATION,
           summary="Appeals by deadline, earliest first", tag="appeals",
           responses={200: "appeal_list.json"}, articles=APPEAL_ARTICLES,
           query=(Param("status", "PENDING (default) or DECIDED.", {"enum": ["PENDING", "DECIDED"]}), LIMIT, CURSOR))
def list_appeals(call: Call) -> dict:
    return appeals.listing(call.tenant_id, call.query.get("status", "PENDING"), call.query.get("limit", 50),
                           call.query.get("cursor"))


@operation(bp, "GET", "/v1/appeals/{appeal_id}", scope=Scope.MODERATION,
           summary="An appeal", tag="appeals", responses={200: "appeal.json"},
           errors=(404,), articles=APPEAL_ARTICLES)
def get_appeal(call: Call) -> dict:
    return appeals.get(call.tenant_id, call.path["appeal_id"])


@operation(bp, "POST", "/v1/appeals/{appeal_id}/decision", scope=Scope.MODERATION, decision=True,
           summary="Decide an appeal; overturning reverses dispositions",
           tag="appeals", request_schema="appeal_decision_request.json", responses={200: "appeal.json"},
           errors=(404, 409), articles=APPEAL_ARTICLES)
def decide_appeal(call: Call) -> dict:
    return appeals.decide(call.tenant_id, call.path["appeal_id"], call.body, decided_by(call))
