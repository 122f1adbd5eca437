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

A cue without a value ("加V详聊", "私聊加扣扣", "vx私我", "加企鹅") is found too, as a contact of its kind with
value None: a word that adds a channel (加, +, ➕ and 加我, 加个, 加一下…) before a WeChat or QQ spelling, or a
disguised or plain spelling followed by an invitation (私我, 详聊, 了解, 咨询, 联系…). Ordinary uses are left
alone: 参加, 更加, 增加 and 附加 add nothing; V and Q only as a word of their own (not in "vlog", "ctrl+v"), 加V
not before 认证 (a verified badge), a lone 微 only before an invitation or a break, QQ not before one of its
products (QQ音乐, QQ空间…), 聊 not in 聊天. A cue that overlaps a contact with its value gives way to it.

Ground: the platform's own rules (its user agreement forbids moving users elsewhere); where money is
asked for or offered beside the contact (付费, 有偿, 进群费, 红包…) it is paid diversion, PA2020-18(7).
Phones are masked in the value (138****5678): the answer must not carry the number (PA2017-9).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from chalicelib.names import tables
from chalicelib.names.codepoints import CodeTable, points_of
from chalicelib.names.evidence import Hit, Reach
from chalicelib.names.normalize import numeral

PLATFORM_RULES, PAID_DIVERSION = "PLATFORM_RULES", "PA2020-18(7)"
KINDS = ("WECHAT", "QQ", "QQ_GROUP", "PHONE", "URL", "EMAIL", "HANDLE")
_DOTS = {"。", "｡", "．", "·", "•", "・"}  # full stops and middle dots read as the dot of a domain
_KEPT = set("@_-:/+.")
_PLUSES = {"➕", "﹢", "⁺", "₊"}  # read as the + of "+V" (full-width ＋ is + already)

_S = "~*"  # separators between cue and value
_GAP = "[~.\\-/]{0,2}"  # between the digits of a number: spaces, dashes, dots, emoji…
_DIGITS = "(?:" + _GAP + "[0-9])"
_TLD = ("com|cn|net|org|top|xyz|vip|cc|me|io|co|info|site|shop|club|app|live|tv|ink|pub|fun|link|icu|wang|ren|"
        "cloud|tk|biz|asia|online|store|work|hk|tw|la|so")
_DOT = "(?:~?(?:\\.|点|點|dot|\\(dot\\)|\\[dot\\])~?)"
_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# Domains are found from their top-level label backwards (the text reversed, at most _HOST_REACH
# characters), so a run of labels is read once, not once per position it could start at.
_DIGIT_POINTS = [ord(digit) for digit in "0123456789"]
_TLD_LENGTHS = sorted({len(label) for label in _TLD.split("|")})
_DOT_AT = re.compile(_DOT)
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
# A cue without a value: a channel added (加V, 加我薇信, +vx, 加企鹅, 加Q群), or a channel and an invitation (vx私我,
# wx聊, 扣扣联系). The channel's group names its kind; no id follows (one that does is the kind's own pattern).
# 加 is not 参加 (folded 3加: 参 is a form of 3), 更加, 增加, 附加….
_INVITE = ("私我|私聊|私信|私戳|详聊|详谈|细聊|聊(?![天了过着])|了解|咨询|联系(?!人)|找我|滴滴|dd(?![a-z0-9])|戳我|"
           "来撩|撩我")  # not 备注, 领取, 秒回: 微信备注, 微信领取红包封面 are ordinary
