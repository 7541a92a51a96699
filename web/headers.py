"""Security headers on every response: a Content-Security-Policy that works with Dash (its own hashes for the
inline scripts it writes), no plugins, no <base>, no framing, no MIME sniffing, and a strict referrer policy.

`install` adds them to every Flask response and returns the function that gives them, for the static files
that web/static.py serves in front of Flask."""
from __future__ import annotations

import functools
from collections.abc import Callable

import dash
from flask import Flask


def install(server: Flask, app: dash.Dash) -> Callable[[], dict[str, str]]:
    @functools.cache
    def security_headers() -> dict[str, str]:
        """Computed at the first response, when every page has registered its inline scripts."""
        script = " ".join(["'self'", *app.csp_hashes()])   # Dash's hashes come quoted
        return {
            "Content-Security-Policy":
                f"default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
                "base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
            "X-Frame-Options": "DENY",
        }

    @server.after_request
    def secure(response):
        response.headers.update(security_headers())
        return response

    return security_headers
