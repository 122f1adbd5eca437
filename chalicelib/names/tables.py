"""The character tables of the normalizer, loaded once per container from chalicelib/data/.

t2s, t2s_phrases, confusables, pinyin and mobile_segments are generated from OpenCC, Unicode's UTS #39
data, pypinyin and phonenumbers by infra/name_tables.py; the Han look-alike table and the surname
readings are curated by hand.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def _load(name: str) -> dict[str, str]:
    return {k: v for k, v in json.loads((DATA / name).read_text("utf-8")).items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def traditional_to_simplified() -> dict[str, str]:
    return _load("t2s.json")


@lru_cache(maxsize=1)
def t2s_phrases() -> dict[str, str]:
    """Traditional phrases whose simplified form is not their characters' own (反覆 → 反复), equal lengths."""
    return _load("t2s_phrases.json")


@lru_cache(maxsize=1)
def readings() -> dict[str, list[str]]:
    """Every toneless reading of the characters that have several (藏 cang/zang), from pypinyin."""
    return {k: v for k, v in json.loads((DATA / "pinyin_readings.json").read_text("utf-8")).items()}


@lru_cache(maxsize=1)
def surnames() -> dict[str, str]:
    """Surnames read otherwise than their character's common reading (单 shan, 曾 zeng, 尉迟 yuchi)."""
    return _load("surnames.json")


@lru_cache(maxsize=1)
def mobile_segments() -> dict[str, list[str]]:
    """Four-digit mainland mobile prefixes (phonenumbers' metadata) → line type and operator."""
    return json.loads((DATA / "mobile_segments.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def skeleton() -> dict[str, str]:
    """Confusable letters (Cyrillic, Greek…) to ASCII, and Han look-alikes to their common form."""
    return {**_load("confusables.json"), **_load("han_lookalikes.json")}


@lru_cache(maxsize=1)
def pinyin() -> dict[str, str]:
    return _load("pinyin.json")


@lru_cache(maxsize=1)
def builtin() -> dict:
    return json.loads((DATA / "names_builtin.json").read_text("utf-8"))