_LONE_INVITE = "私我|私聊|私信|详聊|详谈|细聊|了解|咨询|联系|找我|滴滴|戳我|来撩|撩我"  # after a lone v: not 领 (V领)
_QQ_PRODUCTS = "音乐|空间|邮箱|飞车|浏览器|会员|游戏|钱包|炫舞|农场|看点|阅读|输入法|拼音|堂|秀|币|影音|宠物|三国"
_WECHAT_WORDS = "微信|薇信|威信|维信|徽信|微芯|微心|威心|薇心|v信"
_WECHAT_LATIN = "(?<![a-z0-9])(?:vxin|vx|wx|weixin|wechat)(?![a-z0-9])"
_QQ_WORDS = "扣扣|抠抠|企鹅|球球"
_GROUP_WORDS = "(?:(?<![a-z0-9])qq|(?<![a-z0-9])q|扣扣|扣|企鹅)群"
_CUE = (
    "(?:(?<![3更增附追施强倍叠累外])加|(?<![a-z0-9])\\+)(?:我的|我|个|1下|下|1个)?~?"  # 一 is folded to 1
    f"(?:(?P<group_added>{_GROUP_WORDS})|(?P<wechat_added>{_WECHAT_WORDS}|{_WECHAT_LATIN}"
    "|v(?![a-z0-9]|认证|用户|博主)|(?:微|薇|威)(?=~|$|" + _INVITE + "))"
    f"|(?P<qq_added>(?:{_QQ_WORDS}|qq(?![a-z0-9])|q(?![a-z0-9]))(?!群|{_QQ_PRODUCTS})))(?:~?(?:{_INVITE}))?"
    f"|(?:(?P<group_asked>{_GROUP_WORDS})|(?P<wechat_asked>{_WECHAT_WORDS}|{_WECHAT_LATIN})"
    f"|(?P<qq_asked>{_QQ_WORDS}|(?<![a-z0-9])qq(?![a-z0-9]))(?!{_QQ_PRODUCTS}))~?(?:{_INVITE})"
    f"|(?<![a-z0-9])(?P<wechat_lone>v)~?(?:{_LONE_INVITE})")
_CUE_KINDS = {"group_added": "QQ_GROUP", "wechat_added": "WECHAT", "qq_added": "QQ", "group_asked": "QQ_GROUP",
              "wechat_asked": "WECHAT", "qq_asked": "QQ", "wechat_lone": "WECHAT"}
_PATTERNS = {
    "QQ_GROUP": f"(?:qq群|q群|扣扣群|扣群|企鹅群|群号码?|qq群号)(?:号码?)?[~:]*(?P<id>[1-9]{_DIGITS}{{4,10}})(?![0-9])",
    "QQ": f"(?<![a-z])(?:qq|扣扣|抠抠|企鹅|球球|口口)(?![a-z群])(?:号码?)?[~:]*(?P<id>[1-9]{_DIGITS}{{4,10}})(?![0-9])",
    "WECHAT": ("(?:(?<![a-z])(?:vx|wx|vxin|weixin|wechat|wei~?xin)(?![a-z])|微信|薇信|威信|维信|徽信|微芯|v信|微心"
               "|(?:\\+|加我?)~?(?:v|微|薇|威|vx|wx)(?![a-z]))(?:号|同号)?[~:]*"
               f"(?P<id>[a-z][a-z0-9_-]{{5,19}}(?![a-z0-9_-])|1{_DIGITS}{{10}}(?![0-9]))"),
    "HANDLE": ("(?<![a-z])(?P<app>" + "|".join(sorted(_APPS, key=lambda app: (-len(app), app))) + ")"
               "(?:(?:号|id)[~:]*|~*:[~:]*)(?P<id>@?[a-z0-9][a-z0-9_.-]{3,29}(?![a-z0-9_-]))"),
    "PHONE": f"(?<![0-9])(?:\\+?86{_GAP})?(?P<id>1{_DIGITS}{{10}})(?![0-9])",
    "CUE": _CUE,  # last: a cue that overlaps a contact with its value gives way to it
}
# Where a match of each pattern (and DOMAIN: a domain's dot, `_DOT`) can begin: every match starts with one
# of these, so a pattern is tried only there (a test holds this equal to trying every position).
_STARTS = {"QQ_GROUP": ("qq群", "q群", "扣扣群", "扣群", "企鹅群", "群号"),
           "QQ": ("qq", "扣扣", "抠抠", "企鹅", "球球", "口口"),
           "WECHAT": ("vx", "wx", "weixin", "wei~xin", "wechat", "微信", "薇信", "威信", "维信", "徽信", "微芯", "v信",
                      "微心", *(add + gap + to for add in ("+", "加", "加我") for gap in ("", "~")
                        for to in ("v", "微", "薇", "威", "vx", "wx"))),
           "HANDLE": tuple(_APPS),
           "PHONE": ("+", "86", "1"),
           "DOMAIN": (".", "点", "點", "dot", "(dot)", "[dot]"),
           "CUE": ("加", "+", *_WECHAT_WORDS.split("|"), "vxin", "vx", "wx", "weixin", "wechat", "v", "qq", "q",
                   *_QQ_WORDS.split("|"), "扣")}
