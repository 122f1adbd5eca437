"""Every key of every table, built by a named function, so no store spells a key pattern itself.

The table layout (each table, item type, PK/SK pattern, GSI and TTL attribute) is documented once in
docs/data-model.md; an item type or index added here is added there in the same change. Every
tenant-owned partition key starts with ``T#{tenant}#`` (`tenant_pk`), so no query can cross tenants.
TTL attributes hold epoch seconds.
"""

from __future__ import annotations

TENANT_ITEM_SK = "TENANT"
POLICY_SK = "POLICY"
APIKEY_SK = "APIKEY"
TENANTS_INDEX_PK = "TENANTS"


def tenant_pk(tenant_id: str, kind: str) -> str:
    """Partition key of a tenant-owned item of one kind, e.g. ``T#acme#TENANT``."""
    return f"T#{tenant_id}#{kind}"


def tenant_item(tenant_id: str) -> dict[str, str]:
    return {"PK": tenant_pk(tenant_id, "TENANT"), "SK": TENANT_ITEM_SK}


def policy_item(tenant_id: str) -> dict[str, str]:
    return {"PK": tenant_pk(tenant_id, "TENANT"), "SK": POLICY_SK}


def api_key_item(key_hash: str) -> dict[str, str]:
    return {"PK": f"APIKEY#{key_hash}", "SK": APIKEY_SK}


def api_keys_index(tenant_id: str) -> str:
    return tenant_pk(tenant_id, "APIKEYS")


def keyring_item(tenant_id: str) -> dict[str, str]:
    return {"PK": tenant_pk(tenant_id, "TENANT"), "SK": "KEYRING"}


def subject_pk(tenant_id: str, subject_id: str) -> str:
    return tenant_pk(tenant_id, f"SUBJECT#{subject_id}")


def subject_id_of_pk(pk: str) -> str:
    """The subject id at the end of a ``T#{tenant}#SUBJECT#{sid}`` partition key (the one key parsed back)."""
    return pk.rsplit("#", 1)[1]


def subject_item(tenant_id: str, subject_id: str) -> dict[str, str]:
    return {"PK": subject_pk(tenant_id, subject_id), "SK": "SUBJECT"}


def verification_sk(verification_id: str) -> str:
    """Verification ids start with their time in hex milliseconds, so these sort by time."""
    return f"VERIFICATION#{verification_id}"


def attempts_item(tenant_id: str, blind_index: str, day: str) -> dict[str, str]:
    return {"PK": tenant_pk(tenant_id, f"ATTEMPTS#{blind_index}"), "SK": day}


def reconfirm_index(tenant_id: str) -> str:
    return tenant_pk(tenant_id, "RECONFIRM")


def lapsed_index(tenant_id: str) -> str:
    """Subjects whose verification the sweep marked EXPIRED: out of RECONFIRM, so no sweep reads them again."""
    return tenant_pk(tenant_id, "LAPSED")


def upfront_index(tenant_id: str, category: str) -> str:
    return tenant_pk(tenant_id, f"UPFRONT#{category}")


def target_pk(tenant_id: str, target_type: str, target_id: str) -> str:
    return tenant_pk(tenant_id, f"TARGET#{target_type}#{target_id}")


def disposition_ref(tenant_id: str, disposition_id: str) -> dict[str, str]:
    return {"PK": tenant_pk(tenant_id, f"DISPOSITION#{disposition_id}"), "SK": "REF"}


def credit_pk(tenant_id: str, subject_id: str) -> str:
    return tenant_pk(tenant_id, f"CREDIT#{subject_id}")


def blacklist_item(tenant_id: str, list_type: str, key: str) -> dict[str, str]:
    return {"PK": tenant_pk(tenant_id, f"BL#{list_type}#{key}"), "SK": "ENTRY"}


def blacklist_index(tenant_id: str, list_type: str) -> str:
    return tenant_pk(tenant_id, f"BL#{list_type}")


def reportable_index(tenant_id: str) -> str:
    return tenant_pk(tenant_id, "REPORTABLE")


