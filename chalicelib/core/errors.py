"""One exception tree for the whole product; each error maps to one HTTP answer.

```
ComplianceError (500 INTERNAL)
 ├── InvalidRequest (400)          ├── NotFound (404)
 │    └── SchemaViolation (400)    ├── MethodNotAllowed (405)
 ├── Unauthorized (401)            ├── Conflict (409) ── LimitReached
 ├── Forbidden (403)               ├── PreconditionFailed (412)
 ├── PayloadTooLarge (413)         ├── UnsupportedMediaType (415)
 ├── Unprocessable (422)           ├── TooManyRequests (429)
 └── ProviderUnavailable (503)
```

Every error is rendered as the same envelope::

    {"error": {"code": "...", "message": "...", "message_zh": "...", "details": {...}}}

`code` is stable and machine-readable; where a regulation is behind the refusal its
article code (e.g. ``PA2017-7``) is carried in ``details["article"]``.
"""

from __future__ import annotations

from typing import Any, ClassVar


class ComplianceError(Exception):
    status: ClassVar[int] = 500
    code: ClassVar[str] = "INTERNAL"
    message_en: ClassVar[str] = "Internal error."
    message_zh_default: ClassVar[str] = "内部错误。"

    def __init__(
        self,
        message: str | None = None,
        *,
        message_zh: str | None = None,
        code: str | None = None,
        details: dict[str, Any] | None = None,
        article: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or self.message_en
        self.message_zh = message_zh or self.message_zh_default
        self.error_code = code or self.code
        self.details = dict(details or {})
        if article:
            self.details["article"] = article
        self.headers = dict(headers or {})
        super().__init__(self.message)

    def envelope(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.error_code,
                "message": self.message,
                "message_zh": self.message_zh,
                "details": self.details,
            }
        }


class InvalidRequest(ComplianceError):
    status = 400
    code = "INVALID_REQUEST"
    message_en = "The request is not valid."
    message_zh_default = "请求无效。"


class SchemaViolation(InvalidRequest):
    code = "SCHEMA_VIOLATION"
    message_en = "The request body does not match its schema."
    message_zh_default = "请求体不符合其数据结构定义。"


class Unauthorized(ComplianceError):
    status = 401
    code = "UNAUTHORIZED"
    message_en = "A valid API key is required in the X-Api-Key header."
    message_zh_default = "需要在 X-Api-Key 请求头中提供有效的 API 密钥。"


class Forbidden(ComplianceError):
    status = 403
    code = "FORBIDDEN"
    message_en = "This key may not perform this operation."
    message_zh_default = "该密钥无权执行此操作。"


class NotFound(ComplianceError):
    status = 404
    code = "NOT_FOUND"
    message_en = "No such resource."
    message_zh_default = "资源不存在。"


class MethodNotAllowed(ComplianceError):
    status = 405
    code = "METHOD_NOT_ALLOWED"
    message_en = "This method is not allowed on this resource."
    message_zh_default = "该资源不支持此请求方法。"


class Conflict(ComplianceError):
    status = 409
    code = "CONFLICT"
    message_en = "The request conflicts with the current state."
    message_zh_default = "请求与当前状态冲突。"


class LimitReached(Conflict):
    code = "LIMIT_REACHED"
    message_en = "A limit set by policy has been reached."
    message_zh_default = "已达到策略规定的上限。"


class PreconditionFailed(ComplianceError):
    status = 412
    code = "PRECONDITION_FAILED"
    message_en = "The resource changed since it was read (If-Match does not match)."
    message_zh_default = "资源在读取后已被修改（If-Match 不匹配）。"


class PayloadTooLarge(ComplianceError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"
    message_en = "The request body is larger than allowed."
    message_zh_default = "请求体超过允许的大小。"


class UnsupportedMediaType(ComplianceError):
    status = 415
    code = "UNSUPPORTED_MEDIA_TYPE"
    message_en = "The request body must be application/json."
    message_zh_default = "请求体必须为 application/json。"


class Unprocessable(ComplianceError):
    status = 422
    code = "UNPROCESSABLE"
    message_en = "The request is well-formed but cannot be processed."
    message_zh_default = "请求格式正确，但无法处理。"


class TooManyRequests(ComplianceError):
    status = 429
    code = "TOO_MANY_REQUESTS"
    message_en = "Too many requests; retry later."
    message_zh_default = "请求过于频繁，请稍后重试。"


class ProviderUnavailable(ComplianceError):
    """A backing service (DynamoDB, KMS, S3, SSM, an identity provider) failed after its retries:
    503 with Retry-After, so a client backs off and sends the same request again."""

    status = 503
    code = "PROVIDER_UNAVAILABLE"
    message_en = "A backing service is unavailable; retry later."
    message_zh_default = "后端服务暂不可用，请稍后重试。"
    RETRY_AFTER_SECONDS = 2

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.headers.setdefault("Retry-After", str(self.RETRY_AFTER_SECONDS))


def internal_error(request_id: str) -> ComplianceError:
    """The envelope for a true internal failure: no detail beyond the request id."""
    return ComplianceError(
        "An internal error occurred; quote the request id when reporting it.",
        message_zh="发生内部错误；报告问题时请提供请求编号。",
        details={"request_id": request_id},
    )