_PAID = re.compile("付费|收费|有偿|进群费|入群费|会费|红包|返利|返现|报价|价格|[0-9]+元|[0-9]+块|￥|¥|包月|代理费")
_PHONE_REACH = 40  # characters a phone number may span from its start: +86, eleven digits, two-character gaps
_BETWEEN = [ord(char) for char in "~:号码同"]
_NUMBER_GAPS = [ord(char) for char in "~.-/+"]  # _GAP's characters, and a phone's +
_ID_FIRSTS = {kind: [chr(code) in chars for code in range(128)] for kind, chars in (
    ("WECHAT", "abcdefghijklmnopqrstuvwxyz1"), ("QQ", "123456789"), ("QQ_GROUP", "123456789"),
    ("HANDLE", "abcdefghijklmnopqrstuvwxyz0123456789@"))}
_SHORT = 256  # characters: up to this a text's starts are found by string searches
# A dot that a top-level label follows, where `_TLD_AT` can match: the one test of a short text for domains (a
# full stop after a number or a sentence, the d of "dodo", are no domain's dot and never tried). The inner
# "d" of a "(dot)" or "[dot]" matched here is none: a ")" or "]" follows its "dot", not a label.
_DOT_BEFORE_TLD = re.compile(f"(?:[.点點]|\\(dot\\)|\\[dot\\]|dot)(?=~?[a-z])(?=~?(?:{_TLD})(?![a-z0-9]))")
_DENSE = 16  # starts per character past which a pattern scans the text in C instead
_LATIN_CUES = frozenset(cue for cue in _STARTS["CUE"] if cue.isascii() and cue.isalpha())
_ADDS = ("加", "+")
# what must follow a cue's start for the cue pattern to match there (`_starts` keeps no other start)
_CHANNEL_FIRSTS = [ord(char) for char in "qvw扣企微薇威维徽抠球"]
_INVITE_FIRSTS = [ord(char) for char in {alternative[0] for alternative in _INVITE.split("|")} | {"群"}]
_DENSE_CUES = 2
_WORD_POINTS = [ord(char) for char in "abcdefghijklmnopqrstuvwxyz0123456789"]
_PAID_REACH = 20  # characters either side of a contact where an offer of money makes it paid diversion


Found = tuple[str, str | None, tuple[int, int]]  # kind, normalized value (None: a cue alone), span


@dataclass(frozen=True)
class Contact:
    kind: str
    value: str | None     # normalized: lower case, digits only, a domain's dots; phones masked; None: a cue alone
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
    if char in _PLUSES:
        return "+"
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
    """The patterns; each of `_LOOKED_AHEAD` behind a look at its first character (one of its `_STARTS`' first
    ones), which spares trying its alternatives at every other position of a scan (the cue's about 20× faster
    on a post, a phone's, a WeChat id's and a handle's 2–3×)."""
    def firsts(kind: str) -> str:
        return re.escape("".join(sorted({start[0] for start in _STARTS[kind]})))

    return tuple((kind, re.compile(f"(?=[{firsts(kind)}])(?:{pattern})" if kind in _LOOKED_AHEAD else pattern))
                 for kind, pattern in _PATTERNS.items())


# the patterns that begin by looking behind (or with alternatives that do): without the look at the first
# character, re tries each alternative at every position (QQ_GROUP's begins with words, which re skips to)
_LOOKED_AHEAD = ("QQ", "WECHAT", "HANDLE", "PHONE", "CUE")


@lru_cache(maxsize=1)
def _mobile_prefixes() -> frozenset[str]:
    return frozenset(tables.mobile_segments())


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def mask_phone(digits: str) -> str:
    return digits[:3] + "****" + digits[-4:]


