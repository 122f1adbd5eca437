"""Real-name identity use cases (MB2018-7, GR2017-6, PA2017-6, PA2020-8/9, BJ2011-9)."""

from __future__ import annotations

from chalicelib.core import clock
from chalicelib.identity import documents
from chalicelib.identity.documents import DocumentCheck, DocumentType


def validate_document(kind: str, number: str) -> DocumentCheck:
    """Offline verdict; a number that fails is an answer (valid false), not an error."""
    return documents.validate(DocumentType(kind), number, clock.now().date())


def check_view(result: DocumentCheck) -> dict:
    return {
        "type": result.type.value,
        "valid": result.valid,
        "normalized": result.normalized,
        "reasons": [r.value for r in result.reasons],
        "warnings": [w.value for w in result.warnings],
        "details": result.details,
    }
