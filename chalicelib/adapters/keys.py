"""The data model: every table, item type, key pattern, index and TTL, documented once.

Tables (created by ``infra/template.json``; names from ``chalicelib.config``):

``main``  (PK, SK; GSI1 = GSI1PK/GSI1SK; TTL attribute ``ttl``)
    Durable state of every tenant. Every item a tenant owns has a partition key that
    starts with ``T#{tenant_id}#``, so a query can only ever reach one tenant's data.

    ============================  =========================  =====================================
    item                          PK                         SK
    ============================  =========================  =====================================
    tenant                        T#{tenant}#TENANT          TENANT
    policy overrides              T#{tenant}#TENANT          POLICY
    API key (auth index)          APIKEY#{sha256(key)}       APIKEY
    ============================  =========================  =====================================

    GSI1 lists what a tenant owns by kind:

    ============================  =========================  =====================================
    item                          GSI1PK                     GSI1SK
    ============================  =========================  =====================================
    tenant (operator listing)     TENANTS                    {tenant}
    API key                       T#{tenant}#APIKEYS         {created_at}#{key_id}
    ============================  =========================  =====================================

    The API-key item is the one item not under a tenant prefix: authentication must find
    the tenant from the key alone. It holds only the SHA-256 of the key (keys carry at
    least 128 random bits, so a fast hash is not brute-forceable), the tenant id and status.

``records``  (PK, SK; GSI1; TTL attribute ``ttl``)
    Append-mostly records kept for a regulated period (six-month logs, MB2018-16,
    GR2017-13, PA2017-16). Same ``T#{tenant}#`` prefix rule. DynamoDB deletes expired
    items up to ~48 h late, so every read filters ``ttl`` against the clock.

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