def log_pk(tenant_id: str, account_id: str) -> str:
    return tenant_pk(tenant_id, f"LOG#{account_id}")


def log_item(tenant_id: str, account_id: str, at: str, event_id: str) -> dict[str, str]:
    return {"PK": log_pk(tenant_id, account_id), "SK": f"{at}#{event_id}"}


def log_content_index(tenant_id: str, content_sha256: str) -> str:
    return tenant_pk(tenant_id, f"CONTENT#{content_sha256}")


def account_activity(tenant_id: str, account_id: str) -> dict[str, str]:
    return {"PK": tenant_pk(tenant_id, f"ACCOUNT#{account_id}"), "SK": "ACTIVITY"}


def report_item(tenant_id: str, report_id: str) -> dict[str, str]:
    return {"PK": tenant_pk(tenant_id, f"REPORT#{report_id}"), "SK": "REPORT"}


def case_pk(tenant_id: str, case_id: str) -> str:
    return tenant_pk(tenant_id, f"CASE#{case_id}")


def case_item(tenant_id: str, case_id: str) -> dict[str, str]:
    return {"PK": case_pk(tenant_id, case_id), "SK": "CASE"}


def cases_index(tenant_id: str, status: str) -> str:
    return tenant_pk(tenant_id, f"CASES#{status}")


def open_case_item(tenant_id: str, target_type: str, target_id: str) -> dict[str, str]:
    return {"PK": tenant_pk(tenant_id, f"OPENCASE#{target_type}#{target_id}"), "SK": "OPEN"}


def open_review_item(tenant_id: str, object_type: str, object_id: str) -> dict[str, str]:
    """The one open CHECK case of a checked object (reports.reviews)."""
    return {"PK": tenant_pk(tenant_id, f"OPENREVIEW#{object_type}#{object_id}"), "SK": "OPEN"}


def clearance_item(tenant_id: str, object_type: str, object_id: str, check: str, fingerprint: str) -> dict[str, str]:
    """A reviewer's approval of exactly what was checked on an object (reports.reviews)."""
    return {"PK": tenant_pk(tenant_id, f"CLEARED#{object_type}#{object_id}"), "SK": f"{check}#{fingerprint}"}


def case_report_item(tenant_id: str, case_id: str, report_id: str) -> dict[str, str]:
    return {"PK": case_pk(tenant_id, case_id), "SK": f"REPORT#{report_id}"}


def decisions_pk(tenant_id: str) -> str:
    return tenant_pk(tenant_id, "DECISIONS")


def decision_item(tenant_id: str, decided_at: str, case_id: str) -> dict[str, str]:
    return {"PK": decisions_pk(tenant_id), "SK": f"{decided_at}#{case_id}"}


def reporter_pk(tenant_id: str, reporter_key: str) -> str:
    return tenant_pk(tenant_id, f"REPORTER#{reporter_key}")


def reporter_stats_item(tenant_id: str, reporter_key: str) -> dict[str, str]:
    return {"PK": reporter_pk(tenant_id, reporter_key), "SK": "STATS"}


def reporter_window_item(tenant_id: str, reporter_key: str, window_start: int) -> dict[str, str]:
    return {"PK": reporter_pk(tenant_id, reporter_key), "SK": f"WINDOW#{window_start}"}


def reporter_feedback_item(tenant_id: str, reporter_key: str, at: str, suffix: str) -> dict[str, str]:
    """A reporter's feedback record: one per report (`suffix` = report id) or per warning/restriction."""
    return {"PK": reporter_pk(tenant_id, reporter_key), "SK": f"FEEDBACK#{at}#{suffix}"}


def deadline_sort_key(due_at: str, item_id: str) -> str:
    """GSI1SK of cases and appeals: by deadline, then id (see reports.rules.is_overdue for its range)."""
    return f"{due_at}#{item_id}"


def appeal_item(tenant_id: str, appeal_id: str) -> dict[str, str]:
    return {"PK": tenant_pk(tenant_id, f"APPEAL#{appeal_id}"), "SK": "APPEAL"}


