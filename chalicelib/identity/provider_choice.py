"""Which provider verifies a tenant's applicants (MB2018-7): the sandbox verifier, for sandbox tenants only,
or the tenant's signed HTTP gateway from its policy, its address and secret checked as every tenant
endpoint is (core/outbound_settings.py).
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import outbound_settings
from chalicelib.core.auth import Principal
from chalicelib.core.errors import Forbidden, Unprocessable
from chalicelib.identity.http_provider import HttpProvider
from chalicelib.identity.providers import Provider, SandboxProvider


def provider_for(principal: Principal, settings: dict[str, Any]) -> Provider:
    if settings["provider"] == "sandbox":
        if not principal.sandbox:
            raise Forbidden("The sandbox verifier is only for sandbox tenants; set identity.provider to http.",
                            message_zh="沙箱核验仅供沙箱租户使用；请将 identity.provider 设为 http。",
                            code="SANDBOX_PROVIDER_FORBIDDEN")
        return SandboxProvider()
    gateway = settings["http_provider"]
    if not gateway["url"] or not gateway["secret_parameter"]:
        raise Unprocessable("identity.http_provider needs url and secret_parameter in the policy.",
                            message_zh="策略中的 identity.http_provider 需要配置 url 和 secret_parameter。",
                            code="PROVIDER_NOT_CONFIGURED")
    outbound_settings.check(principal.tenant_id, gateway["url"], gateway["secret_parameter"],
                            setting="identity.http_provider", code_prefix="PROVIDER")
    secret = outbound_settings.secret(gateway["secret_parameter"], code_prefix="PROVIDER")
    return HttpProvider(gateway["url"], secret, timeout_ms=gateway["timeout_ms"], max_retries=gateway["max_retries"])