def _domains(folded: str, dots: Sequence[int], values: bool = True) -> list[Found]:
    """(kind, value, span) of every URL, domain and e-mail address, found from its top-level label back; with
    `values` False a URL's and an address's value is `_LATER` (`_domain_value` reads it off the span): a
    hostile post may hold thousands of hosts, and only the answer's few need their value."""
    found: list[Found] = []
    plain_found: list[Found] = []
    if len(dots) >= _MANY_DOTS:  # a plain host (one label, a dot, its top-level label) read for all at once
        plain, begins, ends = _plain_hosts(folded, dots)
        plain_found = [("URL", _host(folded[begin:end]) if values else _LATER, (begin, end))
                       for begin, end in zip(begins, ends, strict=True)]
        dots = [at for at, one in zip(dots, plain, strict=True) if not one]
    size = len(folded)
    floor = size + 1  # from the last top-level label back: one inside a host already read is skipped
    backwards = folded[::-1]  # read back from a position by matching forward here, without a slice per host
    tld_at, host_back, user_back = _TLD_AT.match, _HOST_BACK.match, _USER_BACK.match
    # Tried at the dots only, from the last: a match begins at one (or at the separator before it), and
    # matches never overlap (each ends in letters, none begins in letters but "dot", which is no label's
    # end), so this finds what `_TLD_AT.finditer` finds; a dot inside a host already read is not tried.
    for at in reversed(dots):
        if at >= floor:
            continue
        tld = tld_at(folded, at - 1 if at and folded[at - 1] == "~" else at)
        if tld is None:
            continue
        dot, end = tld.span()
        if end > floor:
            continue
        back = host_back(backwards, size - dot, size - max(0, dot - _HOST_REACH))
        if back is None:
            continue
        start = size - back.end()
        floor = start
        if start > 0 and folded[start - 1] in _LABEL_CHARS:
            continue  # a label longer than 63 characters, or past the reach: not a host name
        # an address's user part ends in @ right before the host, a scheme in / (or a separator after it)
        user = user_back(backwards, size - start, size - max(0, start - 70)) \
            if "@" in folded[max(0, start - 2):start] else None
        if user:
            begin = size - user.end()
            if not (begin > 0 and folded[begin - 1] in _USER_BEFORE):
                name = user.group(1)[::-1]
                if name.isdigit() and _host(folded[start:end]) == "qq.com":
                    found.append(("QQ", name, (begin, end)))
                else:
                    found.append(("EMAIL", f"{name}@{_host(folded[start:end])}" if values else _LATER, (begin, end)))
                continue
        slash = folded[start - 1:start] == "/" or folded[max(0, start - 2):start] == "/~"
        scheme = _SCHEME.search(folded, max(0, start - 12), start) if slash else None
        found.append(("URL", _host(folded[start:end]) if values else _LATER,
                      (scheme.start() if scheme else start, end)))
    found.reverse()
    return sorted(plain_found + found, key=lambda contact: contact[2]) if plain_found else found


_MANY_DOTS = 16  # dots past which plain hosts are read with numpy (a test sets it to 0 to compare both ways)
_ONE_DOTS = [ord(char) for char in ".点點"]
_BEFORE_PLAIN = [ord(char) for char in "-.点點)]@/"]  # before a plain host's label: none of these (nor ~ and one)
_AFTER_TILDE = [ord(char) for char in ".点點t)]@/"]  # a dot, "dot", "(dot)" or "[dot]" would join another label
_AFTER_PLAIN = [ord(char) for char in "-.点點(["]  # after its top-level label: no further label joins it
_JOINS_AFTER = [ord(char) for char in ".点點d(["]  # … nor past one separator


@lru_cache(maxsize=1)
def _tld_codes() -> Any:
    import numpy as np

    return np.array(sorted(_letters_code([ord(c) - 96 for c in tld]) for tld in _TLD.split("|")), dtype=np.int64)


def _letters_code(letters: list[int]) -> int:
    code = 0
    for letter in letters:
        code = code * 27 + letter
    return code


