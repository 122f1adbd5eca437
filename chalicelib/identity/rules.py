"""Rules of real-name identity: who may verify with which document, and when a subject may publish.

MB2018-7: no information publishing service before real identity is verified, and identity is
re-confirmed periodically. PA2020-9: accounts producing economics, education, medical/health
or judicial content hold a matching professional qualification. MB2018-8/10: upfront ("V")
verification needs materials conforming to the verified identity; a discrepancy refuses it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from chalicelib.identity.documents import DocumentType as D


class SubjectType(str, Enum):
    PERSON = "PERSON"
    ENTERPRISE = "ENTERPRISE"
    INDIVIDUAL_BUSINESS = "INDIVIDUAL_BUSINESS"
    STATE_ORGAN = "STATE_ORGAN"
    PARTY_ORGAN = "PARTY_ORGAN"
    PUBLIC_INSTITUTION = "PUBLIC_INSTITUTION"
    SOCIAL_ORG = "SOCIAL_ORG"
    MEDIA = "MEDIA"
    FOREIGN_ORG = "FOREIGN_ORG"


class SubjectStatus(str, Enum):
    VERIFIED = "VERIFIED"
    UNVERIFIED = "UNVERIFIED"
    EXPIRED = "EXPIRED"


class QualificationDomain(str, Enum):
    ECONOMICS = "ECONOMICS"
    EDUCATION = "EDUCATION"
    MEDICAL_HEALTH = "MEDICAL_HEALTH"
    JUDICIAL = "JUDICIAL"


PERSONAL_DOCUMENTS = frozenset({D.RESIDENT_ID, D.HK_MACAU_PERMIT, D.TAIWAN_PERMIT, D.PR_CARD, D.PASSPORT})
ORGANISATION_DOCUMENTS = frozenset({D.USCC, D.ORG_CODE})

# MB2018-8: organisations verify with their organisation code / business licence; foreign
# organisations with the materials of their China-based institution (its USCC).
ACCEPTED_DOCUMENTS: dict[SubjectType, frozenset[D]] = {
    SubjectType.PERSON: PERSONAL_DOCUMENTS,
    SubjectType.ENTERPRISE: frozenset({D.USCC}),
    SubjectType.INDIVIDUAL_BUSINESS: frozenset({D.USCC}),
    SubjectType.FOREIGN_ORG: frozenset({D.USCC}),
    **{t: ORGANISATION_DOCUMENTS for t in (SubjectType.STATE_ORGAN, SubjectType.PARTY_ORGAN,
                                           SubjectType.PUBLIC_INSTITUTION, SubjectType.SOCIAL_ORG, SubjectType.MEDIA)},
}


def accepts(subject_type: SubjectType, document_type: D) -> bool:
    return document_type in ACCEPTED_DOCUMENTS[subject_type]


def reconfirm_by(verified_at: datetime, days: int) -> datetime:
    """MB2018-7 periodic confirmation: the date by which identity must be confirmed again."""
    return verified_at + timedelta(days=days)


def comparable_name(name: str) -> str:
    """A name as compared with the registered one: NFKC (full-width, compatibility forms),
    no spaces or middle dots, one kind of bracket, case folded."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    folded = folded.replace("（", "(").replace("）", ")")
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "·・•")


@dataclass(frozen=True)
class Refusal:
    code: str
    article: str
    message: str
    message_zh: str


def publishing_refusals(status: str | None, reconfirm_by: str | None, now_iso: str, domain: str | None,
                        qualified_until: list[str], today_iso: str) -> list[Refusal]:
    """Why a subject may not publish now (empty: it may). Expiry is judged by time, not by a sweep."""
    refusals = []
    if status != SubjectStatus.VERIFIED.value and status != SubjectStatus.EXPIRED.value:
        refusals.append(Refusal("NOT_VERIFIED", "MB2018-7", "Real identity has not been verified.",
                                "尚未完成真实身份信息认证。"))
    elif status == SubjectStatus.EXPIRED.value or (reconfirm_by is not None and reconfirm_by <= now_iso):
        refusals.append(Refusal("VERIFICATION_EXPIRED", "MB2018-7",
                                "Real identity must be confirmed again (periodic confirmation).",
                                "真实身份信息需定期重新确认。"))
    if domain is not None and not any(until >= today_iso for until in qualified_until):
        refusals.append(Refusal("QUALIFICATION_REQUIRED", "PA2020-9",
                                f"Publishing {domain} content needs a valid professional qualification.",
                                "发布该领域内容需具备有效的相关专业资质。"))
    return refusals


def effective_status(status: str | None, reconfirm_by: str | None, now_iso: str) -> str:
    if status == SubjectStatus.VERIFIED.value and reconfirm_by is not None and reconfirm_by <= now_iso:
        return SubjectStatus.EXPIRED.value
    return status or SubjectStatus.UNVERIFIED.value
