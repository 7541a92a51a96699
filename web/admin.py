"""Local user management (lokal brugerstyring) at /admin/brugere, the audit log at /admin/audit, the password
change at /konto/kodeord and personal API tokens at /konto/tokens. Plain, CSRF-protected Flask forms outside Dash,
rendered from web/templates/; reads and writes the user store (kdk.auth). A password change asks for the current
password, except the forced change right after signing in with a temporary one, and ends the user's other sessions.

What a viewer may do here is asked of them (kdk.auth.rettigheder): a municipal administrator sees and changes only
the users of their own municipality, and can create readers and administrators there; no page or message of theirs
names or confirms anyone else's user. An administrator of everyone sees and changes everyone, and reads the audit
log. Lists are searchable and paged. Every change is audited.
A new or reset password is a temporary one, shown once, that must be changed at the next login.
Every page and message is in the request's language (web/sprog.py: /en/admin/brugere is the English one).
"""
from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, redirect, request
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from kdk.auth import audit, rettigheder, throttle, tokens, users
from kdk.queries import omraader
from kdk.sprog import gettext
from web.login import EmptyForm, page, refused

admin = Blueprint("brugerstyring", __name__, template_folder="templates")
PER_SIDE = 25
STATUS = {"": None, "aktiv": True, "deaktiveret": False}


class PasswordForm(FlaskForm):
    nuvaerende = PasswordField("Nuværende adgangskode", validators=[Length(max=200)])
    nyt = PasswordField("Ny adgangskode", validators=[DataRequired(), Length(min=12, max=200)])


@dataclass(frozen=True)
class Sider:
    """One page of a filtered list: which rows it shows and the links to its neighbours."""

    side: int
    i_alt: int
    filtre: dict

    @property
    def antal_sider(self) -> int:
        return max(1, math.ceil(self.i_alt / PER_SIDE))

    @property
    def offset(self) -> int:
        return (self.side - 1) * PER_SIDE

    @property
    def foerste(self) -> int:
        return self.offset + 1 if self.i_alt else 0

    @property
    def sidste(self) -> int:
        return min(self.offset + PER_SIDE, self.i_alt)

    def link(self, side: int) -> str:
        return "?" + urlencode({**{k: v for k, v in self.filtre.items() if v}, "side": side})


def sider(i_alt: int, filtre: dict) -> Sider:
    """The requested page (`?side=`) of `i_alt` rows; past the end means the last page; not a number is a 400."""
    raw = request.args.get("side", "1")
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        invalid(gettext("Sidetallet skal være et helt tal fra 1."))
    return Sider(min(int(raw), max(1, math.ceil(i_alt / PER_SIDE))), i_alt, filtre)


def invalid(message: str) -> None:
    abort(page("side.html", gettext("Ugyldig forespørgsel"), 400, message))


def me() -> users.User:
    if not current_user.is_authenticated:
        abort(Response(status=302, headers={"Location": f"/login?next={request.path}"}))
    return current_user.user


def require_admin() -> users.User:
    user = me()
    if not user.administrerer_brugere:
        audit.log("adgang_naegtet", user.brugernavn, request.path, request.remote_addr)
        abort(403)
    return user


def target(viewer: users.User, name: str) -> users.User:
    """The user `name` if the viewer may manage them; 404 otherwise (another municipality's users do not exist
    for a municipal administrator, nor do the publication team and administrators)."""
    user = users.get(brugernavn=name)
    if user is None or not viewer.kan_administrere(user):
        abort(404)
    return user


def data_areas() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Every data area's name by code, and the areas with restricted key figures (only those can be granted)."""
    full = omraader.fuld_adgang()
    names = {a["kode"]: a["navn"] for a in omraader.dataomraader(full)}
    figures = omraader.synlige_noegletal(full)
    restricted = set(figures.loc[figures["adgang"] == "begraenset", "dataomraade"])
    return names, [(kode, navn) for kode, navn in names.items() if kode in restricted]


def _areas_context() -> dict:
    names, areas = data_areas()
    return {"areas": areas, "omraadenavne": names,
            "navne": {rolle: gettext(navn) for rolle, navn in rettigheder.ROLLE_NAVN.items()},
            "form": EmptyForm()}


