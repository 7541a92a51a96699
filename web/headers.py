"""Security headers on every response: a Content-Security-Policy that works with Dash (its own hashes for the
inline scripts it writes), no plugins, no <base>, no framing, no MIME sniffing, and a strict referrer policy.

`install` adds them to every Flask response and returns the function that gives them, for the static files
that web/static.py serves in front of Flask. The endpoints in FRAMABLE (the embedded charts, web/indlejr.py) may be
framed by any site: their policy says `frame-ancestors *` and they have no X-Frame-Options; every other response
keeps `frame-ancestors 'none'` and X-Frame-Options DENY. With KDK_SERVER_NAVN set, every answer from Flask also
names the app server that gave it (X-KDK-Server), so an operator can see where a load balancer sent a request."""
from __future__ import annotations

import functools
from collections.abc import Callable

import dash
from flask import Flask, request

from kdk.config import settings

FRAMABLE = frozenset({"indlejr.graf"})


def install(server: Flask, app: dash.Dash) -> Callable[[], dict[str, str]]:
    @functools.cache
    def security_headers(framable: bool = False) -> dict[str, str]:
        """Computed at the first response, when every page has registered its inline scripts."""
        script = " ".join(["'self'", *app.csp_hashes()])   # Dash's hashes come quoted
        ancestors = "*" if framable else "'none'"
        return {
            "Content-Security-Policy":
                f"default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
                f"base-uri 'none'; frame-ancestors {ancestors}; form-action 'self'",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
            **({} if framable else {"X-Frame-Options": "DENY"}),
        }

    @server.after_request
    def secure(response):
        response.headers.update(security_headers(request.endpoint in FRAMABLE))
        if settings().server_name:
            response.headers["X-KDK-Server"] = settings().server_name
        return response

    return security_headers