def appeals_index(tenant_id: str, status: str) -> str:
    return tenant_pk(tenant_id, f"APPEALS#{status}")


def public_accounts_index(tenant_id: str) -> str:
    return tenant_pk(tenant_id, "PUBLICACCOUNTS")


def filings_pk(tenant_id: str) -> str:
    return tenant_pk(tenant_id, "FILINGS")


def filing_item(tenant_id: str, period: str) -> dict[str, str]:
    return {"PK": filings_pk(tenant_id), "SK": period}


def restriction_summary(tenant_id: str, subject_id: str) -> dict[str, str]:
    return {"PK": target_pk(tenant_id, "SUBJECT", subject_id), "SK": "SUMMARY"}


GROUP_MEMBER_PREFIX = "MEMBER#"


def group_pk(tenant_id: str, group_id: str) -> str:
    return tenant_pk(tenant_id, f"GROUP#{group_id}")


def group_item(tenant_id: str, group_id: str) -> dict[str, str]:
    return {"PK": group_pk(tenant_id, group_id), "SK": "GROUP"}


def group_member_item(tenant_id: str, group_id: str, subject_id: str) -> dict[str, str]:
    return {"PK": group_pk(tenant_id, group_id), "SK": f"{GROUP_MEMBER_PREFIX}{subject_id}"}


def led_groups_index(tenant_id: str, subject_id: str) -> str:
    """GSI1 partition of the groups a subject founded or manages (GR2017-8): the member item carries it while
    its role is FOUNDER or MANAGER, so a demotion or a departure takes the group off the list with the role."""
    return tenant_pk(tenant_id, f"LEADS#{subject_id}")


def group_counter_item(tenant_id: str, subject_id: str) -> dict[str, str]:
    """Groups a subject founded and joined (GR2017-8 caps), in the subject's partition."""
    return {"PK": subject_pk(tenant_id, subject_id), "SK": "GROUPS"}


SUBJECT_ACCOUNT_PREFIX = "ACCOUNT#"


def account_pk(tenant_id: str, account_id: str) -> str:
    return tenant_pk(tenant_id, f"ACCOUNT#{account_id}")


def account_item(tenant_id: str, account_id: str) -> dict[str, str]:
    return {"PK": account_pk(tenant_id, account_id), "SK": "ACCOUNT"}


def account_notice_item(tenant_id: str, account_id: str, at: str) -> dict[str, str]:
    return {"PK": account_pk(tenant_id, account_id), "SK": f"NOTICE#{at}"}


def account_counter_item(tenant_id: str, subject_id: str) -> dict[str, str]:
    """The subject's accounts and public accounts (PA2017-7 limit), in the subject's partition."""
    return {"PK": subject_pk(tenant_id, subject_id), "SK": "ACCOUNTS"}


def subject_account_item(tenant_id: str, subject_id: str, account_id: str) -> dict[str, str]:
    return {"PK": subject_pk(tenant_id, subject_id), "SK": f"{SUBJECT_ACCOUNT_PREFIX}{account_id}"}


def external_id_item(tenant_id: str, external_id: str) -> dict[str, str]:
    return {"PK": tenant_pk(tenant_id, f"EXTERNAL#{external_id}"), "SK": "EXTERNAL"}


def velocity_item(tenant_id: str, kind: str, digest: str, window_start: int) -> dict[str, str]:
    return {"PK": tenant_pk(tenant_id, f"VELOCITY#{kind}#{digest}"), "SK": str(window_start)}


def activity_index(tenant_id: str) -> str:
    return tenant_pk(tenant_id, "ACTIVITY")


def hoarding_index(tenant_id: str) -> str:
    return tenant_pk(tenant_id, "HOARDING")


def transfer_item(tenant_id: str, transfer_id: str) -> dict[str, str]:
    return {"PK": tenant_pk(tenant_id, f"TRANSFER#{transfer_id}"), "SK": "TRANSFER"}


