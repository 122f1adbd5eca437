"""Generate the character tables the name check runs on, from the libraries that own the data.

    python infra/name_tables.py   (writes chalicelib/data/{t2s,t2s_phrases,confusables,pinyin,mobile_segments}.json)

- t2s.json: traditional → simplified, one character to one character, from OpenCC's t2s
  conversion of every CJK unified ideograph (basic block and extension A). One-to-one keeps
  every normalized character mapped to one original character, so spans stay exact.
- t2s_phrases.json: the traditional phrases of OpenCC's phrase dictionary whose simplified form is
  not what their characters give one by one (反覆 → 反复 where 覆 alone stays 覆), equal lengths only,
  so a phrase is replaced in place and spans stay exact.
- confusables.json: Cyrillic, Greek and other non-ASCII letters that Unicode's UTS #39
  confusables data (via confusable-homoglyphs) lists as look-alikes of an ASCII letter or digit.
- pinyin.json: toneless pinyin of every CJK unified ideograph (its most common reading), from
  pypinyin, for homophone matching.
- pinyin_readings.json: every toneless reading of the ideographs that have several (pypinyin's
  heteronyms), for spelling protected names the ways they are typed.

- mobile_segments.json: every four-digit mainland prefix phonenumbers' metadata accepts as a mobile
  number (MB2018-7), with its line type and operator from the MIIT allocations below (longest prefix
  wins; a prefix the allocations do not name is MOBILE of an UNKNOWN operator, never refused). A new
  segment in a phonenumbers release fails the drift test until the table is regenerated.

The libraries are development dependencies only: the package ships the generated tables,
which load in milliseconds, instead of OpenCC's native library and pypinyin's dictionaries.
A test regenerates the tables and compares them with the shipped ones, so they cannot drift.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "chalicelib" / "data"
CJK_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF))


def cjk() -> list[str]:
    return [chr(code) for start, end in CJK_RANGES for code in range(start, end + 1)]


def t2s_table() -> dict[str, str]:
    import opencc

    converter = opencc.OpenCC("t2s")
    table = {}
    for char in cjk():
        converted = converter.convert(char)
        if converted != char and len(converted) == 1:
            table[char] = converted
    return table


def t2s_phrases_table() -> dict[str, str]:
    import subprocess
    import tempfile

    import opencc

    clib = Path(opencc.__file__).parent / "clib"
    converter, chars = opencc.OpenCC("t2s"), t2s_table()
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "phrases.txt"
        subprocess.run([str(clib / "bin" / "opencc_dict"), "-i", str(clib / "share" / "opencc" / "TSPhrases.ocd2"),
                        "-o", str(out), "-f", "ocd2", "-t", "text"], check=True, capture_output=True)
        phrases = [line.split("\t")[0] for line in out.read_text("utf-8").splitlines() if line]
    table = {}
    for phrase in phrases:
        target = converter.convert(phrase)
        if len(target) == len(phrase) and target != "".join(chars.get(c, c) for c in phrase):
            table[phrase] = target
    return dict(sorted(table.items()))


MOBILE, DATA_ONLY, VIRTUAL, SATELLITE = "MOBILE", "DATA_ONLY", "VIRTUAL_OPERATOR", "SATELLITE"
CM, CU, CT, CBN = "CHINA_MOBILE", "CHINA_UNICOM", "CHINA_TELECOM", "CHINA_BROADNET"
# MIIT number-segment allocations: who runs a segment and what kind of line it is (phonenumbers' lite
# metadata says which numbers are mobile, not whose). Longest prefix wins.
ALLOCATIONS: dict[str, tuple[str, str]] = {
    **{p: (MOBILE, CM) for p in ("134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158",
                                 "159", "172", "178", "182", "183", "184", "187", "188", "195", "197", "198")},
    **{p: (MOBILE, CU) for p in ("130", "131", "132", "155", "156", "166", "175", "176", "185", "186", "196")},
    **{p: (MOBILE, CT) for p in ("133", "153", "173", "177", "180", "181", "189", "190", "191", "193", "199")},
    "192": (MOBILE, CBN), "1610": (MOBILE, CBN),
    "1349": (SATELLITE, CT), "1740": (SATELLITE, CT), "1741": (SATELLITE, CT),
    "147": (DATA_ONLY, CM), "148": (DATA_ONLY, CM), "144": (DATA_ONLY, CM), "145": (DATA_ONLY, CU),
    "146": (DATA_ONLY, CU), "149": (DATA_ONLY, CT),
    "165": (VIRTUAL, CM), "1703": (VIRTUAL, CM), "1705": (VIRTUAL, CM), "1706": (VIRTUAL, CM),
    "167": (VIRTUAL, CU), "171": (VIRTUAL, CU), "1704": (VIRTUAL, CU), "1707": (VIRTUAL, CU), "1708": (VIRTUAL, CU),
    "1709": (VIRTUAL, CU), "162": (VIRTUAL, CT), "1700": (VIRTUAL, CT), "1701": (VIRTUAL, CT), "1702": (VIRTUAL, CT),
}


def mobile_segments_table() -> dict[str, list[str]]:
    import re

    from phonenumbers import PhoneMetadata

    mobile = re.compile(PhoneMetadata.metadata_for_region("CN").mobile.national_number_pattern)
    table = {}
    for number in range(1000, 2000):
        prefix = str(number)
        if any(mobile.fullmatch(prefix + rest) for rest in ("0000000", "5555555", "9999999")):
            found = next((ALLOCATIONS[prefix[:n]] for n in (4, 3) if prefix[:n] in ALLOCATIONS), (MOBILE, "UNKNOWN"))
            table[prefix] = list(found)
    return table


def confusables_table() -> dict[str, str]:
    import confusable_homoglyphs.confusables as source

    data = json.loads((Path(source.__file__).parent / "confusables.json").read_text("utf-8"))
    table = {}
    for char, targets in data.items():
        if len(char) != 1 or char.isascii():
            continue
        script = unicodedata.name(char, "").split(" ")[0]
        if script not in {"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC", "LATIN"}:
            continue
        ascii_targets = sorted({t["c"].lower() for t in targets if len(t["c"]) == 1 and t["c"].isascii()
                                and t["c"].isalnum()})
        if ascii_targets:
            table[char] = ascii_targets[0]
            table.setdefault(char.lower(), ascii_targets[0])
    return dict(sorted(table.items()))


def pinyin_table() -> dict[str, str]:
    from pypinyin import Style, lazy_pinyin

    table = {}
    for char in cjk():
        (reading,) = lazy_pinyin(char, style=Style.NORMAL, errors=lambda _: [""])
        if reading and reading.isascii() and reading.isalpha():
            table[char] = reading.replace("ü", "v")
    return table


def pinyin_readings_table() -> dict[str, list[str]]:
    """Every toneless reading of each CJK ideograph with more than one (藏 cang/zang, 行 xing/hang), so a
    protected name is also found typed with the reading its own words give it (西藏 xizang, 银行 yinhang)."""
    from pypinyin import Style, pinyin

    table = {}
    for char in cjk():
        readings = [r.replace("ü", "v") for r in pinyin(char, style=Style.NORMAL, heteronym=True)[0]]
        kept = list(dict.fromkeys(r for r in readings if r.isascii() and r.isalpha()))
        if len(kept) > 1:
            table[char] = kept
    return table


TABLES = {"t2s.json": t2s_table, "t2s_phrases.json": t2s_phrases_table, "confusables.json": confusables_table,
          "pinyin.json": pinyin_table, "pinyin_readings.json": pinyin_readings_table,
          "mobile_segments.json": mobile_segments_table}


def write() -> None:
    DATA.mkdir(exist_ok=True)
    for name, build in TABLES.items() if len(sys.argv) < 2 else ((n, TABLES[n]) for n in sys.argv[1:]):
        (DATA / name).write_text(json.dumps(build(), ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
                                 "utf-8")
        print(f"wrote {DATA / name}")


if __name__ == "__main__":
    sys.exit(write())
