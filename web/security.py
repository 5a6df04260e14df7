"""Security headers on every answer: a content security policy without inline scripts,
no framing, no MIME sniffing, HSTS when the request came over TLS.

Behind a TLS-terminating proxy, gunicorn takes the scheme from ``X-Forwarded-Proto`` of
trusted proxies (its ``forwarded_allow_ips``), so ``request.is_secure`` is true there.
"""

from flask import Flask, request
from werkzeug.wrappers.response import Response

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    app.after_request(_headers)


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response