def content_actions_pk(tenant_id: str) -> str:
    """Actions on content (records table), by time (MB2018-12)."""
    return tenant_pk(tenant_id, "CONTENT_ACTIONS")


def content_actions_index(tenant_id: str, account_id: str) -> str:
    return tenant_pk(tenant_id, f"CONTENT_ACTIONS#{account_id}")


def outbox_pk(tenant_id: str) -> str:
    return tenant_pk(tenant_id, "OUTBOX")


def outbox_item(tenant_id: str, at: str, delivery_id: str) -> dict[str, str]:
    return {"PK": outbox_pk(tenant_id), "SK": f"{at}#{delivery_id}"}


RUMOUR_SIGHTING_PREFIX = "SIGHT#"


def rumour_pk(tenant_id: str, rumour_id: str) -> str:
    return tenant_pk(tenant_id, f"RUMOUR#{rumour_id}")


def rumour_item(tenant_id: str, rumour_id: str) -> dict[str, str]:
    return {"PK": rumour_pk(tenant_id, rumour_id), "SK": "RUMOUR"}


def rumour_sighting_item(tenant_id: str, rumour_id: str, at: str, account_id: str) -> dict[str, str]:
    return {"PK": rumour_pk(tenant_id, rumour_id), "SK": f"{RUMOUR_SIGHTING_PREFIX}{at}#{account_id}"}


def rumour_rate_item(tenant_id: str, rumour_id: str, hour: str) -> dict[str, str]:
    return {"PK": rumour_pk(tenant_id, rumour_id), "SK": f"RATE#{hour}"}


def rumour_set_version(tenant_id: str) -> dict[str, str]:
    return {"PK": tenant_pk(tenant_id, "RUMOURS"), "SK": "VERSION"}


def rumours_index(tenant_id: str) -> str:
    return tenant_pk(tenant_id, "RUMOURS")


def rumour_alerts_pk(tenant_id: str) -> str:
    return tenant_pk(tenant_id, "RUMOUR_ALERTS")


def rumour_alert_item(tenant_id: str, hour: str, rumour_id: str) -> dict[str, str]:
    return {"PK": rumour_alerts_pk(tenant_id), "SK": f"{hour}#{rumour_id}"}


def metric_series_pk(tenant_id: str, account_id: str, metric: str) -> str:
    """One account's readings of one metric (records table), by time."""
    return tenant_pk(tenant_id, f"METRIC#{account_id}#{metric}")


def metric_reading_item(tenant_id: str, account_id: str, metric: str, at: str) -> dict[str, str]:
    return {"PK": metric_series_pk(tenant_id, account_id, metric), "SK": at}


def metric_flags_pk(tenant_id: str, account_id: str) -> str:
    return tenant_pk(tenant_id, f"METRICFLAG#{account_id}")


def metric_flag_item(tenant_id: str, account_id: str, at: str, metric: str) -> dict[str, str]:
    return {"PK": metric_flags_pk(tenant_id, account_id), "SK": f"{at}#{metric}"}


def metrics_touched_pk(tenant_id: str) -> str:
    return tenant_pk(tenant_id, "METRICS_DIRTY")


def metric_touched_item(tenant_id: str, account_id: str, metric: str) -> dict[str, str]:
    return {"PK": metrics_touched_pk(tenant_id), "SK": f"{account_id}#{metric}"}


def job_unit_item(tenant_id: str, job: str, run: str, unit: str) -> dict[str, str]:
    """One unit of a scheduled run (chalicelib/jobs): its step and checkpoint make redelivery idempotent."""
    return {"PK": tenant_pk(tenant_id, "JOBS"), "SK": f"{run}#{job}#{unit}"}


def job_run_prefix(run: str) -> str:
    """The sort-key prefix of every unit of one run in a tenant's JOBS partition."""
    return f"{run}#"


def audit_verified_item(tenant_id: str) -> dict[str, str]:
    """How far the tenant's audit chain is verified (GR2017-11): seq and hash of the last event checked."""
    return {"PK": tenant_pk(tenant_id, "JOBS"), "SK": "AUDIT_VERIFIED"}
