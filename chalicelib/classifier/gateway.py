"""The tenant's classifier gateway over HTTP, under the identity gateway's rules.

The request is signed as the identity gateway's is (HMAC-SHA256 over ``{timestamp}.{body}``, headers
X-Compliance-Timestamp and X-Compliance-Signature, identity/providers.signed_headers) and goes through
core/outbound.post: one pinned, checked address, no redirects, one deadline of `timeout_ms` for the
whole call, an answer of at most outbound.BODY_LIMIT bytes. One attempt only: a post check is on the
publishing path (MB2018-12), an avatar check on registration's (PA2020-8), and a classifier that does not
answer in time leaves our own channels' decision. After repeated failures a circuit opens (per gateway URL,
per container, posts and avatars alike) and the check answers UNAVAILABLE at once instead of waiting out the
deadline on every check. The request's `kind` (`post`, `avatar`) lets the gateway pick its vendor's API.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from chalicelib.classifier.labels import Action
from chalicelib.classifier.rules import Status, Unusable, Verdict, parse, unavailable
from chalicelib.core import outbound
from chalicelib.identity.providers import circuit_for, signed_headers


class Kind(StrEnum):
    """What is asked about, so the gateway can pick its vendor's API: a post's text and images, or an avatar."""

    POST = "post"
    AVATAR = "avatar"


@dataclass(frozen=True)
class ImageRef:
    """What the gateway learns of an image: its place in the post (0 for an avatar), its PDQ hash, the SHA-256
    of its bytes when they were sent or read from the bucket (so the platform's gateway can find its own stored
    copy) and its S3 key when given; never the bytes."""

    index: int
    pdq: str
    sha256: str | None
    s3_key: str | None = None

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"index": self.index, "pdq": self.pdq}
        if self.sha256 is not None:
            found["sha256"] = self.sha256
        return found if self.s3_key is None else {**found, "s3_key": self.s3_key}


@dataclass(frozen=True)
class Request:
    """One call's question: a post (its text and images) or an avatar (no text, its one image)."""

    kind: Kind
    text: str
    images: tuple[ImageRef, ...]
    account_id: str | None

    def as_dict(self, request_id: str) -> dict[str, Any]:
        found: dict[str, Any] = {"request_id": request_id, "kind": self.kind.value, "text": self.text,
                                 "images": [i.as_dict() for i in self.images]}
        return found if not self.account_id else {**found, "account_id": self.account_id}


@dataclass(frozen=True)
class Gateway:
    url: str
    secret: str
    timeout_ms: int
    max_action: Action

    def classify(self, asked: Request) -> Verdict:
        circuit = circuit_for(f"classifier {self.url}")  # its own circuit, even on the identity gateway's URL
        if not circuit.allows(time.monotonic()):
            return unavailable(Unusable.CIRCUIT_OPEN)
        body = json.dumps(asked.as_dict("clf_" + secrets.token_hex(10)), ensure_ascii=False).encode()
        verdict = self._post(body, len(asked.images))
        circuit.record(verdict.status is Status.OK, time.monotonic())
        return verdict

    def _post(self, body: bytes, images: int) -> Verdict:
        try:
            answer = outbound.post(self.url, body, signed_headers(self.secret, body), timeout_ms=self.timeout_ms)
        except outbound.OutboundError as error:
            return unavailable(error.reason)
        return parse(answer.body, images, self.max_action)
