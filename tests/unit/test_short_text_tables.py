"""A short text's keys, readings, key windows and contact starts through str.translate tables, C-level
itertools and first-character screens: the same answers as the per-character loops they replace, which are
kept here as the reference."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings, strategies as st

from chalicelib.names import contact, tables
from chalicelib.names.char_fold import STEPS, fold_char, numeral
from chalicelib.names.keytable import KeyTable
from chalicelib.names.normalize import Normalized, normalize
from chalicelib.names.phrases import phrased
from chalicelib.names.spelling import pinyin_letters, pinyin_of

# folding, width (ﷺ and ㎏ keep several characters), case, traditional phrases, look-alikes, separators, runs,
# accents, invisible characters, number forms
SAMPLE = list("法轮功發財反覆乾燥ＡＢabAB12 ，。！·\u200b\ufeff\ufe0f\u034f①㊣ﷺ㎏ǒéаοßİ六四壹两俩哈+~.点") + [
    chr(0x4e00 + n) for n in range(40)] + ["\U000E0101", "🏻"]


def _reference_normalize(text: str) -> Normalized:
    """The per-character loop `normalize` was."""
    text, phrase = phrased(text)
    key: list[str] = []
    origin: list[int] = []
    raw: list[str] = []
    raw_origin: list[int] = []
    flags = 8 if phrase else 0
    for index, char in enumerate(text):
        shaped, changed = fold_char(char)
        flags |= changed
        for out in shaped:
            if not out.isalnum():
                flags |= 32
                continue
            raw.append(out)
            raw_origin.append(index)
            if key and key[-1] == out:
                flags |= 64
                continue
            key.append(out)
            origin.append(index)
    steps = tuple(step for bit, step in enumerate(STEPS) if flags & (1 << bit))
    spelled = "".join(raw)
    return Normalized("".join(key), tuple(origin), steps, spelled, tuple(raw_origin), "".join(map(numeral, spelled)))


def _reference_pinyin(raw: str) -> tuple[str, tuple[int, ...]]:
    letters: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(raw):
        spelled = tables.pinyin().get(char, char if char.isascii() and char.isalpha() else "").replace("v", "u")
        letters.append(spelled)
        origin.extend([index] * len(spelled))
    return "".join(letters), tuple(origin)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(SAMPLE), max_size=120))
def test_a_short_text_normalizes_exactly_as_the_per_character_loop(text):
    found = normalize(text)
    assert found == _reference_normalize(text)
    assert type(found.origin) is tuple and type(found.raw_origin) is tuple


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_normalizes_exactly_as_the_per_character_loop(text):
    assert normalize(text) == _reference_normalize(text)


def test_every_step_and_expansion_is_reported_as_the_loop_reports_it():
    for text in ("ﷺ", "㎏㎏", "aa", "a a", "反覆", "\u200b", "", "Ǒ", "аa", "哈哈哈", "①②", "ﬁﬁ", "ß"):
        assert normalize(text) == _reference_normalize(text), text
    assert all(0xD800 > ord(c) or ord(c) > 0xDFFF for c in SAMPLE)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(SAMPLE + list("zhongguoxizangv")), max_size=80))
def test_readings_are_spelled_as_the_per_character_loop_spells_them(text):
    raw = normalize(text).raw
    assert pinyin_of(raw) == _reference_pinyin(raw)
    assert pinyin_letters(raw) == _reference_pinyin(raw)[0]


def _all_windows(table: KeyTable, text: str) -> list[tuple[int, int, int]]:
    return sorted(table._windows(text, range(len(text) + 1)), key=lambda found: (found[1], found[0]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abcd法轮功]^-\\[.\n", min_size=1, max_size=6), min_size=1, max_size=12, unique=True),
       st.text(alphabet="abcdxy法轮功天]^-\\[.\n", max_size=60))
def test_key_windows_are_tried_only_where_some_key_begins_and_find_what_every_window_finds(keys, text):
    table = KeyTable.of({key: [n, n + 100][:1 + n % 2] for n, key in enumerate(keys)})
    assert table is not None
    assert list(table.matches(text)) == _all_windows(table, text)


def test_a_text_without_any_key_first_character_has_no_window():
    table = KeyTable.of({"法轮功": [0], "ab": [1]})
    assert table is not None
    assert list(table.matches("天气很好cd")) == []
    assert list(table.matches("x法轮功ab")) == [(1, 4, 0), (4, 6, 1)]


PHONE_SAMPLE = list("0123456789+86 -~.加微信qq群:号１２①") + ["86", "+86", "13800138000", "1"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PHONE_SAMPLE), max_size=40))
def test_a_phone_is_tried_only_where_its_start_stands_and_found_as_a_scan_finds_it(parts):
    folded = contact.fold("".join(parts))
    pattern = dict(contact._compiled())["PHONE"]
    starts = contact._starts_short(folded)
    found = list(contact._matches(pattern, folded, starts["PHONE"])) if "PHONE" in starts else []
    assert [m.span() for m in found] == [m.span() for m in pattern.finditer(folded)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("qQvVwWx信微加群号扣企鹅点.dot()[]+1 。")
                                + ["weixin", "wechat", "抖音", "com", "cn"]),
                max_size=40).map("".join))
def test_which_kinds_a_short_text_may_hold_is_what_a_search_per_start_says(text):
    folded = contact.fold(text)
    held = {kind for kind, starts in contact._STARTS.items()
            if kind not in ("DOMAIN", "CUE") and any(start in folded for start in starts)}
    found = contact._starts_short(folded)
    assert set(found) - {"CUE", "DOMAIN"} == held
    # a domain's dot only where a top-level label follows it (where `_domains` finds one), not at every dot or d
    dots = [at for at, char in enumerate(folded) if char in ".点點d([" and contact._TLD_AT.match(folded, at)]
    assert found.get("DOMAIN", []) == dots


def test_the_reference_loops_are_what_the_module_documents():
    assert re.fullmatch(r"[a-z]+", _reference_pinyin("中国")[0])
    assert unicodedata.normalize("NFKC", "ﷺ") != "ﷺ" and len(normalize("ﷺ").raw) > 1


def test_a_batch_of_posts_reads_the_policy_once_and_answers_each_under_it(monkeypatch):
    from chalicelib.content import service as content
    from chalicelib.core import policy, policy_rules
    from chalicelib.names.service import builtin_index

    effective = policy_rules.effective({"content": {"max_chars": 10}})
    reads = []

    def current(tenant_id, **_):
        reads.append(tenant_id)
        return policy.PolicyView(tenant_id, 1, None, {}, effective)

    monkeypatch.setattr(policy, "current", current)
    monkeypatch.setattr(content.names, "compiled", lambda tenant_id, version=None: builtin_index())
    monkeypatch.setattr(content.classifier, "merged", lambda tenant_id, body, answer, scene=None: answer)
    answer = content.check_many("t1", [{"text": "天气很好"}, {"text": "今天天气很好，我们去公园散步"}, {"text": "好"}])
    assert reads == ["t1"]
    assert [row["index"] for row in answer["items"]] == [0, 1, 2]
    assert answer["items"][0]["result"]["decision"] == "PASS"
    assert answer["items"][1]["error"]["code"] == "TEXT_TOO_LONG"
    assert answer["items"][1]["error"]["details"] == {"max_chars": 10, "length": 14}
    assert answer["items"][2]["result"]["characters"] == 1
