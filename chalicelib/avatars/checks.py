"""Avatar checks (PA2020-8, PA2020-18(1), PA2017-13): an image against the tenant's protected and
banned banks, every match explained.

The banks are compiled into one matching index per bank version. Each check reads the version
(one GetItem), so a change takes effect on the very next request; a container keeps the index
of the version it last saw, loads a new version's artifact (named by the digest of its entries,
see core/artifacts.py) from storage, and builds, stores and records it only when no container has yet.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

from chalicelib.avatars import store as storage
from chalicelib.avatars.store import AvatarStore, banks_pk
from chalicelib.classifier import service as classifier
from chalicelib.core import artifacts, aws, policy, scenes, stores
from chalicelib.core.config import settings
from chalicelib.core.dynamo import error_code, failure_reason
from chalicelib.core.errors import (
    Forbidden,
    InvalidRequest,
    NotFound,
    PayloadTooLarge,
    ProviderUnavailable,
    Unprocessable,
)

PROTECTED, BANNED = "PROTECTED", "BANNED"
HASHER = "pdq-reference"  # entries hashed here since hashes are the reference's; older ones carry no `hasher`
RULES = {PROTECTED: ("AVATAR_IMPERSONATION", "PA2020-8"), BANNED: ("AVATAR_OF_CLOSED_ACCOUNT", "PA2017-13")}


def fingerprint() -> str:
    from chalicelib.avatars.index import FORMAT  # numpy: loaded on first use, not at cold start

    return FORMAT


def _restored(doc: dict[str, Any], arrays: dict[str, Any], version: str) -> Any:
    from chalicelib.avatars.index import BankIndex

    return BankIndex.from_artifact(doc, arrays, version)


_compiled = artifacts.Compiled("avatars", _restored, fingerprint, limit=4)  # a 1M-hash bank holds about 100 MB


def store() -> AvatarStore:
    return storage.store()


def forget() -> None:
    _compiled.clear()


def compiled(tenant_id: str) -> Any:
    from chalicelib.avatars.index import BankIndex

    source = artifacts.Source.read(stores.main_table(), {"PK": banks_pk(tenant_id), "SK": "VERSION"})
    version = f"{source.number}"

    def build() -> tuple[BankIndex, str]:
        entries = store().all_entries(tenant_id)
        index = BankIndex.build(version, [f"{e['bank']}#{e['entry_id']}" for e in entries],
                                [bytes.fromhex(e["pdq"]) for e in entries],
                                crop_table([e.get("crop_pdq") for e in entries]))
        index.entries = {f"{e['bank']}#{e['entry_id']}": e for e in entries}
        return index, artifacts.rows_digest(entries)

    return _compiled.get(tenant_id, version, source, build)


def image_bytes(tenant_id: str, body: dict[str, Any], max_bytes: int) -> bytes:
    """The image from base64 in the body, or from the tenant's own upload area in the bucket."""
    if "image" in body:
        try:
            return base64.b64decode(body["image"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise Unprocessable("image is not valid base64.", message_zh="image 字段不是有效的 base64。",
                                code="IMAGE_INVALID") from exc
    key = body["s3_key"]
    if not key.startswith(f"uploads/{tenant_id}/") or ".." in key:
        raise Forbidden(f"s3_key must be under uploads/{tenant_id}/.", message_zh="只能读取本租户上传区的对象。",
                        code="S3_KEY_FORBIDDEN")
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        answer = aws.client("s3").get_object(Bucket=settings().filings_bucket, Key=key, Range=f"bytes=0-{max_bytes}")
        return answer["Body"].read(max_bytes + 1)
    except ClientError as exc:
        if error_code(exc) in ("NoSuchKey", "404", "NotFound", "InvalidRange"):
            raise NotFound("No such uploaded object.", message_zh="没有该上传对象。",
                           code="S3_OBJECT_NOT_FOUND") from exc
        raise _s3_unavailable(exc) from exc
    except BotoCoreError as exc:
        raise _s3_unavailable(exc) from exc


def _s3_unavailable(exc: Exception) -> ProviderUnavailable:
    return ProviderUnavailable("The object store is unavailable; retry later.",
                               message_zh="对象存储暂不可用，请稍后重试。",
                               code="S3_UNAVAILABLE", details={"reason": failure_reason(exc)})


@dataclass(frozen=True)
class Hashed:
    found: Any  # PdqHash
    variants: dict[str, bytes]  # the eight dihedral variants of an image; the hash alone when given one
    insets: dict[str, bytes] = field(default_factory=dict)  # crops.insets of an image, when asked
    centre: Any = None  # crops.centre of an image, when asked (a bank entry's)
    data: bytes | None = field(default=None, repr=False, compare=False)  # the image's bytes; None for a hash


def hash_of(tenant_id: str, body: dict[str, Any]) -> tuple[Any, dict[str, bytes]]:
    """(PdqHash, the query's variants): from an image (all eight dihedral variants) or a given hash."""
    found = hashed(tenant_id, body)
    return found.found, found.variants


def hashed(tenant_id: str, body: dict[str, Any], *, insets: bool = False, centre: bool = False) -> Hashed:
    """The image's (or given hash's) PDQ, its variants, and when asked its insets or centre (crops.py)."""
    from chalicelib.avatars import crops, images, pdq

    if "pdq" in body:
        bits = pdq.from_hex(body["pdq"])
        return Hashed(pdq.PdqHash(bits, int(body.get("quality", 100))), {"original": bits})
    limits = policy.current(tenant_id).effective["avatars"]
    data = image_bytes(tenant_id, body, limits["max_bytes"])
    try:
        decoded = images.decode(data, max_bytes=limits["max_bytes"], max_pixels=limits["max_pixels"])
    except images.ImageRefused as refused:
        error = PayloadTooLarge if refused.code == "IMAGE_TOO_LARGE" else Unprocessable
        raise error(refused.message, message_zh=refused.message_zh, code=refused.code,
                    details=refused.details) from None
    found, variants = pdq.hash_luma(decoded.luma, variants=True)
    return Hashed(found, variants, crops.insets(decoded.luma) if insets else {},
                  crops.centre(decoded.luma) if centre else None, data)


def crop_table(centres: list[str | None]) -> list[tuple[int, bytes]]:
    """(row, centre hash) of the rows that have a centre (crops.centre, hex): the crop table of a BankIndex, so
    cropped copies are found wherever images are matched, the avatar banks and the rumours' images alike."""
    return [(row, bytes.fromhex(centre)) for row, centre in enumerate(centres) if centre]


def index_matches(index: Any, query: Hashed, threshold: int) -> list[tuple[int, int, str]]:
    """(row, distance, transform) of an index's rows matching a query hashed with its insets: its variants
    against the rows' hashes, its insets (plain and mirrored) against their centres (``centre_crop``)."""
    return index.match(query.variants, threshold, query.insets)


def bank_matches(tenant_id: str, variants: dict[str, bytes], threshold: int,
                 insets: dict[str, bytes] | None = None) -> tuple[Any, list[tuple[dict[str, Any], int, str]]]:
    """(the tenant's bank index, each matching entry with its distance and the variant that matched);
    with `insets`, entries' centres are searched too (cropped copies, crops.py)."""
    index = compiled(tenant_id)
    query = Hashed(None, variants, insets or {})
    return index, [(index.entries[index.ids[row]], distance, transform)
                   for row, distance, transform in index_matches(index, query, threshold)]


def check(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """One avatar, under the policy scene `body["scene"]` (none: DEFAULT): its avatar_distance, if set, is the
    match distance (core/scenes.py); the tenant's vendor classifier, if any, judges it too (classifier/service)."""
    scene = scenes.resolve(policy.setting(tenant_id, "scenes"), body.get("scene"))
    query = hashed(tenant_id, body, insets=True)
    found = query.found
    limits = policy.current(tenant_id).effective["avatars"]
    distance = scene.distance(limits["match_distance"])
    index, found_entries = bank_matches(tenant_id, query.variants, distance, query.insets)
    matches, refusing = [], False
    for entry, distance, transform in found_entries:
        code, article = RULES[entry["bank"]]
        allowed = entry["bank"] == PROTECTED and body.get("subject_id") in (entry.get("owner_subject_ids") or [])
        refusing |= not allowed
        matches.append({"bank": entry["bank"], "entry_id": entry["entry_id"], "label": entry.get("label"),
                        "distance": distance, "transform": transform, "code": "OWNER_ALLOWED" if allowed else code,
                        "article": article})
    decision = "REJECT" if refusing else "REVIEW" if found.quality < limits["min_quality"] else "PASS"
    reasons = [] if decision != "REVIEW" else [{"code": "AVATAR_LOW_QUALITY", "quality": found.quality,
                                                "min_quality": limits["min_quality"]}]
    answer = {"decision": decision, "pdq": found.to_hex(), "quality": found.quality, "matches": matches,
              "reasons": reasons, "threshold": distance, "bank_version": index.version}
    answer = {**answer, "scene": scene.view()} if "scene" in body else answer  # no scene: as before
    return classifier.merged_avatar(tenant_id, body, answer, scene, query.data)


def require_bank(bank: str) -> str:
    if bank not in RULES:
        raise InvalidRequest("bank must be PROTECTED or BANNED.", message_zh="图库只能是 PROTECTED 或 BANNED。",
                             code="BANK_INVALID")
    return bank