def _plain_hosts(folded: str, dots: Sequence[int]) -> tuple[list[bool], list[int], list[int]]:
    """Which of `dots` (from `_starts`) begin a plain host, and each one's span: a label of letters and digits
    right before a one-character dot, a top-level label of letters right after it, and nothing either side
    that `_domains` would read on with (another label, a scheme, an address's @, a run past a label's 63
    characters). Such a host is what `_domains` finds there, and no other host read from further on reaches
    it, so all of them are read at once; the rest are left to `_domains`."""
    import numpy as np

    size = len(folded)
    points = np.zeros(size + 4, dtype=np.int64)  # two either side: 0, which is none of the characters asked for
    points[2:size + 2] = points_of(folded)
    at = np.asarray(dots, dtype=np.int64) + 2
    letter = (points >= ord("a")) & (points <= ord("z"))
    alnum = letter | ((points >= ord("0")) & (points <= ord("9")))
    places = np.arange(len(points))
    letters_to = np.minimum.accumulate(np.where(letter, len(points) - 1, places)[::-1])[::-1]  # first non-letter
    alnum_from = np.maximum.accumulate(np.where(alnum, 0, places))  # last non-alphanumeric at or before
    end = letters_to[at + 1]
    length = end - at - 1
    begin = alnum_from[at - 1] + 1
    plain = np.isin(points[at], _ONE_DOTS) & alnum[at - 1] & (length >= 2) & (length <= 6) & ~alnum[end]
    plain &= (at - begin <= 63) & ~np.isin(points[begin - 1], _BEFORE_PLAIN)
    plain &= (points[begin - 1] != ord("~")) | ~np.isin(points[begin - 2], _AFTER_TILDE)
    plain &= ~np.isin(points[end], _AFTER_PLAIN) & ((points[end] != ord("~")) | ~np.isin(points[end + 1], _JOINS_AFTER))
    code: Any = np.zeros(len(at), dtype=np.int64)
    for offset in range(6):  # the top-level label's letters as a number, to look up among the labels known
        inside = offset < length
        code = np.where(inside, code * 27 + points[np.minimum(at + 1 + offset, len(points) - 1)] - 96, code)
    plain &= np.isin(code, _tld_codes())
    return plain.tolist(), (begin[plain] - 2).tolist(), (end[plain] - 2).tolist()


_LATER = "\x00"  # a value read off its span when listed (folding makes every control character ~, never this)
_USER_BEFORE = _LABEL_CHARS | {".", "_"}  # an address's user part begins after none of these
_SCHEME_AHEAD = re.compile("https?~?:~?/~?/~?")


def _host(written: str) -> str:
    return _DOT_AT.sub(".", written).removeprefix("www.")


def _domain_value(folded: str, kind: str, span: tuple[int, int]) -> str:
    """The value `_domains` gives a URL or an address, read off its span: the host after any scheme, or the
    user part and the host either side of the @ (neither part holds an @, nor a host a scheme's colon)."""
    written = folded[span[0]:span[1]]
    if kind == "URL":
        scheme = _SCHEME_AHEAD.match(written)
        return _host(written[scheme.end():] if scheme else written)
    name, host = written.split("@", 1)
    return f"{name.rstrip('~')}@{_host(host.lstrip('~'))}"


def _value(kind: str, match: re.Match[str]) -> tuple[str, str | None] | None:
    """(kind, normalized value) of a match, or None when it is not one after all (a number outside every
    mobile segment); a cue without a value is its channel's kind and None."""
    if kind == "CUE":
        return next(_CUE_KINDS[name] for name, found in match.groupdict().items() if found is not None), None
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
    return [Contact(kind, value, span, ground(folded, span)) for kind, value, span in _found(folded)]


def found(text: str) -> tuple[str, list[Found]]:
    """`find` without the ground: the folded text and (kind, value, span) of every contact, by position. A
    post may hold thousands; the ground is read only for those its answer lists (`ground`)."""
    folded = fold(text)
    return folded, _found(folded)


def ground(folded: str, span: tuple[int, int]) -> str:
    """PA2020-18(7) where money is asked for or offered near the contact, else the platform's rules."""
    window = folded[max(0, span[0] - _PAID_REACH):span[1] + _PAID_REACH]
    return PAID_DIVERSION if _PAID.search(window) else PLATFORM_RULES


