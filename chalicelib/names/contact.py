"""Contact diversion (引流): names, descriptions and posts that move users off the platform.

Found: WeChat ids (微信, 薇信, 威信, V信, vx, wx, +V), QQ numbers (QQ, 扣扣, 企鹅) and QQ groups (Q群, 群号),
mainland mobile numbers (with or without a cue), URLs and domains (点com, dot com), e-mail addresses and
other apps' handles (抖音号, 小红书, Telegram, WhatsApp…), with their disguises: every number form of
normalize.py (一二三, 壹贰叁, ①, ⑴, ❶, full-width), separators, emoji and zero-width characters between
the characters, look-alike letters, full-width and capital letters.

The text is folded one character to one (so a match's span is the original text's): a Latin letter or a
digit for what reads as one, "." for every full stop and dot, the simplified form of a Han character,
and "~" for anything else (spaces, punctuation, emoji, invisible characters). Patterns then run over the
folded text, each anchored so that the work is linear in the text.

Ground: the platform's own rules (its user agreement forbids moving users elsewhere); where money is
asked for or offered beside the contact (付费, 有偿, 进群费, 红包…) it is paid diversion, PA2020-18(7).
Phones are masked in the value (138****5678): the answer must not carry the number (PA2017-9).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from chalicelib.names import tables
from chalicelib.names.evidence import Hit
from chalicelib.names.normalize import CodeTable, numeral

PLATFORM_RULES, PAID_DIVERSION = "PLATFORM_RULES", "PA2020-18(7)"
KINDS = ("WECHAT", "QQ", "QQ_GROUP", "PHONE", "URL", "EMAIL", "HANDLE")
_DOTS = {"。", "｡", "．", "·", "•", "・"}  # full stops and middle dots read as the dot of a domain
_KEPT = set("@_-:/+.")

_S = "~*"  # separators between cue and value
_GAP = "[~.\\-/]{0,2}"  # between the digits of a number: spaces, dashes, dots, emoji…
_DIGITS = "(?:" + _GAP + "[0-9])"
_TLD = ("com|cn|net|org|top|xyz|vip|cc|me|io|co|info|site|shop|club|app|live|tv|ink|pub|fun|link|icu|wang|ren|"
        "cloud|tk|biz|asia|online|store|work|hk|tw|la|so")
_DOT = "(?:~?(?:\\.|点|點|dot|\\(dot\\)|\\[dot\\])~?)"
_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# Domains are found from their top-level label backwards (the text reversed, at most _HOST_REACH
# characters), so a run of labels is read once, not once per position it could start at.
_TLD_AT = re.compile(f"{_DOT}(?:{_TLD})(?![a-z0-9])")
_HOST_BACK = re.compile(f"{_LABEL}(?:~?(?:\\.|点|點|tod|\\)tod\\(|\\]tod\\[)~?{_LABEL})*")
_USER_BACK = re.compile("~?@~?([a-z0-9_-](?:[a-z0-9._-]{0,63}))")
_SCHEME = re.compile("(?:https?~?:~?/~?/~?)$")
_HOST_REACH = 100
_LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_APPS = {"抖音": "DOUYIN", "dy": "DOUYIN", "快手": "KUAISHOU", "ks": "KUAISHOU", "小红书": "XIAOHONGSHU",
         "红书": "XIAOHONGSHU", "微博": "WEIBO", "weibo": "WEIBO", "telegram": "TELEGRAM", "tg": "TELEGRAM",
         "纸飞机": "TELEGRAM", "飞机": "TELEGRAM", "whatsapp": "WHATSAPP", "line": "LINE", "ins": "INSTAGRAM",
         "instagram": "INSTAGRAM", "skype": "SKYPE", "discord": "DISCORD", "twitter": "TWITTER", "推特": "TWITTER",
         "脸书": "FACEBOOK", "facebook": "FACEBOOK", "陌陌": "MOMO", "探探": "TANTAN", "soul": "SOUL",
         "b站": "BILIBILI", "bilibili": "BILIBILI"}
_PATTERNS = {
    "QQ_GROUP": f"(?:qq群|q群|扣扣群|扣群|企鹅群|群号码?|qq群号)(?:号码?)?[~:]*(?P<id>[1-9]{_DIGITS}{{4,10}})(?![0-9])",
    "QQ": f"(?<![a-z])(?:qq|扣扣|抠抠|企鹅|球球|口口)(?![a-z群])(?:号码?)?[~:]*(?P<id>[1-9]{_DIGITS}{{4,10}})(?![0-9])",
    "WECHAT": ("(?:(?<![a-z])(?:vx|wx|vxin|weixin|wechat|wei~?xin)(?![a-z])|微信|薇信|威信|维信|徽信|微芯|v信|微心"
               "|(?:\\+|加我?|➕)~?(?:v|微|薇|威|vx|wx)(?![a-z]))(?:号|同号)?[~:]*"
               f"(?P<id>[a-z][a-z0-9_-]{{5,19}}(?![a-z0-9_-])|1{_DIGITS}{{10}}(?![0-9]))"),
    "HANDLE": ("(?<![a-z])(?P<app>" + "|".join(sorted(_APPS, key=lambda app: (-len(app), app))) + ")"
               "(?:(?:号|id)[~:]*|~*:[~:]*)(?P<id>@?[a-z0-9][a-z0-9_.-]{3,29}(?![a-z0-9_-]))"),
    "PHONE": f"(?<![0-9])(?:\\+?86{_GAP})?(?P<id>1{_DIGITS}{{10}})(?![0-9])",
}
# What a pattern cannot match without (substrings, each a fast `in`): most texts hold no cue at all, and
# the pattern is not run. A phone needs eleven digits.
_NEEDS = {"QQ_GROUP": ("群",), "QQ": ("qq", "扣扣", "抠抠", "企鹅", "球球", "口口"),
          "WECHAT": ("vx", "wx", "xin", "wechat", "信", "微", "薇", "威", "芯", "心", "+", "加", "➕"),
          "HANDLE": tuple(_APPS)}
_PAID = re.compile("付费|收费|有偿|进群费|入群费|会费|红包|返利|返现|报价|价格|[0-9]+元|[0-9]+块|￥|¥|包月|代理费")
_PAID_REACH = 20  # characters either side of a contact where an offer of money makes it paid diversion


@dataclass(frozen=True)
class Contact:
    kind: str
    value: str            # normalized: lower case, digits only, a domain's dots; phones masked
    span: tuple[int, int]
    ground: str           # PLATFORM_RULES, or PA2020-18(7) for paid diversion


class _Folding(dict[int, str]):
    """codepoint → its one folded character (see the module docstring), for str.translate."""

    def __missing__(self, code: int) -> str:
        self[code] = _fold(chr(code))
        return self[code]


def _fold(char: str) -> str:
    if char in _DOTS:
        return "."
    shaped = unicodedata.normalize("NFKC", char).casefold()
    shaped = "".join(c for c in unicodedata.normalize("NFD", shaped) if unicodedata.category(c) != "Mn")
    digits = [numeral(c) for c in shaped if numeral(c).isdigit() and numeral(c).isascii()]
    if len(digits) == 1:  # ⑴ → "(1)", ⒈ → "1.", 六 → 6, ❶ → 1
        return digits[0]
    if len(shaped) != 1:
        return "~"
    looks = tables.skeleton().get(shaped, shaped)
    if looks.isascii() and looks.isalnum():
        return looks
    if shaped in _KEPT:
        return shaped
    if shaped.isalpha():
        return tables.traditional_to_simplified().get(shaped, shaped)
    return "~"


_folding = _Folding()
_table = CodeTable(lambda char: ord(_fold(char)))


def fold(text: str) -> str:
    """`text` folded one character to one: per distinct character in Python once per container, per
    character as one numpy gather on long posts (str.translate through a dict costs more there)."""
    if len(text) < 512:
        return text.translate(_folding)
    return _table.gather(text).tobytes().decode("utf-32-le")


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((kind, re.compile(pattern)) for kind, pattern in _PATTERNS.items())


@lru_cache(maxsize=1)
def _mobile_prefixes() -> frozenset[str]:
    return frozenset(tables.mobile_segments())


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def mask_phone(digits: str) -> str:
    return digits[:3] + "****" + digits[-4:]


def _domains(folded: str) -> list[tuple[str, str, tuple[int, int]]]:
    """(kind, value, span) of every URL, domain and e-mail address, found from its top-level label back."""
    found: list[tuple[str, str, tuple[int, int]]] = []
    floor = len(folded) + 1  # from the last top-level label back: one inside a host already read is skipped
    for tld in reversed(list(_TLD_AT.finditer(folded))):
        if tld.end() > floor:
            continue
        low = max(0, tld.start() - _HOST_REACH)
        back = _HOST_BACK.match(folded[low:tld.start()][::-1])
        if back is None:
            continue
        start = tld.start() - back.end()
        floor = start
        if start > 0 and folded[start - 1] in _LABEL_CHARS:
            continue  # a label longer than 63 characters, or past the reach: not a host name
        host = re.sub(_DOT, ".", folded[start:tld.end()]).removeprefix("www.")
        user = _USER_BACK.match(folded[max(0, start - 70):start][::-1])
        if user and not (start - user.end() > 0 and folded[start - user.end() - 1] in _LABEL_CHARS | {".", "_"}):
            name = user.group(1)[::-1]
            kind, value = ("QQ", name) if host == "qq.com" and name.isdigit() else ("EMAIL", f"{name}@{host}")
            found.append((kind, value, (start - user.end(), tld.end())))
            continue
        scheme = _SCHEME.search(folded, max(0, start - 12), start)
        found.append(("URL", host, (scheme.start() if scheme else start, tld.end())))
    return found[::-1]


def _value(kind: str, match: re.Match[str]) -> tuple[str, str] | None:
    """(kind, normalized value) of a match, or None when it is not one after all (a number outside every
    mobile segment)."""
    if kind == "HANDLE":
        return kind, f"{_APPS[match.group('app')]}:{match.group('id').lstrip('@')}"
    found = match.group("id")
    if kind in ("QQ", "QQ_GROUP"):
        return kind, _digits(found)
    digits = _digits(found)
    if kind == "WECHAT" and not found[0].isdigit():
        return kind, found
    if digits[:4] not in _mobile_prefixes():
        return None
    return kind, mask_phone(digits)


def find(text: str) -> list[Contact]:
    """Every contact in `text`, by position; where two overlap the one found first in KINDS order stays
    (a WeChat id given as a phone number is WECHAT, not also PHONE)."""
    folded = fold(text)
    candidates = _domains(folded) if "." in folded or "点" in folded or "點" in folded or "dot" in folded else []
    for kind, pattern in _compiled():
        if kind == "PHONE" and sum(map(folded.count, "0123456789")) < 11:
            continue
        if kind != "PHONE" and not any(cue in folded for cue in _NEEDS[kind]):
            continue
        for match in pattern.finditer(folded):
            read = _value(kind, match)
            if read is not None:
                candidates.append((*read, match.span()))
    taken = _Taken()
    found = []
    for kind, value, span in candidates:  # in order of precedence: domains, then KINDS' patterns in order
        if taken.claim(span):
            window = folded[max(0, span[0] - _PAID_REACH):span[1] + _PAID_REACH]
            found.append(Contact(kind, value, span, PAID_DIVERSION if _PAID.search(window) else PLATFORM_RULES))
    return sorted(found, key=lambda c: c.span)


class _Taken:
    """Spans claimed so far, sorted: whether a new one overlaps any is a binary search."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def claim(self, span: tuple[int, int]) -> bool:
        at = bisect.bisect_left(self.spans, span)
        if (at and self.spans[at - 1][1] > span[0]) or (at < len(self.spans) and self.spans[at][0] < span[1]):
            return False
        self.spans.insert(at, span)
        return True


def hits(text: str, action: str) -> list[Hit]:
    """The contacts in `text` as evidence: code CONTACT_DIVERSION on the contact channel, the ground as
    article, the action the tenant's policy gives (REVIEW by default, REJECT where it chose so)."""
    return [Hit("CONTACT_DIVERSION", "CONTACT_DIVERSION", found.ground, found.span, found.kind, "contact",
                f"contact:{found.kind.lower()}", action, contact=(found.kind, found.value)) for found in find(text)]
