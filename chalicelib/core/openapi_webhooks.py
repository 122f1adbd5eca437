"""The webhooks the API sends, declared by the capability that sends them, for the OpenAPI document's
`webhooks` section (OpenAPI 3.1): what the receiving side needs, its payload schema, signature and retries.

Declared like operations (core/operation.py): a capability calls `declare` when its module loads, so the
document lists exactly the webhooks the product has, with the numbers its own delivery rules use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SIGNATURE_HEADERS = (
    ("X-Compliance-Timestamp", "When the attempt was signed, in Unix seconds. Refuse one older than 5 minutes.",
     {"type": "string", "pattern": "^[0-9]{1,12}$"}),
    ("X-Compliance-Signature", "Lowercase hex HMAC-SHA256, under the tenant's webhook secret, of "
     "`{timestamp}.{raw body}`. Compare in constant time over the raw bytes received.",
     {"type": "string", "pattern": "^[0-9a-f]{64}$"}),
)


@dataclass(frozen=True)
class Webhook:
    name: str          # the key in `webhooks`, e.g. caseDecided
    event_type: str    # the payload's `type`, e.g. case.decided
    summary: str
    schema: str        # the payload's schema file
    articles: tuple[str, ...]
    delivery: str      # how it is delivered: signature, retries, ordering (Markdown)


WEBHOOKS: dict[str, Webhook] = {}


def declare(webhook: Webhook) -> None:
    if WEBHOOKS.setdefault(webhook.name, webhook) != webhook:
        raise ValueError(f"webhook declared twice: {webhook.name}")


def section() -> dict[str, Any]:
    return {name: {"post": _post(webhook)} for name, webhook in sorted(WEBHOOKS.items())}


def _post(webhook: Webhook) -> dict[str, Any]:
    return {
        "operationId": f"webhook_{webhook.event_type.replace('.', '_')}",
        "summary": webhook.summary,
        "description": webhook.delivery + "\n\nRegulations: " + ", ".join(webhook.articles),
        "tags": ["webhooks"],
        "parameters": [{"name": name, "in": "header", "required": True, "description": text, "schema": schema}
                       for name, text, schema in SIGNATURE_HEADERS],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{webhook.schema.removesuffix('.json')}"}}}},
        "responses": {"2XX": {"description": "Received: any 2XX ends the delivery"},
                      "default": {"description": "Anything else, or no answer in time, is a failed attempt, retried"}},
        "security": [],
    }