def _found(folded: str, values: bool = True) -> list[Found]:
    """Every contact of a folded text, by position; with `values` False a URL's and an address's value is
    `_LATER` (`_domains`)."""
    starts = _starts(folded) if len(folded) > _SHORT else _starts_short(folded)
    candidates: list[Found] = _domains(folded, starts["DOMAIN"], values) if "DOMAIN" in starts else []
    sources = int(bool(candidates))
    cues: list[Found] = []
    for kind, pattern in _compiled():
        if kind not in starts:
            continue
        if kind == "CUE":  # last in precedence, and never overlapping one another: set aside (see below)
            cues = [(_CUE_KINDS[str(match.lastgroup)], None, match.span())
                    for match in _matches(pattern, folded, starts[kind], _DENSE_CUES)]
            continue
        before = len(candidates)
        for match in _matches(pattern, folded, starts[kind]):
            read = _value(kind, match)
            if read is not None:
                candidates.append((*read, match.span()))
        sources += len(candidates) > before
    if sources > 1:
        taken = bytearray(len(folded))
        kept = []
        for kind, value, (start, end) in candidates:  # in order of precedence: domains, then KINDS' patterns
            if taken.find(1, start, end) < 0:
                taken[start:end] = b"\x01" * (end - start)
                kept.append((kind, value, (start, end)))
        candidates = sorted(kept, key=lambda contact: contact[2])
    # else the domains, or one pattern's matches: in order, none overlapping another
    if not cues or not candidates:
        return candidates or cues
    # a cue stays where it shares no character with a contact kept before it (one with its value)
    clear = _clear_of(candidates, cues, len(folded))
    return sorted(candidates + clear, key=lambda contact: contact[2]) if clear else candidates


def _clear_of(kept: list[Found], cues: list[Found], size: int) -> list[Found]:
    """The cues that share no character with any of `kept`: per cue by binary search where they are few, for
    all at once with numpy where they are many (a hostile post of cues beside their ids)."""
    if len(cues) <= _FEW_CUES:
        reach = Reach([span for _, _, span in kept])
        return [cue for cue in cues if not reach.overlaps(cue[2])]
    import numpy as np

    marks = np.zeros(size + 1, dtype=np.int64)
    spans = np.array([span for _, _, span in kept], dtype=np.int64).reshape(-1, 2)
    np.add.at(marks, spans[:, 0], 1)
    np.add.at(marks, spans[:, 1], -1)
    covered = np.concatenate([[0], np.cumsum(np.cumsum(marks)[:-1] > 0)])
    asked = np.array([span for _, _, span in cues], dtype=np.int64)
    clear = (covered[asked[:, 1]] - covered[asked[:, 0]] == 0).tolist()
    return [cue for cue, alone in zip(cues, clear, strict=True) if alone]


_FEW_CUES = 32


def _matches(pattern: re.Pattern[str], folded: str, starts: Sequence[int],
             dense: int = _DENSE) -> Iterator[re.Match[str]]:
    """`pattern.finditer(folded)`: every match begins at one of `starts`, so where they are few only those
    are tried; where they are many (a hostile post of cues), the scan in C costs less than a call per start
    (`dense`: starts per character past which it does; the cue pattern's alternatives, tried at every
    position, cost more than a call per start until about every other character is one)."""
    if isinstance(starts, range) or len(starts) * dense > len(folded):  # a range: every position from its first
        yield from pattern.finditer(folded, starts[0])
        return
    done = 0
    for at in starts:
        match = pattern.match(folded, at) if at >= done else None
        if match is not None:
            done = match.end()
            yield match


def _starts_short(folded: str) -> dict[str, Sequence[int]]:
    """`_starts` for a name or a short description, in plain string searches (numpy's per-call cost is more
    than such a text's scan): for a kind whose start it holds, every position from the first such start (its
    pattern is then one scan in C from there, which looks at the first character itself: cheaper than
    counting digits or finding each start), for DOMAIN every dot a top-level label follows
    (`_DOT_BEFORE_TLD`); whether and where a kind's start is first held, one search of all its starts at once
    (CUE's: of their first characters)."""
    size = len(folded)
    found: dict[str, Sequence[int]] = {}
    for kind, held in _held_starts():
        first = held.search(folded)
        if first is not None:
            found[kind] = range(first.start(), size)
    dots = [match.start() for match in _DOT_BEFORE_TLD.finditer(folded)]
    if dots:
        found["DOMAIN"] = dots
    return found


