"""Upfront ("V") verification materials (MB2018-8, MB2018-10).

MB2018-8: organisations give their organisation code certificate and business licence;
foreign organisations give the materials of their China-based institution. MB2018-10: where
the materials and the authentication information differ, no upfront verification is given.
`discrepancies` lists every difference, by item, so the platform can say exactly what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from chalicelib.identity.rules import SubjectType, comparable_name


class Material(str, Enum):
    BUSINESS_LICENCE = "BUSINESS_LICENCE"
    ORG_CERTIFICATE = "ORG_CERTIFICATE"
    CHINA_INSTITUTION_CERTIFICATE = "CHINA_INSTITUTION_CERTIFICATE"
    AUTHORIZATION_LETTER = "AUTHORIZATION_LETTER"
    IDENTITY_DOCUMENT = "IDENTITY_DOCUMENT"
    EMPLOYMENT_PROOF = "EMPLOYMENT_PROOF"
    PROFESSIONAL_CERTIFICATE = "PROFESSIONAL_CERTIFICATE"


class Category(str, Enum):
    """Filing categories of upfront-verified accounts (MB2018-10)."""

    PARTY_GOVERNMENT = "PARTY_GOVERNMENT"
    PUBLIC_INSTITUTION = "PUBLIC_INSTITUTION"
    ENTERPRISE = "ENTERPRISE"
    SOCIAL_ORG = "SOCIAL_ORG"
    MEDIA = "MEDIA"
    FOREIGN_ORG = "FOREIGN_ORG"
    PERSONAL = "PERSONAL"


# Each entry is a set of alternatives; one material of each entry is required.
_ORGAN = ({Material.ORG_CERTIFICATE, Material.BUSINESS_LICENCE}, {Material.AUTHORIZATION_LETTER})
CHECKLIST: dict[SubjectType, tuple[set[Material], ...]] = {
    SubjectType.ENTERPRISE: ({Material.BUSINESS_LICENCE},),
    SubjectType.INDIVIDUAL_BUSINESS: ({Material.BUSINESS_LICENCE},),
    SubjectType.STATE_ORGAN: _ORGAN,
    SubjectType.PARTY_ORGAN: _ORGAN,
    SubjectType.PUBLIC_INSTITUTION: _ORGAN,
    SubjectType.SOCIAL_ORG: _ORGAN,
    SubjectType.MEDIA: _ORGAN,
    SubjectType.FOREIGN_ORG: ({Material.CHINA_INSTITUTION_CERTIFICATE}, {Material.AUTHORIZATION_LETTER}),
    SubjectType.PERSON: ({Material.IDENTITY_DOCUMENT},
                         {Material.EMPLOYMENT_PROOF, Material.PROFESSIONAL_CERTIFICATE}),
}
# Materials that carry the subject's own registered number and name.
IDENTIFYING = {Material.BUSINESS_LICENCE, Material.ORG_CERTIFICATE, Material.CHINA_INSTITUTION_CERTIFICATE,
               Material.IDENTITY_DOCUMENT}


@dataclass(frozen=True)
class Discrepancy:
    item: str
    problem: str

    def as_dict(self) -> dict[str, str]:
        return {"item": self.item, "problem": self.problem}


def discrepancies(subject_type: SubjectType, registered_name: str, registered_number: str,
                  claimed_name: str, materials: list[dict[str, Any]],
                  normalize_number: Any) -> list[Discrepancy]:
    """Every way the claim and its materials differ from the verified identity."""
    found = []
    if comparable_name(claimed_name) != comparable_name(registered_name):
        found.append(Discrepancy("claimed_name", "NAME_MISMATCH"))
    kinds = {Material(m["type"]) for m in materials}
    for alternatives in CHECKLIST[subject_type]:
        if not kinds & alternatives:
            found.append(Discrepancy("/".join(sorted(a.value for a in alternatives)), "MISSING"))
    for index, material in enumerate(materials):
        kind = Material(material["type"])
        name = material.get("name")
        if name is not None and comparable_name(name) != comparable_name(registered_name):
            found.append(Discrepancy(f"materials[{index}].name", "NAME_MISMATCH"))
        if kind in IDENTIFYING:
            number = material.get("number")
            if number is None:
                found.append(Discrepancy(f"materials[{index}].number", "MISSING"))
            elif normalize_number(number) != registered_number:
                found.append(Discrepancy(f"materials[{index}].number", "NUMBER_MISMATCH"))
    return found
