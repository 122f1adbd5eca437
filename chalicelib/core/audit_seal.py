"""The audit chain head's seal: an HMAC-SHA-256 made and checked by a KMS HMAC key (GR2017-11, PA2017-13).

Why a KMS key: its material never leaves KMS, and its key policy lets only the product's function role
call GenerateMac. Whoever can write the records table without that role (an operator's console session,
a leaked table credential, a restore from backup) can delete events and rewrite the head's seq and
hash, but cannot make the MAC that goes with them. The role itself can seal any head, so what it
wrote before the last anchor (S3 Object Lock, chalicelib/audit/anchors.py) is protected by the anchor.

Cost: one GenerateMac per write. A writer also checks the MAC of the head it appends to; heads this
container sealed or verified are remembered per tenant, so VerifyMac is only called when another
container moved the head since.
"""

from __future__ import annotations

import base64
import binascii
import threading
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.core import aws
from chalicelib.core.audit_chain import head_message
from chalicelib.core.config import settings
from chalicelib.core.dynamo import error_code, failure_reason
from chalicelib.core.errors import ProviderUnavailable

MAC_ALGORITHM = "HMAC_SHA_256"
_INVALID = ("KMSInvalidMacException", "ValidationException")  # a MAC that is wrong, or not even a MAC
_vouched: dict[str, tuple[Any, ...]] = {}
_lock = threading.Lock()


class MacInvalid(Exception):
    """KMS says the MAC was not made by the key for this message."""


def _kms(operation: str, **params: Any) -> dict[str, Any]:
    try:
        return getattr(aws.client("kms"), operation)(KeyId=settings().audit_head_key_id, MacAlgorithm=MAC_ALGORITHM,
                                                     **params)
    except (ClientError, BotoCoreError) as exc:
        if isinstance(exc, ClientError) and error_code(exc) in _INVALID:
            raise MacInvalid() from exc
        raise ProviderUnavailable("The key service is unavailable; retry later.",
                                  message_zh="密钥服务暂不可用，请稍后重试。", code="KMS_UNAVAILABLE",
                                  details={"reason": failure_reason(exc)}) from exc


def _fields(sealed: dict[str, Any]) -> tuple[Any, ...] | None:
    """(key, seq, hash, expires, mac) of a head or anchor, or None when it is not shaped as the product writes it."""
    seq, chain_hash, expires, mac = (sealed.get(k) for k in ("seq", "hash", "expires", "mac"))
    if type(seq) is int and type(expires) is int and isinstance(chain_hash, str) and isinstance(mac, str):
        return settings().audit_head_key_id, seq, chain_hash, expires, mac
    return None


def seal(tenant_id: str, seq: int, chain_hash: str, expires: int) -> str:
    """The head's MAC (base64), by KMS GenerateMac."""
    answer = _kms("generate_mac", Message=head_message(tenant_id, seq, chain_hash, expires))
    return base64.b64encode(answer["Mac"]).decode()


def vouch(tenant_id: str, sealed: dict[str, Any]) -> None:
    """Remember a head this container has just sealed and written."""
    fields = _fields(sealed)
    if fields is not None:
        with _lock:
            _vouched[tenant_id] = fields


def authentic(tenant_id: str, sealed: dict[str, Any]) -> bool:
    """Whether a head (or an anchor of one) carries the MAC the product made for it; a head written
    without a MAC is not authentic (stripping the MAC must not be a way around it)."""
    fields = _fields(sealed)
    if fields is None:
        return False
    if _vouched.get(tenant_id) == fields:
        return True
    _, seq, chain_hash, expires, mac = fields
    try:
        _kms("verify_mac", Message=head_message(tenant_id, seq, chain_hash, expires), Mac=base64.b64decode(mac))
    except (MacInvalid, binascii.Error):
        return False
    vouch(tenant_id, sealed)
    return True


def forget() -> None:
    with _lock:
        _vouched.clear()
