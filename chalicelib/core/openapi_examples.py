"""Request and response examples for the OpenAPI document, recorded from real calls (openapi_examples.json).

tests/api/test_openapi_examples.py runs the platform's three flows (examples/) and calls of the other
operations through the Python client against the app, and holds this file to what the API really answers:
the same operations, the same fields and values up to ids, times and tokens, which differ on every run. So
an example in /docs is an answer the API gave, never one written by hand (``RECORD_EXAMPLES=1`` rewrites it).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

EXAMPLES_FILE = Path(__file__).with_name("openapi_examples.json")


@lru_cache(maxsize=1)
def recorded() -> dict[str, dict[str, Any]]:
    """operationId -> {"request": body (if any), "status": int, "response": body}."""
    if not EXAMPLES_FILE.exists():
        return {}
    found: dict[str, dict[str, Any]] = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    return found


def attach(operation_id: str, doc: dict[str, Any]) -> None:
    """Put the recorded pair into an operation of the document, where its request body and answer are."""
    example = recorded().get(operation_id)
    if example is None:
        return
    summary = "Recorded from a real call (Chinese sample data; made-up people)"
    body = doc.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not None and "request" in example:
        doc["requestBody"]["content"]["application/json"] = {
            **body, "examples": {"recorded": {"summary": summary, "value": example["request"]}}}
    answer = doc["responses"].get(str(example["status"]), {}).get("content", {}).get("application/json")
    if answer is not None:
        doc["responses"][str(example["status"])]["content"]["application/json"] = {
            **answer, "examples": {"recorded": {"summary": summary, "value": example["response"]}}}
