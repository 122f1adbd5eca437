"""The tenant's classifier gateway over HTTP, under the identity gateway's rules.

The request is signed as the identity gateway's is (HMAC-SHA256 over ``{timestamp}.{body}``, headers
X-Compliance-Timestamp and X-Compliance-Signature, identity/providers.signed_headers) and goes through
core/outbound.post: one pinned, checked address, no redirects, one deadline of `timeout_ms` for the
whole call, an answer of at most outbound.BODY_LIMIT bytes. One attempt only: a post check is on the
publishing path (MB2018-12), and a classifier that does not answer in time leaves our own channels'
decision. After repeated failures a circuit opens (per gateway URL, per container) and the check
answers UNAVAILABLE at once instead of waiting out the deadline on every post.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from chalicelib.classifier.labels import Action
from chalicelib.classifier.rules import Status, Unusable, Verdict, parse, unavailable
from chalicelib.core import outbound
from chalicelib.identity.providers import circuit_for, signed_headers


@dataclass(frozen=True)
class ImageRef:
    """What the gateway learns of an image: its place in the post, its PDQ hash and, when the post sent the
    bytes, their SHA-256 (so the platform's gateway can find its own stored copy); never the bytes."""

    index: int
    pdq: str
    sha256: str | None

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"index": self.index, "pdq": self.pdq}
        return found if self.sha256 is None else {**found, "sha256": self.sha256}


@dataclass(frozen=True)
class Gateway:
    url: str
    secret: str
    timeout_ms: int
    max_action: Action

    def classify(self, text: str, images: list[ImageRef], account_id: str | None) -> Verdict:
        circuit = circuit_for(f"classifier {self.url}")  # its own circuit, even on the identity gateway's URL
        if not circuit.allows(time.monotonic()):
            return unavailable(Unusable.CIRCUIT_OPEN)
        request: dict[str, Any] = {"request_id": "clf_" + secrets.token_hex(10), "text": text,
                                   "images": [i.as_dict() for i in images]}
        if account_id:
            request["account_id"] = account_id
        body = json.dumps(request, ensure_ascii=False).encode()
        verdict = self._post(body, len(images))
        circuit.record(verdict.status is Status.OK, time.monotonic())
        return verdict

    def _post(self, body: bytes, images: int) -> Verdict:
        try:
            answer = outbound.post(self.url, body, signed_headers(self.secret, body), timeout_ms=self.timeout_ms)
        except outbound.OutboundError as error:
            return unavailable(error.reason)
        return parse(answer.body, images, self.max_action)
