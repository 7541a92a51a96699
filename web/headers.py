"""Security headers on every response: a Content-Security-Policy that works with Dash (its own hashes for the
inline scripts it writes), no plugins, no <base>, no framing, no MIME sniffing, and a strict referrer policy."""
from __future__ import annotations

import dash
from flask import Flask


def install(server: Flask, app: dash.Dash) -> None:
    hashes: list[str] = []

    @server.after_request
    def secure(response):
        if not hashes:
            hashes.extend(app.csp_hashes())
        script = " ".join(["'self'", *hashes])   # Dash's hashes come quoted
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"
        return response