def _list(viewer: users.User, temp: tuple[str, str] | None = None) -> Response:
    filtre = {"q": request.args.get("q", "")[:100], "rolle": request.args.get("rolle", ""),
              "status": request.args.get("status", "")}
    if filtre["rolle"] not in ("", *viewer.tildelbare_roller) or filtre["status"] not in STATUS:
        invalid(gettext("Ukendt rolle eller status i filteret."))
    query = {"kommunekode": None if viewer.administrerer_alle else viewer.kommunekode, "tekst": filtre["q"],
             "roller": (filtre["rolle"],) if filtre["rolle"] else viewer.tildelbare_roller,
             "aktiv": STATUS[filtre["status"]]}
    side = sider(users.find(**query, limit=0)[1], filtre)
    people, _ = users.find(**query, offset=side.offset, limit=PER_SIDE)
    return page("brugere.html", gettext("Brugere"), wide=True, people=people, sider=side, filtre=filtre, temp=temp,
                alle_roller=viewer.tildelbare_roller, **_areas_context())


def _choices(viewer: users.User, user: users.User | None = None) -> tuple[str, ...]:
    """The roles a form offers `viewer` for a new user or for `user`: never the demo account's, which is made on the
    command line with its expiry (`python -m kdk users demo`) and which no user changes to or from (users.set_role
    refuses it, and the server checks stay)."""
    if user is not None and user.rolle == rettigheder.DEMO:
        return ()
    return tuple(rolle for rolle in viewer.tildelbare_roller if rolle != rettigheder.DEMO)


def _user_page(viewer: users.User, user: users.User, message: str = "", status: int = 200,
               temp: tuple[str, str] | None = None) -> Response:
    return page("bruger.html", gettext("Bruger {bruger}").format(bruger=user.brugernavn), status, message, wide=True,
                user=user, temp=temp,
                roles=_choices(viewer, user), **_areas_context())


def _checked_form() -> None:
    if not EmptyForm().validate_on_submit():
        invalid(gettext("Formularen er udløbet. Gå tilbage, og prøv igen."))


@admin.get("/admin/brugere")
def list_users():
    return _list(require_admin())


@admin.get("/admin/brugere/ny")
def new_user_form():
    viewer = require_admin()
    return page("ny_bruger.html", gettext("Opret bruger"), wide=True, roles=_choices(viewer), **_areas_context())


@admin.post("/admin/brugere")
def create_user():
    viewer = require_admin()
    _checked_form()
    rolle = request.form.get("rolle", rettigheder.LAESER)
    if rolle not in viewer.tildelbare_roller:
        abort(403)
    kommune = request.form.get("kommune") if viewer.administrerer_alle else viewer.kommunekode
    temp = temporary_password()
    try:
        user = users.add(request.form.get("navn", ""), temp, rolle, kommune or None,
                         set(request.form.getlist("omraade")), af=viewer.brugernavn, skal_skifte=True)
    except users.UserError as exc:
        return page("ny_bruger.html", gettext("Opret bruger"), 400, _refusal(viewer, exc), wide=True,
                    roles=_choices(viewer), **_areas_context())
    return _user_page(viewer, user, temp=(user.brugernavn, temp))


@admin.get("/admin/brugere/<name>")
def show_user(name: str):
    viewer = require_admin()
    return _user_page(viewer, target(viewer, name))


@admin.post("/admin/brugere/<name>/<action>")
def change_user(name: str, action: str):
    viewer = require_admin()
    _checked_form()
    user = target(viewer, name)
    if user.brugernavn == viewer.brugernavn and action != "omraader":
        abort(403)   # nobody locks themselves out or raises their own role
    try:
        if action == "omraader":
            users.grant(user.brugernavn, set(request.form.getlist("omraade")), viewer.brugernavn)
        elif action == "rolle":
            if request.form.get("rolle") not in viewer.tildelbare_roller:
                abort(403)
            users.set_role(user.brugernavn, request.form["rolle"], viewer.brugernavn)
        elif action in ("deaktiver", "aktiver"):
            users.set_active(user.brugernavn, action == "aktiver", viewer.brugernavn)
        elif action == "nulstil":
            temp = temporary_password()
            users.set_password(user.brugernavn, temp, viewer.brugernavn, skal_skifte=True)
            return _user_page(viewer, users.get(user_id=user.id), temp=(user.brugernavn, temp))
        else:
            abort(404)
    except users.UserError as exc:
        return _user_page(viewer, user, str(exc), 400)
    return redirect(f"/admin/brugere/{user.brugernavn}")


