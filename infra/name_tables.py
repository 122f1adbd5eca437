"""Generate the character tables the name check runs on, from the libraries that own the data.

    python infra/name_tables.py          (writes chalicelib/data/{t2s,confusables,pinyin}.json)

- t2s.json: traditional → simplified, one character to one character, from OpenCC's t2s
  conversion of every CJK unified ideograph (basic block and extension A). One-to-one keeps
  every normalized character mapped to one original character, so spans stay exact.
- confusables.json: Cyrillic, Greek and other non-ASCII letters that Unicode's UTS #39
  confusables data (via confusable-homoglyphs) lists as look-alikes of an ASCII letter or digit.
- pinyin.json: toneless pinyin of every CJK unified ideograph (its most common reading), from
  pypinyin, for homophone matching.

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


TABLES = {"t2s.json": t2s_table, "confusables.json": confusables_table, "pinyin.json": pinyin_table}


def write() -> None:
    DATA.mkdir(exist_ok=True)
    for name, build in TABLES.items():
        (DATA / name).write_text(json.dumps(build(), ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
                                 "utf-8")
        print(f"wrote {DATA / name}")


if __name__ == "__main__":
    sys.exit(write())
