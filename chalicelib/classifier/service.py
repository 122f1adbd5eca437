"""The classifier behind post and avatar checks: policy content.classifier, the gateway, the merge (BJ2011-10,
MB2018-12, PA2020-8).

Optional per tenant: without a URL the answer is the check's own, unchanged. With one, whatever goes
wrong on the way — a secret outside the tenant's SSM path or unreadable, an address refused, a gateway
down, late, redirecting, oversized or answering garbage — is `classifier: "UNAVAILABLE"` with its reason,
and the decision of our own channels (REVIEW at least where content.classifier.required). Never an error.
Posts and avatars share the gateway's circuit and the request's budget.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import time
from collections.abc import Callable
from typing import Any, Protocol

from chalicelib.classifier.decision import merge, merge_avatar
from chalicelib.classifier.gateway import Gateway, ImageRef, Kind, Request
from chalicelib.classifier.labels import Action
from chalicelib.classifier.rules import CallFailure, Reason, Unusable, Verdict, unavailable
from chalicelib.core import outbound_settings, policy
from chalicelib.core.errors import ProviderUnavailable, Unprocessable
from chalicelib.core.observability import current_request_id
from chalicelib.core.scenes import DEFAULT_SCENE, Scene

SETTING = "content.classifier"
# Every classifier call of one request together: a batch of 20 posts against a slow gateway must still answer
# inside API Gateway's 29 s, so past this the remaining posts answer BUDGET_SPENT without a call.
REQUEST_BUDGET_MS = 6000
MIN_CALL_MS = 50
_spent: dict[str, float] = {}  # milliseconds spent by the request in flight; one request at a time per container


class Merge(Protocol):
    def __call__(self, answer: dict[str, Any], verdict: Verdict, *, required: bool) -> dict[str, Any]: ...


def merged(tenant_id: str, body: dict[str, Any], answer: dict[str, Any],
           scene: Scene = DEFAULT_SCENE) -> dict[str, Any]:
    """`answer` (a post check's) with the tenant's classifier merged in, or as it is when none is set or the
    scene turns the classifier channel off; the scene may require it (core/scenes.py)."""
    return _merged(tenant_id, answer, scene, merge, lambda: Request(
        Kind.POST, body.get("text", ""), tuple(image_refs(body, answer)), body.get("account_id")))


def merged_avatar(tenant_id: str, body: dict[str, Any], answer: dict[str, Any], scene: Scene,
                  data: bytes | None) -> dict[str, Any]:
    """`answer` (an avatar check's) with the classifier merged in, as a post's: the gateway is asked about one
    image, kind avatar, by its PDQ hash, the SHA-256 of `data` (the bytes sent or read from the bucket) and
    its S3 key when the check named one; the account is the body's or its review's."""
    def asked() -> Request:
        image = ImageRef(0, answer["pdq"], None if data is None else hashlib.sha256(data).hexdigest(),
                         body.get("s3_key"))
        account = body.get("account_id") or (body.get("review") or {}).get("account_id")
        return Request(Kind.AVATAR, "", (image,), account)

    return _merged(tenant_id, answer, scene, merge_avatar, asked)


def _merged(tenant_id: str, answer: dict[str, Any], scene: Scene, merging: Merge,
            asked: Callable[[], Request]) -> dict[str, Any]:
    settings = policy.setting(tenant_id, "content", "classifier")
    wanted, required = scene.classifier(bool(settings.get("required")))
    if not settings.get("url") or not wanted:
        return answer
    return merging(answer, _verdict(tenant_id, settings, asked), required=required)


def _verdict(tenant_id: str, settings: dict[str, Any], asked: Callable[[], Request]) -> Verdict:
    gateway = _gateway(tenant_id, settings)
    if not isinstance(gateway, Gateway):
        return unavailable(gateway)
    left = _budget_left()
    if left < MIN_CALL_MS:
        return unavailable(Unusable.BUDGET_SPENT)
    started = time.monotonic()
    try:
        return dataclasses.replace(gateway, timeout_ms=min(gateway.timeout_ms, left)).classify(asked())
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
        outbound_settings.check(tenant_id, settings["url"], parameter, setting=SETTING, code_prefix="CLASSIFIER")
        secret = outbound_settings.secret(parameter, code_prefix="CLASSIFIER")
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
