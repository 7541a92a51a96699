"""Sign-in for the app: flask-login with a plain, CSRF-protected Flask form at /login, outside Dash, and /logout.

- New server-side session at every login; a POST to /logout with the CSRF token ends it on the server (a copied
  cookie stops working); GET /logout only shows the button.
- Throttling per username and address across all workers (kdk.auth.throttle), at the password step and the code
  step: HTTP 429 with Retry-After, audited. A browser that has signed in as a user is exempt from the per-address
  limit for that user (web.device).
- A second factor (TOTP) for kommune_admin, redaktion and admin; the secret is set up at first login, from a QR
  code drawn on the server as inline SVG (segno) or the key beside it; each code (time step) is accepted once
  (kdk.auth.totp). Between the password and the code the login waits on the server
  (kdk.auth.pending); the cookie only names it.
- A safe `next` (same site only). Cookies HttpOnly, SameSite=Lax, Secure behind HTTPS (KDK_HTTPS=1).
- Every page and message in the request's language (web/sprog.py: /en/login is the English sign-in); the forms'
  labels and messages are written by the templates and this module, never WTForms' own.
"""
from __future__ import annotations

import datetime as dt
import logging
import math
from urllib.parse import urlencode, urlsplit, urlunsplit

import pyotp
import segno
from flask import Blueprint, Flask, Response, redirect, render_template, request, session
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from kdk import format as fmt
from kdk.auth import audit, pending, sealing, sessions, throttle, totp, users
from kdk.config import settings
from kdk.sprog import N_, gettext, ngettext
from web import device

log = logging.getLogger(__name__)
login = Blueprint("login", __name__, template_folder="templates")
QR_TEKST = N_("QR-kode med nøglen til din autentificerings-app")


class SignedIn:
    """The flask-login user: a kdk User plus the session token that identifies it."""

    is_authenticated, is_active, is_anonymous = True, True, False

    def __init__(self, user: users.User, token: str):
        self.user, self.token = user, token

    def get_id(self) -> str:
        return self.token


class LoginForm(FlaskForm):
    """The sign-in form. Its fields' labels and WTForms' own messages are never shown: the template writes the
    labels, and a refused form gets the page's own message, both in the request's language."""
    username = StringField("Brugernavn", validators=[DataRequired(), Length(max=100)])
    password = PasswordField("Adgangskode", validators=[DataRequired(), Length(max=200)])


class EmptyForm(FlaskForm):
    """Only the CSRF token: every state-changing POST carries one (logout included)."""


class CodeForm(FlaskForm):
    kode = StringField("Kode fra din autentificerings-app", validators=[DataRequired(), Length(min=6, max=8)])


def install(server: Flask) -> None:
    server.config.update(
        SECRET_KEY=sealing.secret_key(), SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings().https, REMEMBER_COOKIE_DURATION=0,
        WTF_CSRF_TIME_LIMIT=None)
    server.register_error_handler(sealing.Unreadable, _unreadable_secret)
    manager = LoginManager()
    manager.session_protection = None   # the server-side session is the protection
    manager.init_app(server)

    @manager.user_loader
    def load(token: str):
        user_id = sessions.user_id(token)
        user = users.get(user_id=user_id) if user_id is not None else None
        return SignedIn(user, token) if user and user.gyldig else None   # an expired demo account's session ends

    server.register_blueprint(login)
    server.add_template_filter(tidspunkt)

    @server.before_request
    def must_change_password():
        """A temporary password must be changed before anything else is shown."""
        user = current_user.user if current_user.is_authenticated else None
        if user and user.skal_skifte_kodeord and request.path not in ("/konto/kodeord", "/logout") \
                and not request.path.startswith(("/assets/", "/_dash-component-suites/")):
            return redirect("/konto/kodeord")
        return None


_BROWSER_DROPS = str.maketrans("", "", "\t\n\r")


def tidspunkt(when: dt.datetime, sekunder: bool = False) -> str:
    """A time in a table of the pages outside Dash, as the active language writes it: `05.12.2026 14:03`."""
    return f"{fmt.short_date(when)} {when:%H:%M:%S}" if sekunder else f"{fmt.short_date(when)} {when:%H:%M}"


def _address() -> str:
    return request.remote_addr or "ukendt"


def safe_next(target: str | None) -> str:
    """`target` as a path on this site ('/kommune/101?omraade=x'), else '/'. It is first read the way a browser reads
    a Location (WHATWG URL parsing: tabs and newlines dropped, a backslash taken for '/'), so '/%09/evil.example',
    '/%5Cevil' or 'https:evil' cannot point elsewhere; anything with a scheme, a host or a control character is refused.
    Leading slashes are folded into one: '////evil' has no host to Python but is '//evil' to a browser."""
    read = (target or "").strip("\x00 ").translate(_BROWSER_DROPS).replace("\\", "/")
    parts = urlsplit(read)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or any(c < " " or c == "\x7f" for c in read):
        return "/"
    return urlunsplit(("", "", "/" + parts.path.lstrip("/"), parts.query, parts.fragment))


def page(template: str, title: str, status: int = 200, message: str = "", **context) -> Response:
    """One of the pages outside Dash (web/templates/), with the signed-in user's account links and logout button."""
    viewer = current_user.user if current_user.is_authenticated else None
    return Response(render_template(template, title=title, message=message, viewer=viewer,
                                    logout=EmptyForm() if viewer else None, **context), status=status)


