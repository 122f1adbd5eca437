"""Result codes of the large Chinese verification providers, mapped to one outcome set.

A tenant's verification gateway may answer with our outcome directly or pass its provider's
own result through as ``{"provider": "...", "code": "..."}``. Sources: the providers' public
API references (Tencent Cloud FaceID IdCardVerification and PhoneVerification, Alibaba Cloud
Id2MetaVerify / Mobile3MetaVerify BizCode, Alibaba Cloud number service CertNoTwoElement-
Verification IsConsistent). Unknown codes are PROVIDER_ERROR: never a silent MATCH.
"""

from __future__ import annotations

from enum import Enum


class Outcome(str, Enum):
    MATCH = "MATCH"
    MISMATCH = "MISMATCH"
    NO_RECORD = "NO_RECORD"
    INVALID_INPUT = "INVALID_INPUT"
    UNSUPPORTED = "UNSUPPORTED"
    RATE_LIMITED = "RATE_LIMITED"
    PROVIDER_ERROR = "PROVIDER_ERROR"


M, X, N, I, U, R, E = (  # noqa: E741 (one letter per outcome keeps the code table readable)
    Outcome.MATCH, Outcome.MISMATCH, Outcome.NO_RECORD, Outcome.INVALID_INPUT,
    Outcome.UNSUPPORTED, Outcome.RATE_LIMITED, Outcome.PROVIDER_ERROR)

PROVIDER_CODES: dict[str, dict[str, Outcome]] = {
    # 身份证二要素 (name + resident ID)
    "tencent.idcard": {"0": M, "-1": X, "-2": I, "-3": I, "-4": E, "-5": N, "-6": E, "-7": R},
    # 手机号三要素 (name + resident ID + mobile)
    "tencent.phone3": {"0": M, "-4": X, "-6": I, "-7": I, "-8": I, "-9": N, "-11": E, "-12": R, "-13": U},
    # BizCode of Id2MetaVerify / Id2MetaStandardVerify / Mobile3MetaVerify; Code 401-403/500 are request errors
    "aliyun.cloudauth": {"1": M, "2": X, "3": N, "401": I, "402": E, "403": R, "500": E},
    # IsConsistent of CertNoTwoElementVerification / ThreeElementsVerification
    "aliyun.dytns": {"1": M, "0": X, "2": N},
}


def outcome_of(provider: str | None, code: str | None) -> Outcome:
    return PROVIDER_CODES.get(provider or "", {}).get(str(code), Outcome.PROVIDER_ERROR)
