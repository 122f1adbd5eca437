"""Post checks on hostile text (MB2018-12, BJ2011-10): the work grows with the text, not with its hits
squared; the evidence an answer lists is bounded while the decision weighs every hit; and the hits,
the evidence and the decision equal those of a plain pairwise reading of the rules, on generated
posts and on the corpora the quality and speed figures come from."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from chalicelib.names import entries, evidence, post, tables
from chalicelib.names.check import _affix_next_to, channel_of, check, hit_for
from chalicelib.names.evidence import Hit
from chalicelib.names.index import ALLOW, BANNED, PROTECTED, TERM, NameIndex, numeric_of, pinyin_of
from chalicelib.names.normalize import Normalized, key_of, normalize, numbers_disguised, on_word_edges
from tests.work import python_steps

RANK = {"exact": 0, "normalized": 1, "skeleton": 2, "separator": 3, "numeric": 4, "pinyin": 5, "similar": 6,
        "contact": 7}
WEAK = ("pinyin", "similar")
# Terms, their evasions (traditional, separators, homophones 发论公 and 代开发漂, pinyin), an allow-listed
# phrase around a term, and ordinary words: pieces a generated post is made of.
PIECES = ["法轮功", "法輪功", "法·轮·功", "发论公", "fa lun gong", "代开发票", "代 开 发 票", "代开发漂",
          "daikaifapiao", "发票", "轮功", "打击代开发票专项行动", "网络赌场", "网络赌厂", "裸贷", "今天天气很好",
          "中国", "ab", "，", "。", " ", "a", "1"]


@lru_cache(maxsize=1)
def _index() -> NameIndex:
    extra = [entries.term("t-flg", "法轮功", "ILLEGAL_ORGANIZATION", "REJECT"),
             entries.term("t-inv", "代开发票", "EXTORTION_FRAUD", "REVIEW"),
             entries.term("t-fp", "发票", "OTHER_PROHIBITED", "REVIEW"),
             entries.term("t-lg", "轮功", "OTHER_PROHIBITED", "REVIEW"),
             entries.allow("a-inv", "打击代开发票专项行动")]
    return NameIndex.build(entries.builtin() + extra, "t")


# --- the rules, read pairwise: the reference -----------------------------------------------------

def _pairwise_strongest(hits: list[Hit]) -> list[Hit]:
    direct = [h for h in hits if h.channel not in WEAK]
    alive = [h for h in hits if not (h.channel in WEAK and any(
        d.entry_id == h.entry_id and d.span[0] < h.span[1] and h.span[0] < d.span[1] for d in direct))]
    kept: dict[tuple, Hit] = {}
    for h in alive:
        if (h.entry_id, h.span) not in kept or RANK[h.channel] < RANK[kept[(h.entry_id, h.span)].channel]:
            kept[(h.entry_id, h.span)] = h

    def inside(h: Hit, g: Hit) -> bool:
        return (g.code == h.code and g.span != h.span and g.span[0] <= h.span[0] and h.span[1] <= g.span[1]
                and (g.action == "REJECT" or h.action == "REVIEW"))

    standing = [h for h in kept.values() if not any(inside(h, g) for g in kept.values())]
    return sorted(standing, key=lambda h: (h.span, RANK[h.channel], h.entry_id))


def _occurrences_in(key: str, piece: str) -> list[int]:
    return [i for i in range(len(key) - len(piece) + 1) if key.startswith(piece, i)]


def _raw_post(index: NameIndex, norm: Normalized, long: bool) -> tuple[list, list, list]:
    """Every match by brute force, as spans of the text: keys by substring (an entry that repeats a
    character in the raw key, one written with numbers also in the numeric key); by reading, syllable by
    syllable over Han characters and, in letter runs, the term's spelling (long posts), or the spelling of
    the whole raw key on syllable boundaries (short ones)."""
    readings = tables.pinyin()
    lexicon = [index.entry(n) for n in range(len(index.rows))]
    key, raw = norm.key, norm.raw

    def on_key(s: int, e: int) -> tuple[int, int]:
        return int(norm.origin[s]), int(norm.origin[e - 1]) + 1

    def on_raw(s: int, e: int) -> tuple[int, int]:
        return int(norm.raw_origin[s]), int(norm.raw_origin[e - 1]) + 1

    direct = [(*on_key(s, s + len(e.key)), e) for e in lexicon if e.kind in (TERM, ALLOW) and e.raw == e.key
              for s in _occurrences_in(key, e.key)]
    direct += [(*on_raw(s, s + len(e.raw)), e) for e in lexicon if e.kind in (TERM, ALLOW) and e.raw != e.key
               for s in _occurrences_in(raw, e.raw)]
    numeric = [(*on_raw(s, s + len(e.raw)), e) for e in lexicon if e.kind in (TERM, ALLOW)
               and any(c.isdigit() for c in numeric_of(e.raw))
               for s in _occurrences_in(norm.numeric, numeric_of(e.raw))]
    weak = []
    spelled_key, origin = pinyin_of(raw)
    for e in lexicon:
        if e.kind != TERM:
            continue
        spelled, syllables = pinyin_of(e.raw)[0], sum(c in readings for c in e.raw)
        in_automaton = len(spelled) >= 5 and syllables >= 3
        if long and len(e.raw) >= 3 and syllables == len(e.raw):
            sound = [readings[c] for c in e.raw]
            weak += [on_raw(s, s + len(e.raw)) + (e,) for s in range(len(raw) - len(e.raw) + 1)
                     if [readings.get(c) for c in raw[s:s + len(e.raw)]] == sound]
        if long and in_automaton:
            for run in re.finditer("[a-z]{5,}", raw):
                at = run.start()
                weak += [on_raw(at + s, at + s + len(spelled)) + (e,) for s in _occurrences_in(run.group(), spelled)]
        if not long and in_automaton:
            for s in _occurrences_in(spelled_key, spelled):
                last = s + len(spelled) - 1  # whole characters only: on syllable boundaries
                starts_one = s == 0 or origin[s - 1] != origin[s]
                ends_one = last + 1 == len(origin) or origin[last + 1] != origin[last]
                if starts_one and ends_one:
                    weak.append(on_raw(origin[s], origin[last] + 1) + (e,))
    return direct, numeric, weak


def _reference_post(index: NameIndex, text: str) -> list[Hit]:
    norm = normalize(text)
    direct, numeric, weak = _raw_post(index, norm, len(text) > post.LONG_TEXT)

    def edges(found: list) -> list:
        return [(s, e, entry) for s, e, entry in found if entry.substring or on_word_edges(text, s, e)]

    direct, numeric, weak = edges(direct), edges(numeric), edges(weak)
    numeric = [(s, e, entry) for s, e, entry in numeric if numbers_disguised(text, s, e, entry.raw)]
    allowed = [(s, e) for s, e, entry in direct + numeric if entry.kind == ALLOW]
    found = [(entry, (s, e), channel_of(text[s:e], entry)) for s, e, entry in direct if entry.kind == TERM]
    found += [(entry, (s, e), "numeric") for s, e, entry in numeric if entry.kind == TERM]
    found += [(entry, (s, e), "pinyin") for s, e, entry in weak]
    return _pairwise_strongest([hit_for(entry, where, channel, None, "content") for entry, where, channel in found
                                if not any(a <= where[0] and where[1] <= b for a, b in allowed)])


def _reference_listing(hits: list[Hit], per_term: int, total: int) -> tuple[list[Hit], list[tuple]]:
    groups: dict[tuple[str, str], list[Hit]] = defaultdict(list)
    for h in hits:
        groups[(h.entry_id, h.action)].append(h)
    def first_listed(h: Hit) -> tuple:  # past the total, what decided (REJECT) first, then by place
        return h.action != "REJECT", h.span, h.entry_id

    shown = sorted((h for group in groups.values() for h in group[:per_term]), key=first_listed)[:total]
    rows = sorted(groups.items(), key=lambda item: first_listed(item[1][0]))[:total]
    listed = [(h.entry_id, h.action) for h in shown]
    return (sorted(shown, key=lambda h: (h.span, RANK[h.channel], h.entry_id)),
            [(entry_id, action, len(group), listed.count((entry_id, action))) for (entry_id, action), group in rows])


def _reference_name(index: NameIndex, text: str, field: str) -> list[Hit]:
    """The name check as its rules read, pairwise (the matchers are the index's own)."""
    norm = normalize(text)

    def spanner(origin: tuple[int, ...]):  # noqa: ANN202
        return lambda s, e: (origin[s], origin[e - 1] + 1)

    found, allowed = [], []
    numbered = [(s, e, index.entry(n)) for s, e, n in index.exact_numbers(norm.numeric, "numeric_automaton")]
    repeated = [(s, e, index.entry(n)) for s, e, n in index.exact_numbers(norm.raw, "repeat_automaton")]
    for matches, key, span, numeric in ((index.exact(norm.key), norm.key, spanner(norm.origin), False),
                                        (repeated, norm.raw, spanner(norm.raw_origin), False),
                                        (numbered, norm.raw, spanner(norm.raw_origin), True)):
        for s, e, entry in matches:
            if entry.kind == ALLOW:
                allowed.append(span(s, e))
            elif entry.kind == BANNED and (s, e) != (0, len(key)):
                found.append((entry, span(s, e), "contained", None))
            else:
                channel = "numeric" if numeric else channel_of(text[span(s, e)[0]:span(s, e)[1]], entry)
                found.append((entry, span(s, e), channel, _affix_next_to(key, s, e)))
    raw_span, key_span = spanner(norm.raw_origin), spanner(norm.origin)
    found += [(entry, raw_span(s, e), "pinyin", _affix_next_to(norm.raw, s, e))
              for s, e, entry in index.homophones(norm.raw)]
    found += [(entry, key_span(s, e), "similar", _affix_next_to(norm.key, s, e))
              for s, e, entry in index.near_copies(norm.key) if entry.kind == PROTECTED or (s, e) == (0, len(norm.key))]
    return _pairwise_strongest([hit_for(entry, where, channel, affix, field) for entry, where, channel, affix in found
                                if not (entry.kind in (PROTECTED, TERM)
                                        and any(a <= where[0] and where[1] <= b for a, b in allowed))
                                and (channel == "similar" or entry.substring
                                     or on_word_edges(text, where[0], where[1]))
                                and (channel != "numeric" or numbers_disguised(text, where[0], where[1], entry.raw))])


def _decision(hits: list[Hit]) -> str:
    return "REJECT" if any(h.action == "REJECT" for h in hits) else "REVIEW" if hits else "PASS"


@pytest.fixture(params=["few", "columns"])
def strategy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both forms of the post check: Hit objects (few matches) and numpy columns (many)."""
    monkeypatch.setattr(post, "FEW_MATCHES", 10**9 if request.param == "few" else -1)
    return request.param


# --- equal to the reference ----------------------------------------------------------------------

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), max_size=60), st.booleans())
def test_a_post_check_equals_the_pairwise_rules(strategy: str, pieces: list[str], long: bool) -> None:
    # GIVEN a post of terms, evasions, allow-listed phrases and filler, short or past LONG_TEXT
    text = "".join(pieces) + ("。" * (post.LONG_TEXT + 1) if long else "")
    # WHEN it is checked with every hit listed, and with a small bound
    found, bounded = post.check_text(_index(), text), post.check_text(_index(), text, 2, 5)
    # THEN hits and decision are the rules' own, and the bounded answer lists the first of each
    expected = _reference_post(_index(), text)
    assert list(found.hits) == expected and found.decision == _decision(expected) == bounded.decision
    shown, rows = _reference_listing(expected, 2, 5)
    assert list(bounded.hits) == shown
    assert [(o.entry_id, o.action, o.count, o.reported) for o in bounded.occurrences] == rows
    assert bounded.truncated == (len(shown) < len(expected) or len(rows) < len({(h.entry_id, h.action)
                                                                                 for h in expected}))


_spans = st.tuples(st.integers(0, 12), st.integers(1, 6)).map(lambda p: (p[0], p[0] + p[1]))
_hits = st.builds(lambda entry_id, code, span, channel, action: Hit(code, "C", "A", span, entry_id, channel, entry_id,
                                                                     action),
                  st.sampled_from(["p1", "p2", "p3"]), st.sampled_from(["A", "B"]), _spans, st.sampled_from(list(RANK)),
                  st.sampled_from(["REJECT", "REVIEW"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(_hits, max_size=40))
def test_both_forms_of_the_evidence_rules_equal_the_pairwise_reading(hits: list[Hit]) -> None:
    import numpy as np

    # GIVEN any hits: entries sharing an id, several codes, equal spans, every channel and action
    ids = {entry_id: n for n, entry_id in enumerate(sorted({h.entry_id for h in hits}))}
    columns = [np.array(column, dtype=np.int64).reshape(-1) for column in zip(*(
        (ids[h.entry_id], ord(h.code), h.span[0], h.span[1], h.channel in WEAK, h.action == "REJECT", RANK[h.channel])
        for h in hits), strict=True)] if hits else [np.zeros(0, dtype=np.int64)] * 7
    entry, code, start, end, weak, reject, rank = columns
    # WHEN the rules run on Hit objects and on columns
    on_columns = evidence.strongest_columns(entry, code, start, end, weak.astype(bool), reject.astype(bool), rank)
    # THEN both keep exactly what the pairwise reading keeps
    expected = _pairwise_strongest(hits)
    assert evidence.strongest(hits) == expected
    assert sorted((hits[i] for i in on_columns.tolist()), key=evidence.evidence_order) == expected


# --- the corpora behind the figures: decisions unchanged -------------------------------------------

def _name_corpus() -> list[str]:
    import random

    from bench import bench_names

    rng = random.Random(7)
    names = [n for item in tables.builtin()["protected"] for n in [item["name"], *item["aliases"]]]
    return [t for name in names for t in bench_names._evasions(name, rng).values()] + bench_names._ordinary(rng)


def test_name_decisions_on_the_quality_corpus_are_the_rules_own() -> None:
    # GIVEN the evasions and ordinary names the recall and false-positive figures are measured on
    index = NameIndex.build(entries.builtin(), "quality")
    for text in _name_corpus():
        for field in ("account_name", "description"):
            # WHEN each is checked THEN hits and decision equal the pairwise reading of the rules
            expected = _reference_name(index, text, field)
            found = check(index, text, field, None)
            assert (found.decision, list(found.hits)) == (_decision(expected), expected), (text, field)


def test_post_decisions_on_the_corpora_are_the_rules_own(strategy: str) -> None:
    import random

    from bench import bench_content

    # GIVEN posts made of the name corpus, the API tests' posts, and the benchmark's ordinary and hostile posts
    corpus = _name_corpus()
    rng = random.Random(11)
    posts = ["，".join(rng.sample(corpus, 80)) for _ in range(20)]
    filler = "今天天气很好，我们一起去公园散步。" * 60
    posts += [filler + "有人在宣传 法·輪·功 的材料" + filler, "需要 dai kai fa piao 的请联系" + "。" * 300,
              "税务局开展打击代开发票专项行动" + "。" * 300, bench_content._ordinary(rng, 3000)]
    posts += list(bench_content._hostile(rng, list(entries.builtin()) + [entries.term("t2", "裸照", "OTHER_PROHIBITED",
                                                                                       "REVIEW")], 1200).values())
    for text in posts:
        # WHEN each is checked, bounded and not
        expected = _reference_post(_index(), text)
        found, bounded = post.check_text(_index(), text), post.check_text(_index(), text, 20, 500)
        # THEN the hits are the rules' own and the bound never moves the decision
        assert list(found.hits) == expected, text[:80]
        assert found.decision == bounded.decision == _decision(expected)
        assert found.counted == bounded.counted == len(expected)


# --- the work grows linearly ------------------------------------------------------------------------

def _hostile(size: int) -> dict[str, str]:
    def repeat(piece: str) -> str:
        return (piece * (size // len(piece) + 1))[:size]

    return {"one term repeated": repeat("法轮功"), "a term at every other character": repeat("裸贷"),
            "a homophone at every character": repeat("发论公代开发漂网络赌厂"),
            "an allow-listed phrase around a term": repeat("打击代开发票专项行动，"),
            "a term spread over separators": repeat("法·轮·功·"), "a term typed in pinyin": repeat("fa lun gong ")}


@pytest.mark.parametrize("name", list(_hostile(8)))
def test_the_python_work_of_a_hostile_post_grows_at_most_linearly(name: str) -> None:
    # GIVEN a hostile post of n and of 4n characters (checked once first, so every character is known)
    small, large = _hostile(2_000)[name], _hostile(8_000)[name]
    for text in (small, large):
        post.check_text(_index(), text, 20, 500)
    # WHEN each is checked under a line counter
    steps = [python_steps(lambda text=text: post.check_text(_index(), text, 20, 500)) for text in (small, large)]
    # THEN four times the text costs at most about four times the lines (pairwise comparison: sixteen)
    assert steps[1] <= 4.5 * steps[0], steps


@pytest.mark.parametrize("name", list(_hostile(8)))
def test_the_evidence_listed_is_bounded_and_every_hit_counted(name: str) -> None:
    # GIVEN a hostile post of 20,000 characters
    text = _hostile(20_000)[name]
    # WHEN it is checked with at most 7 spans per term and action, 30 in all
    found = post.check_text(_index(), text, 7, 30)
    everything = post.check_text(_index(), text)
    # THEN the listing is bounded, every hit is counted, and the decision is the unbounded one
    per_group = defaultdict(int)
    for h in found.hits:
        per_group[(h.entry_id, h.action)] += 1
    assert len(found.hits) <= 30 and all(n <= 7 for n in per_group.values())
    assert found.counted == len(everything.hits) and found.decision == everything.decision
    assert found.truncated == (found.counted > len(found.hits))
    assert sum(o.count for o in found.occurrences) == found.counted


def test_a_long_post_is_hashed_once_per_key_length_not_once_per_key_sharing_a_prefix(monkeypatch) -> None:
    from chalicelib.names import hashed_keys as index_module

    hashed: list[int] = []
    real = index_module._slotted

    def counted(hashes, slots):  # noqa: ANN001, ANN202
        hashed.append(len(hashes))
        return real(hashes, slots)

    monkeypatch.setattr(index_module, "_slotted", counted)
    text = "中国" * 5_000
    work = {}
    for crowd in (10, 500):
        # GIVEN a lexicon where `crowd` terms of four characters begin with 中国
        spellings = ("中国" + chr(0x4E00 + n) + chr(0x5000 + n) for n in range(2_000))
        four = [t for t in spellings if len(key_of(t)) == 4 and key_of(t).startswith("中国")][:crowd]
        extra = [entries.term(f"c{n}", t, "OTHER_PROHIBITED", "REVIEW") for n, t in enumerate(four)]
        index = NameIndex.build(entries.builtin() + extra, f"crowd{crowd}")
        index.exact_matches("预热")  # the table is built on first use; hashing its own keys is not counted
        hashed.clear()
        # WHEN a post of 中国 repeated is matched
        assert not len(index.exact_matches(text).numbers)
        work[crowd] = sum(hashed)
        lengths = {len(index.entry(n).key) for n in range(len(index.rows)) if index.entry(n).key.startswith("中国")}
    # THEN the windows hashed are as many with 500 such terms as with 10: one per position and key length
    assert work[10] == work[500] and 0 < work[500] <= 5_000 * len(lengths), (work, lengths)


def test_a_short_post_meeting_no_entry_never_works_out_its_origins(monkeypatch) -> None:
    from chalicelib.names import normalize as normalize_module

    def refused(*args: object) -> None:
        raise AssertionError("origins worked out for a post that meets no entry")

    # GIVEN the origins of a short text made only when read
    monkeypatch.setattr(normalize_module, "_short_origins", refused)
    # WHEN a post meeting no entry (repeats, digits, letters and all) is checked
    found = post.check_text(_index(), "今天天天气很好，2024年我们去公园散步 walking！！")
    # THEN it passes with its steps, and no origin was made
    assert found.decision == "PASS" and "repeat" in found.normalized.steps


@pytest.mark.parametrize("text", ["今天天气很好", "法轮功", "法法轮轮功", "falungong在这里", "六四 8964 ⑥④", "哈哈哈哈",
                                  "", "！！！", "v信 加我 wx123456",
                                  "看cctv新闻", "6合彩预测号码", "中华人民共和国国防部发布"])
def test_the_short_post_lists_are_the_four_tables_own(text: str) -> None:
    index, norm = _index(), normalize(text)
    assert index.short_post_numbers(norm.key, norm.raw, norm.numeric) == (
        list(index.exact_numbers(norm.key)), list(index.exact_numbers(norm.raw, "repeat_automaton")),
        list(index.exact_numbers(norm.numeric, "numeric_automaton")),
        list(index.homophone_numbers(norm.raw, terms=True)))
