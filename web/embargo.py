"""POST /publicering/embargo: the publication team sets or changes a staged release's embargo time.

A plain, CSRF-protected Flask form (the form itself is drawn on /publicering), for those who `kan_publicere`
(asked of web.viewer.person); anyone else gets 404 like any unknown address. The date and time are Danish
wall-clock time (Europe/Copenhagen), written the Danish way in either language: 12.01.2027 and 09.00 (or 09:00). A
refused time (kdk.marts.embargo: a published release, a time past, an order the releases cannot be published in)
gets a page with its reason in the request's language and HTTP 400, or 409 for a release already published. While
a build, a load or a fetch writes the marts, the request waits for it at most KDK_SKRIVER_VENT_SEKUNDER, then gets
409 ("Data bliver opdateret lige nu") with nothing changed, rather than hold a worker for minutes. A change writes
new marts (visibility follows at once), is audited (in Danish, as the audit log is kept) and goes back to the release
on /publicering; a change that stands here but did not reach the other app servers (KDK_UDGIV_TIL) instead gets a
page that warns of it, and the audit entry says so too.
"""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from flask import Blueprint, abort, redirect, request

from kdk import sprog
from kdk.auth import audit
from kdk.config import settings
from kdk.marts import embargo as embargo_store
from kdk.sprog import gettext
from web import viewer
from web.login import EmptyForm, page

embargo = Blueprint("embargo", __name__, template_folder="templates")


@embargo.post("/publicering/embargo")
def change():
    if not viewer.person().kan_publicere:
        abort(404)
    release_id = request.form.get("release", "")[:100]
    if not EmptyForm().validate_on_submit():
        return _refused(release_id, gettext("Formularen er udløbet. Gå tilbage, og prøv igen."), 400)
    when = _danish_time(request.form.get("dato", ""), request.form.get("tid", ""))
    if when is None:
        return _refused(release_id, gettext("Angiv embargotidspunktet som en dato og et klokkeslæt, fx 12.01.2027 "
                                            "og 09.00."), 400)
    try:
        changed = embargo_store.change(settings(), release_id, when, settings().writer_wait_seconds)
    except embargo_store.EmbargoError as exc:
        conflict = isinstance(exc, embargo_store.Published | embargo_store.Busy)
        return _refused(release_id, str(exc), 409 if conflict else 400)
    with sprog.brug(sprog.DANSK):
        detail = f"release {release_id}: {embargo_store.vist(changed.before)} → {embargo_store.vist(when)}"
        if changed.undelivered:
            detail += f"; ikke leveret til de andre servere: {changed.undelivered}"
    audit.log("embargo_aendret", viewer.user().brugernavn, detail, request.remote_addr)
    if changed.undelivered:
        return page("embargo.html", gettext("Embargotidspunktet er kun ændret på denne server"), 200,
                    gettext("Embargotidspunktet er ændret på denne server, men ændringen nåede ikke de andre "
                            "servere: udgivelsen til {mappe} mislykkedes, og indtil den lykkes, gælder det gamle "
                            "tidspunkt på dem. Ret fejlen (se loggen), og kør python -m kdk udgiv.").format(
                        mappe=settings().udgiv_til), back=_back(release_id))
    return redirect(_back(release_id), 303)


def _danish_time(dato: str, tid: str) -> dt.datetime | None:
    """'12.01.2027' and '09.00' (or '09:00') as a time, else None."""
    try:
        return dt.datetime.strptime(f"{dato.strip()} {tid.strip().replace(':', '.')}", "%d.%m.%Y %H.%M")
    except ValueError:
        return None


def _refused(release_id: str, message: str, status: int):
    return page("embargo.html", gettext("Embargotidspunktet er ikke ændret"), status, message, back=_back(release_id))


def _back(release_id: str) -> str:
    """The release on /publicering, or the page itself without one."""
    return f"/publicering?{urlencode({'release': release_id})}" if release_id else "/publicering"
