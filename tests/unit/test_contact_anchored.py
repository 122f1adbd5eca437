"""Contact diversion is looked for only where a match can begin (names/contact.py `_STARTS`): the same
contacts as trying every position of the text, on texts built to put cues inside cues, dots inside hosts,
digits in every form and separators everywhere (PA2020-18(7), the platform's rules)."""

from __future__ import annotations

import random
import re

import pytest

from chalicelib.names import contact

FRAGMENTS = ["qq", "q", "扣扣", "扣", "群", "群号", "企鹅", "微信", "薇信", "v信", "加", "加我", "+", "+v", "➕",
             "vx", "wx", "wei", "xin", "wechat", "1", "13812345678", "86", "+86", "2", "0", "5", "①", "⑧", "一",
             "八", "点", "點", ".", "。", "dot", "(dot)", "[dot]", "com", "cn", "co", "me", "net", "www", "http://",
             "https://", "abc", "a", "z9", "-", "_", "@", "~", " ", " ", ":", "：", "号", "抖音", "dy", "tg", "line",
             "ins", "id", "小红书", "付费", "红包", "元", "今天", "天气", "😀", "\u200b", "/",
             # cues without a value and their look-alikes
             "私我", "详聊", "聊", "聊天", "了解", "联系", "联系人", "个", "下", "我的", "参", "更", "微", "v", "V",
             "认证", "音乐", "空间", "抠抠", "球球", "威心", "滴滴", "dd", "ctrl", "领"]


def reference(folded: str) -> list[tuple[str, str, tuple[int, int]]]:
    """The search as it was: every pattern tried at every position (finditer), domains from every
    top-level label finditer finds."""
    candidates = []
    floor = len(folded) + 1
    for tld in reversed(list(contact._TLD_AT.finditer(folded))):
        if tld.end() > floor:
            continue
        low = max(0, tld.start() - contact._HOST_REACH)
        back = contact._HOST_BACK.match(folded[low:tld.start()][::-1])
        if back is None:
            continue
        start = tld.start() - back.end()
        floor = start
        if start > 0 and folded[start - 1] in contact._LABEL_CHARS:
            continue
        host = re.sub(contact._DOT, ".", folded[start:tld.end()]).removeprefix("www.")
        user = contact._USER_BACK.match(folded[max(0, start - 70):start][::-1])
        if user and not (start - user.end() > 0
                         and folded[start - user.end() - 1] in contact._LABEL_CHARS | {".", "_"}):
            name = user.group(1)[::-1]
            kind, value = ("QQ", name) if host == "qq.com" and name.isdigit() else ("EMAIL", f"{name}@{host}")
            candidates.append((kind, value, (start - user.end(), tld.end())))
            continue
        scheme = contact._SCHEME.search(folded, max(0, start - 12), start)
        candidates.append(("URL", host, (scheme.start() if scheme else start, tld.end())))
    candidates.reverse()
    for kind, pattern in ((kind, re.compile(pattern)) for kind, pattern in contact._PATTERNS.items()):
        for match in pattern.finditer(folded):  # without `_compiled`'s look at the first character
            read = contact._value(kind, match)
            if read is not None:
                candidates.append((*read, match.span()))
    kept: list[tuple[str, str, tuple[int, int]]] = []
    for kind, value, span in candidates:
        if not any(span[0] < other[1] and other[0] < span[1] for _, _, other in kept):
            kept.append((kind, value, span))
    return sorted(kept, key=lambda found: found[2])


@pytest.mark.parametrize("seed", range(6))
def test_looking_only_where_a_match_can_begin_finds_what_trying_everywhere_finds(seed):
    rng = random.Random(seed)
    for _ in range(400):
        # GIVEN a text of contact cues, fragments of numbers and hosts, and separators, in any order
        text = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 60)))
        # a name-sized text, and one past the length where starts are found with numpy
        for folded in (contact.fold(text), contact.fold(text + "今天" * contact._SHORT + text)):
            # WHEN contacts are found THEN they are the ones every position would give
            assert contact._found(folded) == reference(folded), text


@pytest.mark.parametrize("seed", range(6))
def test_plain_hosts_read_all_at_once_are_those_read_one_by_one(seed, monkeypatch):
    # GIVEN texts of hosts, dots, labels, schemes, addresses and separators in any order, long enough for numpy
    rng = random.Random(100 + seed)
    monkeypatch.setattr(contact, "_MANY_DOTS", 0)  # every text's plain hosts read at once
    for _ in range(400):
        text = "".join(rng.choice(FRAGMENTS + ["abc点com", "x.cn", "a1.top", "-", "www", "com.", "a0" * 32])
                       for _ in range(rng.randint(1, 60)))
        folded = contact.fold(text + "今天" * contact._SHORT + text)
        # WHEN contacts are found THEN they are the ones reading every host from its dot back gives
        assert contact._found(folded) == reference(folded), text


def test_a_dense_post_of_cues_finds_the_same_as_a_sparse_one():
    # GIVEN one contact among many cues that lead nowhere (a pattern then scans the text in C)
    text = "qq群" * 400 + " 加微信 abc_12345 今天" + "点com " * 300
    # WHEN contacts are found THEN the anchored search agrees with trying everywhere
    assert contact._found(contact.fold(text)) == reference(contact.fold(text))
    assert ("WECHAT", "abc_12345") in {(kind, value) for kind, value, _ in contact._found(contact.fold(text))}


@pytest.mark.parametrize(("per_term", "total"), [(None, None), (1, 3), (2, None), (20, 5)])
def test_a_post_lists_its_contacts_as_the_evidence_rules_list_every_hit(per_term, total):
    from chalicelib.names import evidence

    rng = random.Random(per_term or 0)
    for _ in range(200):
        # GIVEN a post of many contacts of several kinds, some with money offered beside them
        text = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 120)))
        every = contact.hits(text, "REVIEW")
        # WHEN its contacts are listed with Hits made only for what is listed
        shown, heads, counted, groups = contact.listed(text, "REVIEW", per_term, total)
        # THEN the listing, the counts and the grounds are those of listing every hit
        assert (shown, heads) == tuple(map(list, evidence.listed(every, per_term, total))), text
        assert (counted, groups) == (len(every), len({h.entry_id for h in every}))
