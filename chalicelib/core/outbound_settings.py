"""A tenant's endpoint as its policy sets it (verification gateway, feedback webhook, classifier gateway):
the URL and signing-secret parameter checked before they are stored, and the secret read when a call is
signed. The secret must live under the tenant's own SSM parameter path (a tenant must not make the product
sign with another tenant's secret); a URL whose scheme or IP literal `outbound.post` would refuse is refused
here (422). Host names are judged by the call, on the address it connects to (core/outbound_target.py).
"""

from __future__ import annotations

from chalicelib.core.config import settings as app_settings
from chalicelib.core.errors import ProviderUnavailable, Unprocessable
from chalicelib.core.outbound_addresses import address_allowed
from chalicelib.core.outbound_reasons import OutboundError, Reason
from chalicelib.core.outbound_target import literal, target


def secret_prefix(tenant_id: str) -> str:
    return f"/compliance-api/{app_settings().stage}/tenants/{tenant_id}/"


def check(tenant_id: str, url: str, secret_parameter: str, *, setting: str, code_prefix: str) -> None:
    """Refuse (422) what is wrong whatever DNS says: a secret outside the tenant's path, a scheme or an
    IP literal that `post` would refuse. Host names are judged by `post`, on the address it connects to."""
    if not secret_parameter.startswith(secret_prefix(tenant_id)):
        raise Unprocessable(f"{setting}.secret_parameter must start with {secret_prefix(tenant_id)}.",
                            message_zh="签名密钥参数必须位于本租户自己的参数路径下。",
                            code=f"{code_prefix}_SECRET_OUTSIDE_TENANT")
    try:
        address = literal(target(url).host)
        if address is not None and not address_allowed(address):
            raise OutboundError(Reason.ADDRESS_FORBIDDEN)
    except OutboundError as exc:
        raise Unprocessable(f"{setting}.url must be an HTTPS URL on a public address.",
                            message_zh="该地址必须是公网地址上的 HTTPS 地址。",
                            code=f"{code_prefix}_URL_FORBIDDEN", details={"reason": exc.reason.value}) from exc


def secret(parameter: str, *, code_prefix: str) -> str:
    from aws_lambda_powertools.utilities import parameters

    try:
        return str(parameters.get_parameter(parameter, decrypt=True, max_age=300))
    except Exception as exc:  # Powertools wraps every SSM failure in its own error type
        raise ProviderUnavailable("The signing secret could not be read.", message_zh="无法读取签名密钥。",
                                  code=f"{code_prefix}_SECRET_UNAVAILABLE",
                                  details={"reason": type(exc).__name__}) from exc
