"""Protection of identity data (MB2018-7, GR2017-6, PA2017-9, RL2020-24): blind indexes and sealing.

- Blind index: HMAC-SHA256 under a per-tenant 256-bit key, so the same document gives the
  same lookup key within a tenant and unrelated keys across tenants; a plain hash of an
  18-digit ID could be brute-forced. The tenant key is a KMS data key, stored wrapped in the
  tenant's KEYRING item and unwrapped once per container.
- Sealing: a per-subject KMS data key (encryption context = tenant + subject) and AES-256-GCM
  with the same context as associated data. Deleting the wrapped key crypto-shreds the data.
- Tenant sealing (`seal_text`): short-lived secrets that belong to no subject (a report's
  tracking token in a stored idempotent answer), under a key derived from the tenant key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.core import aws, keys
from chalicelib.core.config import settings
from chalicelib.core.dynamo import Table, error_code, failure_reason
from chalicelib.core.errors import ProviderUnavailable

_index_keys: dict[str, bytes] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Sealed:
    """Ciphertext and the KMS-wrapped data key that opens it (both base64)."""

    ciphertext: str
    wrapped_key: str


def _kms(operation: str, **params: Any) -> dict[str, Any]:
    try:
        return getattr(aws.client("kms"), operation)(**params)
    except (ClientError, BotoCoreError) as exc:
        raise ProviderUnavailable("The key service is unavailable; retry later.",
                                  message_zh="密钥服务暂不可用，请稍后重试。",
                                  code="KMS_UNAVAILABLE", details={"reason": failure_reason(exc)}) from exc


def _new_data_key(context: dict[str, str]) -> tuple[bytes, str]:
    answer = _kms("generate_data_key", KeyId=settings().kms_key_id, KeySpec="AES_256", EncryptionContext=context)
    return answer["Plaintext"], base64.b64encode(answer["CiphertextBlob"]).decode()


def _unwrap(wrapped: str, context: dict[str, str]) -> bytes:
    return _kms("decrypt", CiphertextBlob=base64.b64decode(wrapped), EncryptionContext=context)["Plaintext"]


def index_key(tenant_id: str, table: Table) -> bytes:
    found = _index_keys.get(tenant_id)
    if found is not None:
        return found
    with _lock:
        if tenant_id in _index_keys:
            return _index_keys[tenant_id]
        context = {"tenant_id": tenant_id, "purpose": "blind-index"}
        item = table.get(keys.keyring_item(tenant_id), consistent=True)
        if item is None:
            plaintext, wrapped = _new_data_key(context)
            try:
                table.put({**keys.keyring_item(tenant_id), "blind_index_key": wrapped},
                          ConditionExpression="attribute_not_exists(PK)")
            except ClientError as exc:
                if error_code(exc) != "ConditionalCheckFailedException":
                    raise
                item = table.get(keys.keyring_item(tenant_id), consistent=True)  # another writer won
        if item is not None:
            plaintext = _unwrap(item["blind_index_key"], context)
        _index_keys[tenant_id] = plaintext
        return plaintext


def blind_index(key: bytes, purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``purpose:value``; the purpose keeps documents and phones apart."""
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def _context(tenant_id: str, subject_id: str) -> dict[str, str]:
    return {"tenant_id": tenant_id, "subject_id": subject_id}


def seal(tenant_id: str, subject_id: str, plaintext: dict[str, Any]) -> Sealed:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # deferred: only sealing needs it

    context = _context(tenant_id, subject_id)
    data_key, wrapped = _new_data_key(context)
    nonce = os.urandom(12)
    aad = json.dumps(context, sort_keys=True).encode()
    body = AESGCM(data_key).encrypt(nonce, json.dumps(plaintext, ensure_ascii=False).encode(), aad)
    return Sealed(base64.b64encode(nonce + body).decode(), wrapped)


def unseal(tenant_id: str, subject_id: str, sealed: Sealed) -> dict[str, Any]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    context = _context(tenant_id, subject_id)
    raw = base64.b64decode(sealed.ciphertext)
    aad = json.dumps(context, sort_keys=True).encode()
    plaintext = AESGCM(_unwrap(sealed.wrapped_key, context)).decrypt(raw[:12], raw[12:], aad)
    return json.loads(plaintext)


def _sealing_key(key: bytes) -> bytes:
    # A key of its own, derived from the tenant key: no blind index and no ciphertext share one key.
    return hmac.new(key, b"SEAL:tenant", hashlib.sha256).digest()


def seal_text(key: bytes, context: str, text: str) -> str:
    """AES-256-GCM under a key derived from the tenant key (``index_key``), with `context` as associated
    data, so a value opens only where it was written. No KMS call: the tenant key is unwrapped once per
    container, so sealing after a committed action cannot fail on the key service."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    body = AESGCM(_sealing_key(key)).encrypt(nonce, text.encode(), context.encode())
    return base64.b64encode(nonce + body).decode()


def open_text(key: bytes, context: str, sealed: str) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    raw = base64.b64decode(sealed)
    return AESGCM(_sealing_key(key)).decrypt(raw[:12], raw[12:], context.encode()).decode()


def forget() -> None:
    with _lock:
        _index_keys.clear()
