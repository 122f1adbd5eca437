"""The classifier behind a post check: policy content.classifier, the gateway, the merge (BJ2011-10, MB2018-12).

Optional per tenant: without a URL the answer is the post check's own, unchanged. With one, whatever goes
wrong on the way — a secret outside the tenant's SSM path or unreadable, an address refused, a gateway
down, late, redirecting, oversized or answering garbage — is `classifier: "UNAVAILABLE"` with its reason,
and the decision of our own channels (REVIEW at least where content.classifier.required). Never an error.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import time
from typing import Any

from chalicelib.classifier.decision import merge
from chalicelib.classifier.gateway import Gateway, ImageRef
from chalicelib.classifier.labels import Action
from chalicelib.classifier.rules import CallFailure, Reason, Unusable, Verdict, unavailable
from chalicelib.core import outbound, policy
from chalicelib.core.errors import ProviderUnavailable, Unprocessable
from chalicelib.core.observability import current_request_id
from chalicelib.core.scenes import DEFAULT_SCENE, Scene

SETTING = "content.classifier"
# Every classifier call of one request together: a batch of 20 posts against a slow gateway must still answer
# inside API Gateway's 29 s, so past this the remaining posts answer BUDGET_SPENT without a call.
REQUEST_BUDGET_MS = 6000
MIN_CALL_MS = 50
_spent: dict[str, float] = {}  # milliseconds spent by the request in flight; one request at a time per container


def merged(tenant_id: str, body: dict[str, Any], answer: dict[str, Any],
           scene: Scene = DEFAULT_SCENE) -> dict[str, Any]:
    """`answer` (a post check's) with the tenant's classifier merged in, or as it is when none is set or the
    scene turns the classifier channel off; the scene may require it (core/scenes.py)."""
    settings = policy.setting(tenant_id, "content", "classifier")
    asked, required = scene.classifier(bool(settings.get("required")))
    if not settings.get("url") or not asked:
        return answer
    verdict = _verdict(tenant_id, settings, body, answer)
    return merge(answer, verdict, required=required)


def _verdict(tenant_id: str, settings: dict[str, Any], body: dict[str, Any], answer: dict[str, Any]) -> Verdict:
    gateway = _gateway(tenant_id, settings)
    if not isinstance(gateway, Gateway):
        return unavailable(gateway)
    left = _budget_left()
    if left < MIN_CALL_MS:
        return unavailable(Unusable.BUDGET_SPENT)
    started = time.monotonic()
    try:
        return dataclasses.replace(gateway, timeout_ms=min(gateway.timeout_ms, left)).classify(
            body.get("text", ""), image_refs(body, answer), body.get("account_id"))
    finally:
        _spend((time.monotonic() - started) * 1000)


def _budget_left() -> int:
    request = current_request_id.get()
    if request not in _spent or request == "-":  # a call outside a request has no batch to share with
        _spent.clear()
        _spent[request] = 0.0
    return int(REQUEST_BUDGET_MS - _spent[request])


def _spend(milliseconds: float) -> None:
    _spent[current_request_id.get()] = _spent.get(current_request_id.get(), 0.0) + milliseconds


def _gateway(tenant_id: str, settings: dict[str, Any]) -> Gateway | Reason:
    parameter = settings.get("secret_parameter")
    if not parameter:
        return Unusable.NOT_CONFIGURED  # never an unsigned call
    try:
        outbound.check(tenant_id, settings["url"], parameter, setting=SETTING, code_prefix="CLASSIFIER")
        secret = outbound.secret(parameter, code_prefix="CLASSIFIER")
    except Unprocessable as refused:
        if refused.error_code.endswith("_SECRET_OUTSIDE_TENANT"):
            return Unusable.SECRET_OUTSIDE_TENANT
        return CallFailure(refused.details.get("reason", "ADDRESS_FORBIDDEN"))
    except ProviderUnavailable:
        return Unusable.SECRET_UNAVAILABLE
    return Gateway(settings["url"], secret, int(settings["timeout_ms"]), Action(settings["max_action"]))


def image_refs(body: dict[str, Any], answer: dict[str, Any]) -> list[ImageRef]:
    sent = body.get("images", [])
    return [ImageRef(i["index"], i["pdq"], _sha256(sent[i["index"]].get("image"))) for i in answer.get("images", [])]


def _sha256(image: str | None) -> str | None:
    if image is None:
        return None
    try:
        return hashlib.sha256(base64.b64decode(image, validate=False)).hexdigest()
    except (binascii.Error, ValueError):  # the avatar check has judged it already; the gateway gets no digest
        return None