@lru_cache(maxsize=1)
def _held_starts() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """For each kind but DOMAIN, in `_STARTS`' order, a pattern that finds whether and where some start of it
    is first in a text: one search in C instead of one per start (CUE's of its starts' first characters, which
    its pattern looks at: a start such as "v" or "q" never begins inside one of its longer ones)."""
    cue_firsts = re.escape("".join(sorted({cue[0] for cue in _STARTS["CUE"]})))
    return tuple((kind, re.compile(f"[{cue_firsts}]" if kind == "CUE" else "|".join(map(re.escape, starts))))
                 for kind, starts in _STARTS.items() if kind != "DOMAIN")


def _starts(folded: str) -> dict[str, list[int]]:
    """For each kind (and DOMAIN, a domain's dot), where one of its `_STARTS` begins, in order, found for
    every start at once with numpy: the text's characters that begin some start (one gather), then each
    start's further characters compared at those places. Where no match could follow, a start is left
    out: a phone's needs eleven digits in the reach of its number, a dot a top-level label after it, a
    cue the first character of an id after what may stand between."""
    import numpy as np

    firsts, cues = _cues()
    points = points_of(folded)
    at = np.flatnonzero(firsts.gather_points(points))
    padded = np.append(points, np.zeros(_PHONE_REACH + 2, dtype=np.uint32))
    placed = []  # (kind, start, where it begins), where it begins at all
    for first, starting in cues.items():
        begin = at[points[at] == ord(first)] if first in folded else at[:0]
        for cue, kinds in starting if len(begin) else ():
            here = begin
            for offset, char in enumerate(cue[1:], start=1):
                here = here[padded[here + offset] == ord(char)]
            placed += [(kind, cue, here) for kind in kinds] if len(here) else []
    around = _Around(padded) if placed else None
    found: dict[str, list[Any]] = {}
    for kind, cue, here in placed:
        assert around is not None
        if kind == "PHONE":  # eleven digits before anything but a gap breaks the number; from a 1, a mobile segment
            keep = around.digits_from(here) >= 11
            if cue == "1":
                keep &= around.segment_at(here)
        elif kind == "CUE":  # a channel within reach after 加 or +, an invitation (or 群) after a channel word
            if cue in _ADDS:
                keep = np.isin(padded[here + 1], _CHANNEL_FIRSTS)
                for offset in range(2, 5):  # past 我的, 1个… and a separator
                    keep |= np.isin(padded[here + offset], _CHANNEL_FIRSTS)
            else:
                after = here + len(cue)
                after += padded[after] == ord("~")
                keep = np.isin(padded[after], _INVITE_FIRSTS)
                if cue in _LATIN_CUES:  # a Latin cue is a word of its own (every such pattern looks behind for it)
                    keep &= ~np.isin(padded[here - 1], _WORD_POINTS) | (here == 0)
        elif kind == "DOMAIN":  # a run of as many letters as some top-level label has, then no digit
            after = here + len(cue)
            after += padded[after] == ord("~")
            stop = around.stops[after]
            keep = np.isin(stop - after, _TLD_LENGTHS) & ~np.isin(padded[stop], _DIGIT_POINTS)
        else:  # the id's first character past the separators and 号 after the cue, and its digits
            begins = around.skipped[here + len(cue)]
            keep = _id_firsts()[kind][np.minimum(padded[begins], 127)]
            enough = around.digits_from(begins)
            keep &= (enough >= 5) if kind in ("QQ", "QQ_GROUP") else (
                (padded[begins] != ord("1")) | (enough >= 11)) if kind == "WECHAT" else True
        found.setdefault(kind, []).append(here[keep])
    return {kind: positions for kind, parts in found.items()
            if (positions := np.unique(np.concatenate(parts)).tolist())}


