"""Organisation numbers: unified social credit codes (GB 32100) and organisation codes (GB 11714).

Organisations verify with these (MB2018-7, MB2018-8, PA2020-8); BJ2011-9 forbids false or
borrowed company registrations and organisation codes. A USCC embeds a complete GB 11714
organisation code (positions 9-17), whose own check character is verified too — a check
python-stdnum's USCC validator skips.
"""

from __future__ import annotations

import re

from chalicelib.identity.documents.common import DocumentCheck, DocumentType, Reason, compact, verdict
from chalicelib.identity.documents.regions import NATIONAL, region_of

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC = re.compile(rf"[{USCC_ALPHABET}]{{2}}\d{{6}}[{USCC_ALPHABET}]{{10}}")
_ORG_CODE = re.compile(r"[0-9A-Z]{8}[0-9X]")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Registration authority → organisation categories it may issue (GB 32100-2015, table 1).
AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": ("司法行政", {"1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构",
                    "5": "仲裁委员会", "9": "其他"}),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": ("旅游", {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"}),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("市场监督管理", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}


def uscc_check(body17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(body17, _USCC_WEIGHTS, strict=False))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check(body8: str) -> str:
    total = sum((int(ch) if ch.isdigit() else ord(ch) - 55) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=False))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def _degenerate(body: str) -> bool:
    """A body of one repeated character (00000000, 11111111…) is a placeholder, not an organisation."""
    return len(set(body)) == 1


def validate_org_code(number: str) -> DocumentCheck:
    raw = compact(number)
    if not _ORG_CODE.fullmatch(raw):
        return verdict(DocumentType.ORG_CODE, None, [Reason.FORMAT], [])
    reasons = []
    if _degenerate(raw[:8]):
        reasons.append(Reason.DEGENERATE)
    if raw[8] != org_code_check(raw[:8]):
        reasons.append(Reason.CHECKSUM)
    return verdict(DocumentType.ORG_CODE, f"{raw[:8]}-{raw[8]}", reasons, [])


def validate_uscc(number: str) -> DocumentCheck:
    raw = compact(number)
    if not _USCC.fullmatch(raw):
        return verdict(DocumentType.USCC, None, [Reason.FORMAT], [])
    reasons: list[Reason] = []
    warnings: list[Reason] = []
    details: dict[str, object] = {"org_code": f"{raw[8:16]}-{raw[16]}"}
    authority = AUTHORITIES.get(raw[0])
    if authority is None or raw[1] not in authority[1]:
        reasons.append(Reason.AUTHORITY)
    else:
        details.update(registration_authority=authority[0], organization_type=authority[1][raw[1]],
                       authority_code=raw[0], type_code=raw[1])
    if not raw[2:8].isdigit():
        reasons.append(Reason.REGION)
    elif raw[2:4] == NATIONAL[0]:
        details["region"] = {"code": raw[2:8], "province": NATIONAL[1]}
    else:
        region, county_known = region_of(raw[2:8])
        if region is None:
            reasons.append(Reason.REGION)
        else:
            details["region"] = region
            if not county_known:
                warnings.append(Reason.COUNTY_UNKNOWN)
    if _degenerate(raw[2:17]) or _degenerate(raw[8:16]):
        reasons.append(Reason.DEGENERATE)
    if not _ORG_CODE.fullmatch(raw[8:17]) or raw[16] != org_code_check(raw[8:16]):
        reasons.append(Reason.ORG_CODE_CHECKSUM)
    if raw[17] != uscc_check(raw[:17]):
        reasons.append(Reason.CHECKSUM)
    return verdict(DocumentType.USCC, raw, reasons, warnings, details)
