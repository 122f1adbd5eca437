"""Avatar checks end to end: altered copies match, unrelated images do not, owners may use their
own protected images, banks are versioned, hostile input gets a clear 4xx."""

from __future__ import annotations

import base64
import io

import boto3
import pytest
from PIL import Image

from chalicelib.core.config import settings
from tests.builders import verified_subject
from tests.images import ALTERATIONS, encode, logo

BIG_BODIES = {"requests": {"max_body_bytes": 6 * 1024 * 1024}}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def check(api, key, data: bytes, **extra):
    return api.call("POST", "/v1/avatars/check", key=key, body={"image": b64(data), **extra})


def protect(api, key, image: Image.Image, label: str, bank: str = "protected", **extra):
    body = {"image": b64(encode(image)), "label": label, **extra}
    created = api.call("POST", f"/v1/avatars/banks/{bank}/entries", key=key, body=body)
    assert created.status_code == 201, created.json
    return created.json


@pytest.fixture
def banks(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body=BIG_BODIES)
    emblem = protect(api, tenant.key, logo(1), "示例机关徽标")
    closed = protect(api, tenant.key, logo(2), "已关闭账号头像", bank="banned", reason="CLOSE_ACCOUNT")
    return emblem, closed


@pytest.mark.parametrize("alteration", sorted(ALTERATIONS))
def test_altered_copies_of_a_protected_image_are_rejected(api, tenant, banks, alteration):
    copy = ALTERATIONS[alteration](logo(1))
    answer = check(api, tenant.key, encode(copy))
    assert answer.status_code == 200, answer.json
    assert answer.json["decision"] == "REJECT"
    (match,) = answer.json["matches"]
    assert (match["entry_id"], match["code"], match["article"]) == (banks[0]["entry_id"], "AVATAR_IMPERSONATION",
                                                                     "PA2020-8")
    assert match["distance"] <= 31 and match["label"] == "示例机关徽标"


def test_unrelated_images_pass_and_banned_ones_are_rejected(api, tenant, banks):
    for seed in range(10, 20):
        answer = check(api, tenant.key, encode(logo(seed), "JPEG", quality=85)).json
        assert answer["matches"] == [] and answer["decision"] != "REJECT", seed  # REVIEW only for low quality
    banned = check(api, tenant.key, encode(ALTERATIONS["mirrored"](logo(2)), "WEBP")).json
    assert banned["decision"] == "REJECT" and banned["matches"][0]["code"] == "AVATAR_OF_CLOSED_ACCOUNT"
    assert banned["matches"][0]["transform"] != "original"  # found through a dihedral variant


def test_the_owner_may_use_a_protected_image(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body=BIG_BODIES)
    owner, _ = verified_subject(api, tenant.key)
    other, _ = verified_subject(api, tenant.key, seed=2)
    protect(api, tenant.key, logo(3), "示例企业商标", owner_subject_ids=[owner])
    mine = check(api, tenant.key, encode(logo(3)), subject_id=owner).json
    assert mine["decision"] == "PASS" and mine["matches"][0]["code"] == "OWNER_ALLOWED"
    assert check(api, tenant.key, encode(logo(3)), subject_id=other).json["decision"] == "REJECT"


def test_banks_are_versioned_and_changes_apply_on_the_next_request(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body=BIG_BODIES)
    image = encode(logo(4))
    before = check(api, tenant.key, image).json
    assert before["decision"] == "PASS"
    entry = protect(api, tenant.key, logo(4), "新增")
    after = check(api, tenant.key, image).json
    assert after["decision"] == "REJECT" and after["bank_version"] != before["bank_version"]
    removed = api.call("DELETE", f"/v1/avatars/banks/protected/entries/{entry['entry_id']}", key=tenant.key)
    assert removed.status_code == 200
    assert check(api, tenant.key, image).json["decision"] == "PASS"
    again = api.call("DELETE", f"/v1/avatars/banks/protected/entries/{entry['entry_id']}", key=tenant.key)
    assert (again.status_code, again.json["error"]["code"]) == (404, "AVATAR_ENTRY_NOT_FOUND")
    events = [e["type"] for e in api.call("GET", "/v1/audit", key=tenant.key).json["items"]]
    assert "avatar_bank.add" in events and "avatar_bank.remove" in events


