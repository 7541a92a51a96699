"""Local user management (lokal brugerstyring) at /admin/brugere, the audit log at /admin/audit, the password
change at /konto/kodeord and personal API tokens at /konto/tokens. Plain, CSRF-protected Flask forms outside Dash.

A kommune_admin sees and changes only the users of their own municipality, and can create readers and
administrators there; admin sees and changes everyone. Every change is audited. A new or reset password is a
temporary one, shown once, that must be changed at the next login.
"""
from __future__ import annotations

import secrets

from flask import Blueprint, Response, abort, redirect, render_template_string, request
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from kdk.auth import audit, tokens, users
from kdk.db import marts
from web.login import PAGE

admin = Blueprint("admin", __name__)
ADMINS = ("kommune_admin", "admin")


class EmptyForm(FlaskForm):
    """Only the CSRF token: every state-changing POST carries one."""


class PasswordForm(FlaskForm):
    nyt = PasswordField("Ny adgangskode", validators=[DataRequired(), Length(min=12, max=200)])


def me() -> users.User:
    if not current_user.is_authenticated:
        abort(Response(status=302, headers={"Location": f"/login?next={request.path}"}))
    return current_user.user


def require_admin() -> users.User:
    user = me()
    if user.rolle not in ADMINS:
        audit.log("adgang_naegtet", user.brugernavn, request.path, request.remote_addr)
        abort(403)
    return user


def visible_users(viewer: users.User) -> list[users.User]:
    return users.all_users(None if viewer.rolle == "admin" else viewer.kommunekode)


def target(viewer: users.User, name: str) -> users.User:
    """The user `name` if the viewer may manage them; 404 otherwise (another municipality's users do not exist
    for a kommune_admin)."""
    user = users.get(brugernavn=name)
    if user is None or (viewer.rolle != "admin" and user.kommunekode != viewer.kommunekode):
        abort(404)
    return user


def restricted_areas() -> list[tuple[str, str]]:
    df = marts().query("""SELECT DISTINCT a.kode, a.navn, a.raekkefoelge FROM dim_dataomraade a
                          JOIN dim_noegletal d ON d.dataomraade = a.kode WHERE d.adgang = 'begraenset'
                          ORDER BY a.raekkefoelge""")
    return list(zip(df["kode"], df["navn"]))


LIST = """<p>Du er logget ind som <strong>{{ viewer.brugernavn }}</strong>
({{ navne[viewer.rolle] }}{% if viewer.kommunekode
%}, kommune {{ viewer.kommunekode }}{% endif %}). <a href="/logout">Log ud</a></p>
{% if temp %}<p role="status" class="opsummering">Midlertidig adgangskode til <strong>{{ temp[0] }}</strong>:
<code>{{ temp[1] }}</code> — vises kun denne ene gang; brugeren skal skifte den ved første login.</p>{% endif %}
<table class="metodetabel"><thead><tr><th>Bruger</th><th>Rolle</th><th>Kommune</th><th>Status</th>
<th>Lukkede områder</th><th>Handlinger</th></tr></thead><tbody>
{% for u in people %}<tr><td>{{ u.brugernavn }}</td><td>{{ navne[u.rolle] }}</td><td>{{ u.kommunekode or "–" }}</td>
<td>{{ "aktiv" if u.aktiv else "deaktiveret" }}</td><td>
<form method="post" action="/admin/brugere/{{ u.brugernavn }}/omraader">{{ form.csrf_token }}
{% for kode, navn in areas %}<label><input type="checkbox" name="omraade" value="{{ kode }}"
{% if kode in u.omraader %}checked{% endif %}> {{ navn }}</label> {% endfor %}
<label><input type="checkbox" name="bekraeft" value="1"> Kommunen står inde for en følsom kombination</label>
<button class="knap" type="submit">Gem områder</button></form></td><td>
<form method="post" action="/admin/brugere/{{ u.brugernavn }}/{{ 'deaktiver' if u.aktiv else 'aktiver' }}">
{{ form.csrf_token }}<button class="knap" type="submit">{{ "Deaktivér" if u.aktiv else "Aktivér" }}</button></form>
<form method="post" action="/admin/brugere/{{ u.brugernavn }}/nulstil">{{ form.csrf_token }}
<button class="knap" type="submit">Nulstil adgangskode</button></form></td></tr>{% endfor %}</tbody></table>
<h2>Opret bruger</h2><form method="post" action="/admin/brugere">{{ form.csrf_token }}
<p><label for="navn">Brugernavn</label><br><input id="navn" name="navn" class="tekstfelt" required maxlength="100"></p>
<p><label for="rolle">Rolle</label><br><select id="rolle" name="rolle">{% for r in roles %}
<option value="{{ r }}">{{ navne[r] }}</option>
{% endfor %}</select></p>{% if viewer.rolle == "admin" %}<p><label for="kommune">Kommunekode</label><br>
<input id="kommune" name="kommune" class="tekstfelt" maxlength="3"></p>{% endif %}
<p>{% for kode, navn in areas %}<label><input type="checkbox" name="omraade" value="{{ kode }}"> {{ navn }}</label>
{% endfor %}<label><input type="checkbox" name="bekraeft" value="1"> Kommunen står inde for en følsom kombination
</label></p><p><button class="knap" type="submit">Opret</button></p></form>"""


def _page(title: str, body: str, status: int = 200, message: str = "", **context) -> Response:
    inner = render_template_string(body, **context)
    return Response(render_template_string(PAGE, title=title, body=inner, message=message), status=status)


