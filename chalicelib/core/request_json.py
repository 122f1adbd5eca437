"""A request's JSON body, read strictly: within the tenant's policy limit (413), UTF-8, no NaN or Infinity,
no lone surrogate, numbers integral where they are (3.0 is 3), then validated against the operation's
request schema (400) and its timestamps rewritten to UTC ``Z`` (`validation.canonical`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from chalicelib.core import policy, validation
from chalicelib.core.auth import Principal
from chalicelib.core.errors import InvalidRequest, PayloadTooLarge

# RFC 8259 section 8.2: "\ud800" alone is valid JSON but no Unicode text; every later encode of the
# string (a digest, an encryption, the DynamoDB request) would fail on it. Raw UTF-8 cannot carry one.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def body(schema: str | None, raw: bytes, principal: Principal | None) -> Any:
    """The body as the handler receives it: None when the operation takes none."""
    if schema is None:
        return None
    if principal is not None:
        limit = policy.setting(principal.tenant_id, "requests", "max_body_bytes")
        if len(raw) > limit:
            raise too_large(len(raw), limit)
    parsed = parse_json(raw)
    validation.check(schema, parsed)
    return validation.canonical(schema, parsed)


def parse_json(raw: bytes) -> Any:
    if not raw.strip():
        raise InvalidRequest("A JSON request body is required.", message_zh="需要 JSON 请求体。", code="BODY_REQUIRED")
    try:
        document = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant, parse_float=_number)
    except UnicodeDecodeError as exc:
        raise InvalidRequest(
            "The request body is not UTF-8.", message_zh="请求体不是 UTF-8 编码。", code="MALFORMED_JSON",
            details={"position": exc.start},
        ) from exc
    except json.JSONDecodeError as exc:
        raise InvalidRequest(
            f"The request body is not valid JSON: {exc.msg}.", message_zh="请求体不是合法的 JSON。",
            code="MALFORMED_JSON", details={"line": exc.lineno, "column": exc.colno},
        ) from exc
    except RecursionError as exc:
        raise InvalidRequest("The JSON is nested too deeply.", message_zh="JSON 嵌套过深。",
                             code="MALFORMED_JSON") from exc
    if _SURROGATE_ESCAPE.search(raw) and not _is_text(document):
        raise InvalidRequest("The request body escapes a lone surrogate (\\ud800-\\udfff), which is not Unicode text.",
                             message_zh="请求体含有不成对的代理项转义，不是合法的 Unicode 文本。",
                             code="MALFORMED_JSON", details={"reason": "LONE_SURROGATE"})
    return document


def _is_text(document: Any) -> bool:
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _reject_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def _number(text: str) -> int | float:
    """JSON numbers written with a fraction or exponent: finite only, and integral ones as int
    (JSON Schema counts 3.0 as an integer, so the handlers must receive 3)."""
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise json.JSONDecodeError(f"{text} is out of range", text, 0)
    return int(value) if value.is_integer() else value


def too_large(size: int, limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(details={"size_bytes": size, "limit_bytes": limit})