def test_a_csv_import_of_hashes_is_idempotent_and_reports_bad_lines(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body=BIG_BODIES)
    pdq = check(api, tenant.key, encode(logo(5))).json["pdq"]
    text = f"\ufeffhash,label,quality\n{pdq},共享哈希,90\nnot-a-hash,坏行,1\n"
    for _ in range(2):
        imported = api.call("POST", "/v1/avatars/banks/banned/import", key=tenant.key, body={"csv": text}).json
        assert imported["imported"] == 1 and imported["refused"] == [{"line": 3, "reason": "HASH_INVALID"}]
    listed = api.call("GET", "/v1/avatars/banks/banned/entries", key=tenant.key).json["items"]
    assert [(e["pdq"], e["source"]) for e in listed] == [(pdq, "import")]
    assert check(api, tenant.key, encode(logo(5), "JPEG", quality=70)).json["decision"] == "REJECT"
    by_hash = api.call("POST", "/v1/avatars/check", key=tenant.key, body={"pdq": pdq}).json
    assert by_hash["decision"] == "REJECT"
    no_column = api.call("POST", "/v1/avatars/banks/banned/import", key=tenant.key, body={"csv": "label\nx\n"})
    assert (no_column.status_code, no_column.json["error"]["code"]) == (422, "CSV_INVALID")


def test_an_image_by_s3_key_from_the_tenants_upload_area(api, tenant):
    s3 = boto3.client("s3", region_name="cn-north-1")
    s3.put_object(Bucket=settings().filings_bucket, Key=f"uploads/{tenant.tenant_id}/a.png", Body=encode(logo(6)))
    answer = api.call("POST", "/v1/avatars/check", key=tenant.key, body={"s3_key": f"uploads/{tenant.tenant_id}/a.png"})
    assert answer.status_code == 200 and answer.json["decision"] == "PASS"
    foreign = api.call("POST", "/v1/avatars/check", key=tenant.key, body={"s3_key": "uploads/other/a.png"})
    assert (foreign.status_code, foreign.json["error"]["code"]) == (403, "S3_KEY_FORBIDDEN")
    missing = api.call("POST", "/v1/avatars/check", key=tenant.key, body={"s3_key": f"uploads/{tenant.tenant_id}/no"})
    assert missing.status_code == 404


def test_a_flat_image_is_reviewed_not_passed(api, tenant):
    flat = encode(Image.new("RGB", (256, 256), (200, 30, 30)))
    answer = check(api, tenant.key, flat).json
    assert answer["decision"] == "REVIEW" and answer["reasons"][0]["code"] == "AVATAR_LOW_QUALITY"


def _truncated() -> bytes:
    return encode(logo(7), "JPEG")[:600]


def _bomb() -> bytes:
    big = io.BytesIO()
    Image.new("1", (20000, 20000)).save(big, "PNG")  # 400 M pixels, a few kB compressed
    return big.getvalue()


# Each file is made when its test runs (the bomb takes seconds to encode; every worker collects every test).
@pytest.mark.parametrize(("name", "data", "status", "code"), [pytest.param(*case, id=case[0]) for case in [
    ("not an image", lambda: b"hello, this is text", 422, "IMAGE_INVALID"),
    ("truncated JPEG", _truncated, 422, "IMAGE_INVALID"),
    ("decompression bomb", _bomb, 413, "IMAGE_TOO_LARGE"),
    ("a BMP (format not accepted)", lambda: encode(logo(8), "BMP"), 422, "IMAGE_INVALID"),
    ("empty PNG signature", lambda: b"\x89PNG\r\n\x1a\n", 422, "IMAGE_INVALID"),
]])
def test_hostile_input_gets_a_clear_4xx(api, tenant, name, data, status, code):
    api.call("PUT", "/v1/policy", key=tenant.key, body=BIG_BODIES)
    answer = check(api, tenant.key, data())
    assert (answer.status_code, answer.json["error"]["code"]) == (status, code), name