class _Around:
    """What follows each position of a text, made on first use: the first position at or after it that is
    not a letter (`stops`), that no separator, colon, 号, 码 or 同 (what stands between a cue and its id in
    every pattern: `skipped`), and how many digits stand from it before anything but a number's gap."""

    def __init__(self, padded: Any) -> None:
        self.padded = padded

    def _first_not(self, inside: Any) -> Any:
        import numpy as np

        positions = np.arange(len(self.padded))
        return np.minimum.accumulate(np.where(inside, len(self.padded) - 1, positions)[::-1])[::-1]

    @cached_property
    def stops(self) -> Any:
        return self._first_not((self.padded >= ord("a")) & (self.padded <= ord("z")))

    @cached_property
    def skipped(self) -> Any:
        import numpy as np

        return self._first_not(np.isin(self.padded, _BETWEEN))

    @cached_property
    def _digits(self) -> tuple[Any, Any]:
        import numpy as np

        digit = (self.padded >= ord("0")) & (self.padded <= ord("9"))
        return np.concatenate([[0], np.cumsum(digit)]), self._first_not(digit | np.isin(self.padded, _NUMBER_GAPS))

    def segment_at(self, here: Any) -> Any:
        """Whether the four digits from each of `here` (a digit) make a mobile segment (`_value` asks it)."""
        import numpy as np

        digit = (self.padded >= ord("0")) & (self.padded <= ord("9"))
        places = np.flatnonzero(digit)
        values = np.append(self.padded[places].astype(np.int64) - ord("0"), [0, 0, 0])
        at = np.searchsorted(places, here)
        code = values[at] * 1000 + values[at + 1] * 100 + values[at + 2] * 10 + values[at + 3]
        return np.isin(code, _segment_codes())

    def digits_from(self, here: Any) -> Any:
        import numpy as np

        counted, numbers = self._digits
        return counted[np.minimum(numbers[here], here + _PHONE_REACH)] - counted[here]


@lru_cache(maxsize=1)
def _segment_codes() -> list[int]:
    return sorted(int(prefix) for prefix in _mobile_prefixes() if prefix.isdigit())


@lru_cache(maxsize=1)
def _id_firsts() -> dict[str, Any]:
    import numpy as np

    return {kind: np.array(table, dtype=bool) for kind, table in _ID_FIRSTS.items()}


@lru_cache(maxsize=1)
def _cues() -> tuple[CodeTable, dict[str, list[tuple[str, tuple[str, ...]]]]]:
    """Which characters begin some start; and by first character, each start and the kinds it begins."""
    kinds: dict[str, list[str]] = {}
    for kind, starts in _STARTS.items():
        for cue in starts:
            kinds.setdefault(cue, []).append(kind)
    by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for cue, of in kinds.items():
        by_first.setdefault(cue[0], []).append((cue, tuple(of)))
    return CodeTable(lambda char: int(char in by_first), "uint8"), by_first


def hits(text: str, action: str) -> list[Hit]:
    """The contacts in `text` as evidence: code CONTACT_DIVERSION on the contact channel, the ground as
    article, the action the tenant's policy gives (REVIEW by default, REJECT where it chose so)."""
    return [_hit(found, action) for found in find(text)]


def listed(text: str, action: str, per_term: int | None, total: int | None) -> tuple[list[Hit], list[tuple[Hit, int]],
                                                                                     int, int]:
    """`evidence.listed(hits(text, action), per_term, total)`, and how many contacts and kinds there are, with
    a Hit made (and its ground read) only for what is listed: a hostile post may hold thousands of contacts,
    all of one action, found by position and never overlapping, so the listing is by position alone."""
    folded = fold(text)
    every = _found(folded, values=False)
    if not every:
        return [], [], 0, 0
    kinds = [kind for kind, _, _ in every]
    counts = Counter(kinds)
    if per_term is None:
        shown = list(range(len(every)))
    else:  # the first `per_term` of each kind: read until every kind has them, not through every contact
        shown, taken, wanted = [], dict.fromkeys(counts, 0), per_term * len(counts)
        for at, kind in enumerate(kinds):
            if len(shown) == wanted:
                break
            if taken[kind] < per_term:
                taken[kind] += 1
                shown.append(at)

    def hit(at: int) -> Hit:
        kind, value, span = every[at]
        value = _domain_value(folded, kind, span) if value is _LATER else value
        return _hit(Contact(kind, value, span, ground(folded, span)), action)

    heads = sorted((kinds.index(kind), count) for kind, count in counts.items())[:total]
    return [hit(at) for at in shown[:total]], [(hit(at), count) for at, count in heads], len(every), len(counts)


def _hit(found: Contact, action: str) -> Hit:
    return Hit("CONTACT_DIVERSION", "CONTACT_DIVERSION", found.ground, found.span, found.kind, "contact",
               f"contact:{found.kind.lower()}", action, contact=(found.kind, found.value))
