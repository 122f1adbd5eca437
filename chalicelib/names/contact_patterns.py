"""Contact diversion's vocabulary (names/contact.py): the patterns of each kind over the folded text, where a
match of each can begin (`_STARTS`), the cue words, invitations, apps and top-level labels, and what stands
between a cue and its value. Ground: the platform's rules; paid diversion PA2020-18(7)."""

from __future__ import annotations

import re
from functools import lru_cache

from chalicelib.names import tables

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

