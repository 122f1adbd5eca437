"""What the receiving side of the feedback webhooks needs to know (PA2020-20, RL2020-11), declared for the
OpenAPI document (core/openapi_webhooks.py) with the numbers reports/webhook_rules.py delivers by."""

from __future__ import annotations

from chalicelib.core.openapi_webhooks import Webhook, declare
from chalicelib.reports import webhook_rules as rules

VERIFY = '''```python
from compliance_client import WebhookSignatureError, verify_webhook   # pip install ./clients/python

def receive(headers, raw_body: bytes):            # raw bytes, before any JSON parsing
    try:
        event = verify_webhook(SECRET, headers, raw_body)   # signature + 300 s tolerance
    except WebhookSignatureError:
        return 400
    if already_seen(event["delivery_id"]):        # at-least-once: a retry repeats the delivery
        return 200
    handle(event)                                 # event["type"]: case.decided | appeal.decided
    return 200
```

Without the client (any language works the same way):

```python
import hashlib, hmac, time
timestamp = headers["X-Compliance-Timestamp"]
expected = hmac.new(SECRET.encode(), timestamp.encode() + b"." + raw_body, hashlib.sha256).hexdigest()
ok = abs(time.time() - int(timestamp)) <= 300 and hmac.compare_digest(expected, headers["X-Compliance-Signature"])
```'''


def delivery() -> str:
    return (
        "POSTed to the tenant's `reports.webhook.url` (policy; HTTPS on a public address outside dev), signed with "
        "the SSM SecureString named by `reports.webhook.secret_parameter`: `X-Compliance-Signature` is the hex "
        "HMAC-SHA256 of `{X-Compliance-Timestamp}.{raw body}`.\n\n"
        f"**Retries.** Answer any 2XX within `reports.webhook.timeout_ms`; anything else is a failed attempt. "
        f"Attempt n+1 waits {rules.FIRST_BACKOFF_SECONDS} s x 2^(n-2) from the second, capped at "
        f"{rules.MAX_BACKOFF_SECONDS // 60} minutes; after {rules.MAX_ATTEMPTS} attempts or "
        f"{rules.DEADLINE_SECONDS // 3600} hours from the first the delivery is given up (ABANDONED, kept, so "
        "whether feedback was sent stays answerable). Every attempt carries the same `delivery_id` and body, "
        "signed anew.\n\n"
        "**Ordering.** None is guaranteed: a retried delivery can arrive after a later one. Order by the "
        "payload's own times (`decided_at`) and de-duplicate on `delivery_id`.\n\n" + VERIFY)


declare(Webhook("caseDecided", "case.decided", "A case was decided: answer its reporters",
                "webhook_case_decided.json", ("PA2020-20", "MB2018-14"), delivery()))
declare(Webhook("appealDecided", "appeal.decided", "An appeal was decided (UPHELD or OVERTURNED)",
                "webhook_appeal_decided.json", ("PA2020-20", "RL2020-11"), delivery()))