def test_over_the_byte_limit_and_bad_base64(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={**BIG_BODIES, "avatars": {"max_bytes": 2048}})
    large = check(api, tenant.key, encode(logo(9)))
    assert (large.status_code, large.json["error"]["code"]) == (413, "IMAGE_TOO_LARGE")
    bad = api.call("POST", "/v1/avatars/check", key=tenant.key, body={"image": "@@@not-base64@@@"})
    assert (bad.status_code, bad.json["error"]["code"]) == (422, "IMAGE_INVALID")
    wrong_bank = api.call("GET", "/v1/avatars/banks/other/entries", key=tenant.key)
    assert (wrong_bank.status_code, wrong_bank.json["error"]["code"]) == (400, "BANK_INVALID")


def test_closing_an_account_bans_its_avatar_and_revoking_lifts_the_ban(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body=BIG_BODIES)
    image = encode(logo(11))
    pdq = check(api, tenant.key, image).json["pdq"]
    closed = api.call("POST", "/v1/dispositions", key=tenant.key, body={
        "target": {"type": "ACCOUNT", "id": "acct-7", "avatar_pdq": pdq}, "type": "CLOSE_ACCOUNT", "automated": False,
        "statement": "多次违规", "ground": {"article": "PA2017-13", "category": "SPAM"}}).json
    assert closed["effects"]["avatar_ban"]
    answer = check(api, tenant.key, encode(ALTERATIONS["resized"](logo(11)))).json
    assert answer["decision"] == "REJECT" and answer["matches"][0]["code"] == "AVATAR_OF_CLOSED_ACCOUNT"
    api.call("POST", f"/v1/dispositions/{closed['disposition_id']}/revocation", key=tenant.key,
             body={"reason": "申诉成立"})
    assert check(api, tenant.key, image).json["matches"] == []


def test_a_cropped_copy_of_a_protected_photograph_is_rejected_through_its_centre(api, tenant):
    from tests.photos import crop, photo

    # GIVEN a protected photograph added by image (its entry keeps the hash of its centre)
    api.call("PUT", "/v1/policy", key=tenant.key, body=BIG_BODIES)
    original = photo(31, (448, 448))
    entry = protect(api, tenant.key, original, "示例人物肖像")
    for cut in (0.05, 0.09):
        # WHEN a copy with `cut` taken off every side, shrunk and saved again, is checked
        copy = crop(original, cut, cut, cut, cut)
        answer = check(api, tenant.key, encode(copy.resize((300, 300)), "JPEG", quality=80)).json
        # THEN it is the protected entry's, found as a centre crop (PA2020-8)
        assert answer["decision"] == "REJECT", (cut, answer)
        assert [(m["entry_id"], m["transform"]) for m in answer["matches"]] == [(entry["entry_id"], "centre_crop")]
    assert entry["hasher"] == "pdq-reference" and len(entry["crop_pdq"]) == 64


def test_entries_hashed_before_hashes_were_the_references_still_match(api, tenant):
    import numpy as np

    from chalicelib.avatars import pdq

    # GIVEN a bank entry hashed the old way (the JPEG's luminance plane, halved to 512 px), imported as a hash
    api.call("PUT", "/v1/policy", key=tenant.key, body=BIG_BODIES)
    data = encode(logo(12, size=1024).convert("RGB"), "JPEG", quality=90)
    legacy = Image.open(io.BytesIO(data))
    legacy.draft("L", (512, 512))
    old = pdq.hash_luma(np.asarray(legacy.convert("L"), dtype=np.float32))[0].to_hex()
    api.call("POST", "/v1/avatars/banks/banned/import", key=tenant.key, body={"csv": f"pdq\n{old}\n"})
    # WHEN the same image is checked with today's hasher
    answer = check(api, tenant.key, data).json
    # THEN the old entry still matches, a few bits off
    assert answer["decision"] == "REJECT" and answer["matches"][0]["distance"] <= 12
    assert answer["pdq"] != old or answer["matches"][0]["distance"] == 0