def _list(viewer: users.User, message: str = "", status: int = 200, temp: tuple | None = None) -> Response:
    roles = users.ROLLER if viewer.rolle == "admin" else ("laeser", "kommune_admin")
    return _page("Brugere", LIST, status, message, viewer=viewer, people=visible_users(viewer), form=EmptyForm(),
                 areas=restricted_areas(), roles=roles, navne=users.ROLLE_NAVN, temp=temp)


def _checked_form() -> None:
    if not EmptyForm().validate_on_submit():
        abort(Response("Formularen er udløbet. Gå tilbage, og prøv igen.", status=400))


@admin.get("/admin/brugere")
def list_users():
    return _list(require_admin())


@admin.post("/admin/brugere")
def create_user():
    viewer = require_admin()
    _checked_form()
    rolle = request.form.get("rolle", "laeser")
    kommune = request.form.get("kommune") if viewer.rolle == "admin" else viewer.kommunekode
    if viewer.rolle != "admin" and rolle not in ("laeser", "kommune_admin"):
        abort(403)
    temp = temporary_password()
    try:
        user = users.add(request.form.get("navn", ""), temp, rolle, kommune or None,
                         set(request.form.getlist("omraade")), af=viewer.brugernavn,
                         bekraeftet=request.form.get("bekraeft") == "1", skal_skifte=True)
    except users.UserError as exc:
        return _list(viewer, str(exc), 400)
    return _list(viewer, temp=(user.brugernavn, temp))


@admin.post("/admin/brugere/<name>/omraader")
def set_areas(name: str):
    viewer = require_admin()
    _checked_form()
    user = target(viewer, name)
    try:
        users.grant(user.brugernavn, set(request.form.getlist("omraade")), viewer.brugernavn,
                    bekraeftet=request.form.get("bekraeft") == "1")
    except users.UserError as exc:
        return _list(viewer, str(exc), 400)
    return redirect("/admin/brugere")


@admin.post("/admin/brugere/<name>/<action>")
def change_user(name: str, action: str):
    viewer = require_admin()
    _checked_form()
    user = target(viewer, name)
    if action in ("deaktiver", "aktiver"):
        users.set_active(user.brugernavn, action == "aktiver", viewer.brugernavn)
        return redirect("/admin/brugere")
    if action == "nulstil":
        temp = temporary_password()
        users.set_password(user.brugernavn, temp, viewer.brugernavn, skal_skifte=True)
        return _list(viewer, temp=(user.brugernavn, temp))
    abort(404)


def temporary_password() -> str:
    return secrets.token_urlsafe(12)


AUDIT = """<table class="metodetabel"><thead><tr><th>Tidspunkt (UTC)</th><th>Bruger</th><th>Handling</th>
<th>Detaljer</th><th>Adresse</th></tr></thead><tbody>{% for e in entries %}<tr><td>{{ e.tidspunkt }}</td>
<td>{{ e.bruger or "–" }}</td><td>{{ e.handling }}</td><td>{{ e.detaljer }}</td><td>{{ e.adresse or "–" }}</td>
</tr>{% endfor %}</tbody></table><p class="note">Slettepolitik: poster ældre end {{ days }} dage slettes med
<code>python -m kdk audit slet</code>.</p>"""


@admin.get("/admin/audit")
def audit_log():
    viewer = me()
    if viewer.rolle != "admin":
        abort(403)
    return _page("Auditlog", AUDIT, entries=audit.entries().itertuples(), days=audit.retention_days())


CHANGE = """<p>Du skal vælge en ny adgangskode (mindst 12 tegn, ikke let at gætte).</p>
<form method="post">{{ form.csrf_token }}<p><label for="nyt">Ny adgangskode</label><br>
{{ form.nyt(autocomplete="new-password", class_="tekstfelt") }}</p><p><button class="knap" type="submit">Gem</button>
</p></form>"""


@admin.route("/konto/kodeord", methods=["GET", "POST"])
def change_password():
    viewer = me()
    form = PasswordForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return _page("Skift adgangskode", CHANGE, 400, "Adgangskoden skal have mindst 12 tegn.", form=form)
        try:
            users.set_password(viewer.brugernavn, form.nyt.data, viewer.brugernavn)
        except users.UserError as exc:
            return _page("Skift adgangskode", CHANGE, 400, str(exc), form=form)
        return redirect("/")
    return _page("Skift adgangskode", CHANGE, form=form)


TOKENS = """<p>En personlig API-nøgle lader Excel eller Power BI hente de data, du selv har adgang til. Nøglen vises
kun én gang; behandl den som en adgangskode.</p>{% if new %}<p role="status" class="opsummering">Din nye nøgle:
<code>{{ new }}</code></p>{% endif %}<table class="metodetabel"><thead><tr><th>Navn</th><th>Oprettet</th>
<th>Status</th><th></th></tr></thead><tbody>{% for t in rows %}<tr><td>{{ t.navn }}</td><td>{{ t.oprettet }}</td>
<td>{{ "tilbagekaldt" if t.tilbagekaldt else "aktiv" }}</td><td>{% if not t.tilbagekaldt %}
<form method="post" action="/konto/tokens/{{ t.id }}/tilbagekald">{{ form.csrf_token }}
<button class="knap" type="submit">Tilbagekald</button></form>{% endif %}</td></tr>{% endfor %}</tbody></table>
<h2>Ny nøgle</h2><form method="post" action="/konto/tokens">{{ form.csrf_token }}<p><label for="navn">Navn (fx
"Power BI på min pc")</label><br><input id="navn" name="navn" class="tekstfelt" maxlength="100"></p>
<p><button class="knap" type="submit">Opret nøgle</button></p></form>"""


def _tokens_page(user: users.User, new: str | None = None) -> Response:
    rows = [r for r in tokens.listing(user).itertuples()]
    return _page("API-nøgler", TOKENS, rows=rows, form=EmptyForm(), new=new)


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
