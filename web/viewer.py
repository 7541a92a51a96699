"""The scope of the person behind the current request: the one place that page rendering (web/pagescope.py passes
it to layouts as an argument), callbacks, downloads and the API ask what may be shown.

Anonymous: public key figures of published releases. Signed in (flask-login): plus the restricted data areas the
user is granted; the publication team sees every area and releases under embargo (their views of embargoed data
are audited, once per session while an embargo is running). What anyone may do is asked of `person()` (the
questions of kdk.auth.rettigheder; no setting opens the publication team's pages to anyone else). A worker's
warm-up (web/warmup.py) renders a restricted area with the scope of a reader granted it, through the WSGI environ,
which no request from outside can set.

A render kept for every viewer with the same scope (web/rendercache.py says so with `keeping`) gets that scope
from `scope()` and may not ask who the viewer is: reading `user()` or `person()` during it is logged and makes the
render personal, so it is answered but not kept.
"""
from __future__ import annotations

import logging

from flask import g, has_request_context, request, session
from flask_login import current_user

from kdk.auth import audit, rettigheder
from kdk.auth.users import User
from kdk.queries import omraader
from kdk.queries.cache import embargo_state
from kdk.queries.scope import ANONYMOUS, Scope

log = logging.getLogger(__name__)
WARM_UP_SCOPE = "kdk.scope"   # a WSGI environ key (no HTTP header can set one): the scope a warm-up render has


def keeping(scope: Scope) -> None:
    """This request renders a page kept for every viewer with `scope`: from now on `scope()` answers it, and
    asking who the viewer is makes the render personal (`personal()`)."""
    g.kept_scope = scope


def personal() -> bool:
    """Whether this request's kept render asked who the viewer is, and so may not be kept."""
    return g.get("personal", False)


def user():
    """The signed-in kdk User, or None."""
    if has_request_context() and "kept_scope" in g and not g.get("personal"):
        log.warning("the kept render of %s reads the signed-in user: answered, not kept", request.path)
        g.personal = True
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.user
    return None


def person() -> User | rettigheder.Anonym:
    """Whom the permission questions (kdk.auth.rettigheder) are asked of: the signed-in User, or ANONYM, who
    answers every one of them no."""
    return user() or rettigheder.ANONYM


def scope() -> Scope:
    if has_request_context() and "kept_scope" in g:
        return g.kept_scope
    if has_request_context() and WARM_UP_SCOPE in request.environ:
        return request.environ[WARM_UP_SCOPE]   # set by web/warmup.py only
    signed_in = user()
    if not signed_in:
        return ANONYMOUS
    result = signed_in.scope(omraader.alle_dataomraader())
    if result.se_embargo and any(embargo_state()):
        _audit_embargo_view(signed_in.brugernavn)
    return result


def _audit_embargo_view(brugernavn: str) -> None:
    """Views of embargoed data are audited: once per session and embargo state, not on every request."""
    key = repr(embargo_state())
    if session.get("embargo_logget") != key:
        session["embargo_logget"] = key
        audit.log("embargo_visning", brugernavn, request.path, request.remote_addr)