def _refusal(viewer: users.User, exc: users.UserError) -> str:
    """Why a user was not created, as the viewer may hear it: only an administrator of everyone, who sees every
    user, is told that the name is taken; a municipal administrator gets the same answer for a name of their own
    municipality's as for anyone else's, so names elsewhere are neither shown nor confirmed (the attempt is audited)."""
    if isinstance(exc, users.NameTaken) and not viewer.administrerer_alle:
        audit.log("brugernavn_afvist", viewer.brugernavn, f"{request.form.get('navn', '').strip().lower()}: optaget",
                  request.remote_addr)
        return gettext("Det brugernavn kan ikke bruges. Vælg et andet.")
    return str(exc)


def temporary_password() -> str:
    return secrets.token_urlsafe(12)


@admin.get("/admin/audit")
def audit_log():
    viewer = me()
    if not viewer.administrerer_alle:
        audit.log("adgang_naegtet", viewer.brugernavn, request.path, request.remote_addr)
        abort(403)
    filtre = {"handling": request.args.get("handling", "")[:100], "bruger": request.args.get("bruger", "")[:100]}
    query = {k: v or None for k, v in filtre.items()}
    side = sider(audit.count(**query), filtre)
    entries = audit.entries(limit=PER_SIDE, offset=side.offset, **query)
    entries = entries.astype(object).where(entries.notna(), None)   # a missing address or detail is shown as the dash
    return page("audit.html", gettext("Auditlog"), wide=True, entries=entries.itertuples(), sider=side, filtre=filtre,
                handlinger=audit.actions(), days=audit.retention_days())


@admin.route("/konto/kodeord", methods=["GET", "POST"])
def change_password():
    viewer = me()
    form = PasswordForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return page("kodeord.html", gettext("Skift adgangskode"), 400,
                        gettext("Adgangskoden skal have mindst 12 tegn."), form=form)
        # Only the forced change right after signing in with a temporary password goes without the current one,
        # which is checked and throttled as at login (a held session must not become a password oracle).
        if not viewer.skal_skifte_kodeord:
            decision = throttle.attempt(viewer.brugernavn, request.remote_addr or "ukendt")
            if not decision.allowed:
                audit.log("kodeord_skift_spaerret", viewer.brugernavn, "for mange forkerte forsøg", request.remote_addr)
                return refused("kodeord.html", gettext("Skift adgangskode"), decision, form=form)
            if users.authenticate(viewer.brugernavn, form.nuvaerende.data or "") is None:
                audit.log("kodeord_skift_afvist", viewer.brugernavn, "forkert nuværende adgangskode",
                          request.remote_addr)
                return page("kodeord.html", gettext("Skift adgangskode"), 400,
                            gettext("Den nuværende adgangskode er forkert."), form=form)
            throttle.succeeded(decision)
        try:
            users.set_password(viewer.brugernavn, form.nyt.data, viewer.brugernavn, keep_session=current_user.token)
        except users.UserError as exc:
            return page("kodeord.html", gettext("Skift adgangskode"), 400, str(exc), form=form)
        return redirect("/")
    return page("kodeord.html", gettext("Skift adgangskode"), form=form)


def _tokens_page(user: users.User, new: str | None = None) -> Response:
    return page("tokens.html", gettext("API-nøgler"), rows=list(tokens.listing(user).itertuples()), form=EmptyForm(),
                new=new)


@admin.get("/konto/tokens")
def my_tokens():
    return _tokens_page(me())


@admin.post("/konto/tokens")
def new_token():
    user = me()
    _checked_form()
    return _tokens_page(user, tokens.create(user, request.form.get("navn", "")))


@admin.post("/konto/tokens/<int:token_id>/tilbagekald")
def revoke_token(token_id: int):
    user = me()
    _checked_form()
    if not tokens.revoke(user, token_id):
        abort(404)
    return redirect("/konto/tokens")
