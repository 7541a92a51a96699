"""The device cookie (OWASP's answer to lockout by address): a browser that has signed in carries a cookie, signed
with the app's secret key, naming the user it signed in as. For that user, from that browser, the per-address limit
of kdk.auth.throttle does not apply, so a flood of failures from a shared address cannot keep the owner out; the
limits per username still do.

Reads and writes the cookie `kdk_enhed` (path /login, HttpOnly, SameSite=Lax, Secure as the session cookie).
"""
from __future__ import annotations

import datetime as dt

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "kdk_enhed"
LIFETIME = dt.timedelta(days=90)


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="kdk-enhed")


def remember(response: Response, brugernavn: str) -> Response:
    """Give the browser a device cookie for `brugernavn` (after a successful sign-in)."""
    response.set_cookie(COOKIE, _signer().dumps(brugernavn), max_age=LIFETIME, path="/login", httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def known(brugernavn: str) -> bool:
    """Whether this browser carries a valid device cookie for `brugernavn`."""
    try:
        return _signer().loads(request.cookies.get(COOKIE, ""), max_age=LIFETIME.total_seconds()) == brugernavn
    except BadSignature:   # also an expired one
        return False
