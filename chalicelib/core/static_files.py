"""What every page this app serves beside the API shares (the console, the API docs): the content types it
serves and the security headers, under a Content-Security-Policy that allows nothing inline and nothing from
another origin. A page holds no key of its own; the one a person pastes must have nowhere to be sent."""

from __future__ import annotations

TEXT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}


def content_security_policy(*, img_src: str = "'self'") -> str:
    """Only this origin's own files, no inline script, no forms, no framing; `img_src` for a viewer that
    draws its icons as data: URIs."""
    return "; ".join((
        "default-src 'none'", "script-src 'self'", "style-src 'self'", f"img-src {img_src}", "connect-src 'self'",
        "font-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
    ))


def security_headers(policy: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
