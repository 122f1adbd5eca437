"""A tenant's own HTTPS endpoints (verification gateway, feedback webhook) and their signing secrets.

Both are set in the tenant's policy; this module keeps them from reaching what is not the
tenant's: the signing secret must live under the tenant's own SSM parameter path (a tenant
must not make the product sign with another tenant's secret), and outside dev the URL must be
HTTPS on a public address (no requests into private, loopback or link-local networks).
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.parse

from chalicelib.core.config import settings as app_settings
from chalicelib.core.errors import ProviderUnavailable, Unprocessable


def secret_prefix(tenant_id: str) -> str:
    return f"/compliance-api/{app_settings().stage}/tenants/{tenant_id}/"


def check(tenant_id: str, url: str, secret_parameter: str, *, setting: str, code_prefix: str) -> None:
    """Refuse (422) an endpoint outside the tenant's reach; `setting` names the policy key in the message."""
    if not secret_parameter.startswith(secret_prefix(tenant_id)):
        raise Unprocessable(f"{setting}.secret_parameter must start with {secret_prefix(tenant_id)}.",
                            message_zh="签名密钥参数必须位于本租户自己的参数路径下。",
                            code=f"{code_prefix}_SECRET_OUTSIDE_TENANT")
    if app_settings().stage == "dev":
        return
    parsed = urllib.parse.urlsplit(url)
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parsed.hostname or "", parsed.port or 443)}
    except (OSError, UnicodeError):
        addresses = set()
    private = any(not ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses)
    if parsed.scheme != "https" or not addresses or private:
        raise Unprocessable(f"{setting}.url must be an HTTPS URL on a public address.",
                            message_zh="该地址必须是公网地址上的 HTTPS 地址。", code=f"{code_prefix}_URL_FORBIDDEN")


def secret(parameter: str, *, code_prefix: str) -> str:
    from aws_lambda_powertools.utilities import parameters

    try:
        return str(parameters.get_parameter(parameter, decrypt=True, max_age=300))
    except Exception as exc:  # Powertools wraps every SSM failure in its own error type
        raise ProviderUnavailable("The signing secret could not be read.", message_zh="无法读取签名密钥。",
                                  code=f"{code_prefix}_SECRET_UNAVAILABLE", details={"reason": type(exc).__name__}) from exc