def refused(template: str, title: str, decision: throttle.Decision, **context) -> Response:
    """A throttled attempt: 429 with Retry-After and, in the request's language, how long to wait."""
    seconds = decision.retry_after
    if seconds > 90:
        minutes = math.ceil(seconds / 60)
        message = ngettext("For mange forkerte forsøg. Prøv igen om {antal} minut.",
                           "For mange forkerte forsøg. Prøv igen om {antal} minutter.", minutes).format(antal=minutes)
    else:
        message = ngettext("For mange forkerte forsøg. Prøv igen om {antal} sekund.",
                           "For mange forkerte forsøg. Prøv igen om {antal} sekunder.", seconds).format(antal=seconds)
    response = page(template, title, 429, message, **context)
    response.headers["Retry-After"] = str(seconds)
    return response


def _finish(user: users.User) -> Response:
    session.clear()   # a new session at login: nothing from before survives
    login_user(SignedIn(user, sessions.create(user.id)))
    audit.log("login", user.brugernavn, adresse=_address())
    return device.remember(redirect(safe_next(request.args.get("next"))), user.brugernavn)


@login.route("/login", methods=["GET", "POST"])
def sign_in():
    form = LoginForm()
    if request.method == "GET":
        return page("login.html", gettext("Log ind"), form=form)
    name = (form.username.data or "").strip().lower()
    if not form.validate_on_submit():
        return page("login.html", gettext("Log ind"), 400,
                    gettext("Formularen er udløbet eller ufuldstændig. Prøv igen."), form=form)
    decision = throttle.attempt(name, _address(), known_device=device.known(name))
    if not decision.allowed:
        audit.log("login_spaerret", name, "for mange forkerte forsøg", _address())
        return refused("login.html", gettext("Log ind"), decision, form=form)
    user = users.authenticate(name, form.password.data)
    if user is None:
        audit.log("login_fejlet", name, adresse=_address())
        return page("login.html", gettext("Log ind"), 401, gettext("Forkert brugernavn eller adgangskode."),
                    form=form)
    throttle.succeeded(decision)
    if user.udloebet:
        audit.log("login_udloebet", user.brugernavn, adresse=_address())
        return page("login.html", gettext("Log ind"), 403, gettext("Demokontoen er udløbet og kan ikke længere "
                    "bruges. Bed oplægsholderen om en ny."), form=form)
    if user.kraever_anden_faktor:
        session.clear()
        session["afventer"] = pending.start(user.id)
        return redirect("/login/kode?" + urlencode({"next": safe_next(request.args.get("next"))}))
    return _finish(user)


def _unreadable_secret(exc: sealing.Unreadable) -> Response:
    log.error("second factor refused: %s", exc)
    return page("side.html", gettext("Anden faktor"), 503, gettext("Din anden faktor kan ikke kontrolleres lige "
                "nu. Kontakt en administrator."))


def setup_qr(uri: str) -> Markup:
    """The otpauth address as a QR code to scan at setup: inline SVG drawn here by segno, nothing fetched."""
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, title=gettext(QR_TEKST)))


@login.route("/login/kode", methods=["GET", "POST"])
def second_factor():
    handle = session.get("afventer")
    user_id = pending.user_id(handle)
    user = users.get(user_id=user_id) if user_id is not None else None
    if user is None or not user.gyldig:
        session.pop("afventer", None)   # not session.clear(): a GET must not sign a signed-in user out
        return redirect("/login")
    secret = totp.secret(user.id)
    new = secret is None
    if new:
        secret = pending.new_secret(handle)
    form = CodeForm()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.brugernavn, issuer_name="Kend din kommune")
    context = {"form": form, "secret": secret if new else None, "uri": uri, "qr": setup_qr(uri) if new else None,
               "qr_tekst": gettext(QR_TEKST)}
    if request.method == "GET":
        return page("kode.html", gettext("Anden faktor"), **context)
    decision = throttle.attempt(user.brugernavn, _address(), known_device=device.known(user.brugernavn))
    if not decision.allowed:
        audit.log("anden_faktor_spaerret", user.brugernavn, "for mange forkerte forsøg", _address())
        return refused("kode.html", gettext("Anden faktor"), decision, **context)
    if not form.validate_on_submit() or not totp.accept(user.id, secret, form.kode.data):
        audit.log("anden_faktor_fejlet", user.brugernavn, adresse=_address())
        return page("kode.html", gettext("Anden faktor"), 401, gettext("Koden passer ikke. Prøv igen."), **context)
    if new:
        totp.confirm(user.id, secret)
        audit.log("anden_faktor_oprettet", user.brugernavn, adresse=_address())
    throttle.succeeded(decision)
    pending.finish(handle)
    return _finish(user)


@login.get("/logout")
def confirm_sign_out():
    """A page with the logout button (the Dash pages' header links here): a GET never logs out, so a link or image
    on another site cannot sign anyone out."""
    if not current_user.is_authenticated:
        return redirect("/")
    return page("logout.html", gettext("Log ud"))


@login.post("/logout")
def sign_out():
    if not current_user.is_authenticated:
        return redirect("/")
    if not EmptyForm().validate_on_submit():
        return page("logout.html", gettext("Log ud"), 400, gettext("Formularen er udløbet. Prøv igen."))
    sessions.end(current_user.token)
    audit.log("logout", current_user.user.brugernavn, adresse=_address())
    logout_user()
    session.clear()
    return redirect("/")
