"""The scope of the person behind the current request: the one place pages, callbacks, downloads and the API
ask what may be shown.

Anonymous: public key figures of published releases. Signed in (flask-login): plus the restricted data areas the
user is granted; redaktion and admin see every area and releases under embargo.
"""
from __future__ import annotations

from flask import has_request_context
from flask_login import current_user

from kdk.db import marts
from kdk.queries.scope import ANONYMOUS, Scope


def all_areas() -> frozenset[str]:
    return frozenset(marts().query("SELECT kode FROM dim_dataomraade")["kode"])


def user():
    """The signed-in kdk User, or None."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.user
    return None


def scope() -> Scope:
    signed_in = user()
    return signed_in.scope(all_areas()) if signed_in else ANONYMOUS
