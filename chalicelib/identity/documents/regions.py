"""Administrative division codes (GB/T 2260): provinces here, counties from python-stdnum's table.

Real holders keep the county code they were first registered under, even after the county
was abolished or renamed, so a county missing from the table is a warning, not an error;
only an unknown province makes a number invalid.
"""

from __future__ import annotations

from functools import lru_cache

PROVINCES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
    "71": "台湾省",
    # Residence permits for Hong Kong, Macao and Taiwan residents (GB 11643 codes 81/82/83).
    "81": "香港特别行政区", "82": "澳门特别行政区", "83": "台湾地区",
}
# USCC of central-level organisations carry division code 100000.
NATIONAL = ("10", "中央")


@lru_cache(maxsize=1)
def _county_table() -> object:
    from stdnum import numdb  # loads a 240 kB table on first use only

    return numdb.get("cn/loc")


@lru_cache(maxsize=4096)
def county(code6: str) -> str | None:
    """The county name for a 6-digit code, or None when the table does not list it."""
    try:
        found = _county_table().info(code6)  # type: ignore[attr-defined]
    except Exception:  # the table is data from a third party; a bad row must not become a 500
        return None
    info = {k: v for _, props in found for k, v in props.items()}
    if "county" not in info:
        return None
    # Counties renamed over time are listed as "[1980-1995]old,[1995-]new"; show the newest name.
    names = [part.split("]")[-1] for part in info["county"].split(",")]
    return names[-1]


def region_of(code6: str) -> tuple[dict[str, str] | None, bool]:
    """(region names, county known) for a division code; names are None when the province is unknown."""
    province = PROVINCES.get(code6[:2])
    if province is None:
        return None, False
    found = county(code6)
    if found is None:
        return {"code": code6, "province": province}, False
    return {"code": code6, "province": province, "county": found}, True
