"""The data model: every table, item type, key pattern, index and TTL, documented once.

Tables (created by ``infra/template.json``; names from ``chalicelib.core.config``):

``main``  (PK, SK; GSI1 = GSI1PK/GSI1SK; TTL attribute ``ttl``)
    Durable state of every tenant. Every item a tenant owns has a partition key that
    starts with ``T#{tenant_id}#``, so a query can only ever reach one tenant's data.

    ============================  =========================  =====================================
    item                          PK                         SK
    ============================  =========================  =====================================
    tenant                        T#{tenant}#TENANT          TENANT
    policy overrides              T#{tenant}#TENANT          POLICY
    blind-index key (wrapped)     T#{tenant}#TENANT          KEYRING
    API key (auth index)          APIKEY#{sha256(key)}       APIKEY
    subject (real-name identity)  T#{tenant}#SUBJECT#{sid}   SUBJECT
    verification attempt record   T#{tenant}#SUBJECT#{sid}   VERIFICATION#{verification_id}
    professional qualification    T#{tenant}#SUBJECT#{sid}   QUALIFICATION#{domain}#{id}
    upfront (V) verification      T#{tenant}#SUBJECT#{sid}   UPFRONT#{id}
    verification attempt counter  T#{tenant}#ATTEMPTS#{bi}   {day}             (ttl: 2 days)
    lexicon entry (names)         T#{tenant}#NAMES           {KIND}#{entry_id}
    lexicon version               T#{tenant}#NAMES           VERSION
    disposition                   T#{tenant}#TARGET#{t}#{id} DISP#{disposition_id}
    restrictions on a subject     T#{tenant}#TARGET#SUBJECT#{sid} SUMMARY    (r_{disposition_id}: in force?)
    disposition → target pointer  T#{tenant}#DISPOSITION#{d} REF
    credit strike                 T#{tenant}#CREDIT#{sid}    STRIKE#{disposition_id}
    blacklist entry               T#{tenant}#BL#{type}#{key} ENTRY
    account                       T#{tenant}#ACCOUNT#{id}    ACCOUNT
    account activity              T#{tenant}#ACCOUNT#{id}    ACTIVITY          (last_active_at)
    account under its subject     T#{tenant}#SUBJECT#{sid}   ACCOUNT#{id}
    subject's account counter     T#{tenant}#SUBJECT#{sid}   ACCOUNTS          (limit, PA2017-7)
    external id uniqueness        T#{tenant}#EXTERNAL#{xid}  EXTERNAL
    registration velocity         T#{tenant}#VELOCITY#{k}#{h} {window start}   (ttl: 2 windows)
    webhook outbox                T#{tenant}#OUTBOX          {at}#{delivery_id}
    report                        T#{tenant}#REPORT#{rid}    REPORT
    case                          T#{tenant}#CASE#{cid}      CASE
    a report on a case            T#{tenant}#CASE#{cid}      REPORT#{rid}
    appeal                        T#{tenant}#APPEAL#{aid}    APPEAL
    open case of a target         T#{tenant}#OPENCASE#{t}#{id} OPEN            (case_id)
    open CHECK case of an object  T#{tenant}#OPENREVIEW#{t}#{id} OPEN          (case_id)
    what a review approved        T#{tenant}#CLEARED#{t}#{id} {check}#{fingerprint} (signature, case_id)
    decided case (for stats)      T#{tenant}#DECISIONS       {decided_at}#{cid}
    reporter record               T#{tenant}#REPORTER#{rk}   STATS
    reporter intake window        T#{tenant}#REPORTER#{rk}   WINDOW#{start}    (ttl: 2 windows)
    feedback to a reporter        T#{tenant}#REPORTER#{rk}   FEEDBACK#{at}#{rid}
    filing export                 T#{tenant}#FILINGS         {period}          (manifest key, totals)
    rumour                        T#{tenant}#RUMOUR#{rid}    RUMOUR
    rumour sighting               T#{tenant}#RUMOUR#{rid}    SIGHT#{at}#{account}
    rumour sightings per hour     T#{tenant}#RUMOUR#{rid}    RATE#{hour}       (ttl: 2 days)
    rumour set version            T#{tenant}#RUMOURS         VERSION
    scheduled unit of work        T#{tenant}#JOBS            {run}#{job}#{unit} (step, checkpoint; ttl 14 d)
    audit verification checkpoint T#{tenant}#JOBS            AUDIT_VERIFIED    (seq and hash verified up to)
    ============================  =========================  =====================================

    One open case per target is the OPENCASE item, created conditionally with the case and
    deleted when the case is decided. `rk` is the reporter's platform account id, or
    ``anon-{rid}`` for an anonymous reporter. A case's reports share its partition, so the
    feedback fan-out on a decision is one paginated Query.

    A target's dispositions share one partition, so "what is in force now" is one Query; a
    blacklist entry is addressed by (type, key), so checking 100 keys is one BatchGetItem.

    Everything about one subject shares its partition, so one Query answers "who is this".
    `sid` and `bi` are HMAC blind indexes (see core/crypto.py); no plain identity number
    is stored anywhere: subjects hold masked forms plus AES-GCM ciphertext under a KMS key.

    GSI1 lists what a tenant owns by kind:

    ============================  =========================  =====================================
    item                          GSI1PK                     GSI1SK
    ============================  =========================  =====================================
    tenant (operator listing)     TENANTS                    {tenant}
    API key                       T#{tenant}#APIKEYS         {created_at}#{key_id}
    verified subject              T#{tenant}#RECONFIRM       {reconfirm_by}#{sid}
    expired subject (lapsed)      T#{tenant}#LAPSED          {expired_at}#{sid} (left RECONFIRM, MB2018-7)
    upfront (V) verification      T#{tenant}#UPFRONT#{cat}   {approved_at}#{sid}
    reportable disposition        T#{tenant}#REPORTABLE      {created_at}#{disposition_id}
    public account under subject  T#{tenant}#PUBLICACCOUNTS  {sid}#{account_id} (grouped by subject)
    hoarding-flagged subject      T#{tenant}#HOARDING        {sid}
    blacklist entry               T#{tenant}#BL#{type}       {created_at}#{key}
    case                          T#{tenant}#CASES#{status}  {due_at}#{cid}    (sorted by deadline)
    appeal                        T#{tenant}#APPEALS#{status} {due_at}#{aid}
    rumour alert                  T#{tenant}#RUMOUR_ALERTS   {at}#{rid}
    group led by a subject        T#{tenant}#LEADS#{sid}     {group_id}        (founder/manager member item)
    ============================  =========================  =====================================

    The API-key item is the one item not under a tenant prefix: authentication must find
    the tenant from the key alone. It holds only the SHA-256 of the key (keys carry at
    least 128 random bits, so a fast hash is not brute-forceable), the tenant id and status.

``records``  (PK, SK; GSI1; TTL attribute ``ttl``)
    Append-mostly records kept for a regulated period (six-month logs, MB2018-16,
    GR2017-13, PA2017-16). Same ``T#{tenant}#`` prefix rule. DynamoDB deletes expired
    items up to ~48 h late, so every read filters ``ttl`` against the clock.

    ============================  =========================  =====================================
    item                          PK                         SK
    ============================  =========================  =====================================
    user log event                T#{tenant}#LOG#{account}   {at}#{event_id}   (ttl: at + log_days)
                                  GSI1 T#{tenant}#CONTENT#{sha256} / {at}#{account}#{event_id} when hashed
    action on content             T#{tenant}#CONTENT_ACTIONS {at}#{action_id}  (ttl: at + log_days)
                                  GSI1 T#{tenant}#CONTENT_ACTIONS#{account} / {at}#{action_id}
    audit event                   T#{tenant}#AUDIT           E#{seq:012d}      (ttl: audit_days, monotonic)
    audit chain head              T#{tenant}#AUDIT           HEAD              (no ttl)
    ============================  =========================  =====================================

    An audit event holds seq, prev_hash, prev_expires (the previous event's ttl), at, type, actor,
    data and hash, the SHA-256 of the others (core/audit_chain.py). Its ttl is the later of
    now + retention.audit_days and the previous event's ttl, so only a prefix of a chain expires.
    The head holds seq and hash of the last event, expires (that event's ttl) and mac: HMAC-SHA-256
    by the KMS audit head key over (tenant, seq, hash, expires), base64 (core/audit_seal.py). The
    head is anchored outside the table, in S3 under Object Lock (``audit-anchors/{tenant}/``).

``idempotency``  (id; TTL attribute ``expiration``)
    aws-lambda-powertools Idempotency records, keyed by tenant + operation + client key.

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
