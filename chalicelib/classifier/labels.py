"""The labels and suggestions of the large Chinese moderation services, as data: what each means to us.

A tenant's classifier gateway passes its vendor's own verdict through (see classifier/gateway.py), the way
the identity gateway passes its provider's result codes (identity/provider_codes.py). Each vendor label maps
to one of our report categories (reports.rules.ReportCategory) and the article behind it; each suggestion
to an action. Sources, the vendors' public API references:

- Alibaba Cloud Content Moderation 2.0 (TextModeration / TextModerationPlus, ImageModeration): `riskLevel`
  high / medium / low / none ("block high-risk content automatically, route medium-risk content to human
  review, treat low-risk content as safe"); labels ad, political_content, profanity, contraband,
  sexual_content, violence, nonsense, negative_content, religion, cyberbullying, C_customized, and the
  finer families of the PLUS service (pornographic_adult, sexual_suggestive, political_figure, political_n,
  violent_extremist, violent_weapons, ...), read by their family prefix.
- Tencent Cloud TMS TextModeration / IMS ImageModeration (2020-12-29): `Suggestion` Block / Review / Pass;
  `Label` Normal, Porn, Sexy, Abuse, Ad, Polity, Illegal, Terror, Custom.
- NetEase Yidun text and image check (v3-v5): `suggestion` 0 pass, 1 suspicion, 2 reject; `label` 100 porn,
  200 ad, 260 advertising law, 300 violence and terror, 400 contraband, 500 politics, 600 abuse, 700 flood,
  900 other, 1100 values.
- Shumei text and image API: `riskLevel` PASS / REVIEW / REJECT; `riskLabel1` normal, politics, violence,
  ban, porn, minor, abuse, ad, spam, meaningless, privacy.

A label not listed here is still a finding when its suggestion flags it: OTHER_PROHIBITED, REVIEW at most,
never silently passed. A suggestion not listed here makes the whole answer unusable (rules.parse).
"""

from __future__ import annotations

from enum import Enum

from chalicelib.reports.rules import ReportCategory as C


class Vendor(str, Enum):
    ALIYUN = "aliyun"
    TENCENT = "tencent"
    YIDUN = "yidun"
    SHUMEI = "shumei"


class Action(str, Enum):
    PASS = "PASS"
    REVIEW = "REVIEW"
    REJECT = "REJECT"


P, V, X = Action.PASS, Action.REVIEW, Action.REJECT

# Every vendor's suggestion values, folded to lower case (Yidun's are numbers, read as their digits).
SUGGESTIONS: dict[Vendor, dict[str, Action]] = {
    Vendor.ALIYUN: {"high": X, "medium": V, "low": P, "none": P},
    Vendor.TENCENT: {"block": X, "review": V, "pass": P},
    Vendor.YIDUN: {"2": X, "1": V, "0": P},
    Vendor.SHUMEI: {"reject": X, "review": V, "pass": P},
}

# Labels that mean "nothing found" whatever the suggestion says.
NORMAL: dict[Vendor, frozenset[str]] = {
    Vendor.ALIYUN: frozenset({"nonlabel", "none", "normal"}), Vendor.TENCENT: frozenset({"normal"}),
    Vendor.YIDUN: frozenset({"0"}), Vendor.SHUMEI: frozenset({"normal"}),
}

# Vendor label (lower case) → our category. Alibaba's finer labels are also read by their family (prefix).
STATE, PORN, VIOLENCE = C.NATIONAL_SECURITY, C.PORNOGRAPHY, C.OBSCENITY_GAMBLING_VIOLENCE  # BJ2011-10 (2), (7)
INSULT, RELIGION, SPAM = C.INSULT_DEFAMATION, C.RELIGION_SUPERSTITION, C.SPAM  # BJ2011-10 (8), (5); platform rules
LABELS: dict[Vendor, dict[str, C]] = {
    Vendor.ALIYUN: {
        "political_content": STATE, "sexual_content": PORN, "violence": VIOLENCE, "contraband": VIOLENCE,
        "terrorism": VIOLENCE, "ad": SPAM, "nonsense": SPAM, "profanity": INSULT, "cyberbullying": INSULT,
        "religion": RELIGION, "negative_content": C.OTHER_PROHIBITED, "c_customized": C.OTHER, "minor": C.MINORS,
    },
    Vendor.TENCENT: {
        "porn": PORN, "sexy": PORN, "abuse": INSULT, "ad": SPAM, "polity": STATE, "illegal": VIOLENCE,
        "terror": VIOLENCE, "custom": C.OTHER,
    },
    Vendor.YIDUN: {
        "100": PORN, "200": SPAM, "260": SPAM, "300": VIOLENCE, "400": VIOLENCE, "500": STATE, "600": INSULT,
        "700": SPAM, "900": C.OTHER_PROHIBITED, "1100": C.OTHER_PROHIBITED,
    },
    Vendor.SHUMEI: {
        "politics": STATE, "violence": VIOLENCE, "ban": VIOLENCE, "porn": PORN, "minor": C.MINORS, "abuse": INSULT,
        "ad": SPAM, "spam": SPAM, "meaningless": SPAM, "privacy": C.OTHER,
    },
}
FAMILIES: dict[Vendor, dict[str, C]] = {
    Vendor.ALIYUN: {"political": STATE, "sexual": PORN, "pornographic": PORN, "violent": VIOLENCE,
                    "contraband": VIOLENCE, "religion": RELIGION, "profanity": INSULT, "ad": SPAM},
}
UNKNOWN = C.OTHER_PROHIBITED

# The article each category stands on, as the lexicon's terms cite it (names/check.py TERM_ARTICLES); ads,
# floods, the vendor's custom lists and privacy are the platform's own rules, as contact diversion is.
ARTICLES: dict[C, str] = {
    C.NATIONAL_SECURITY: "BJ2011-10(2)", C.RELIGION_SUPERSTITION: "BJ2011-10(5)",
    C.OBSCENITY_GAMBLING_VIOLENCE: "BJ2011-10(7)", C.PORNOGRAPHY: "BJ2011-10(7)", C.INSULT_DEFAMATION: "BJ2011-10(8)",
    C.OTHER_PROHIBITED: "BJ2011-10(11)", C.MINORS: "BJ2011-10(11)", C.SPAM: "PLATFORM_RULES", C.OTHER: "PLATFORM_RULES",
}
