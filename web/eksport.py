"""/eksport/<file>: download of a built release bundle or publication PDF (the publication page's jobs write them,
kdk.export.jobs); /eksport/publikation/<tema>/<release>: every file of a finished publication job as one zip,
streamed from the export folder as it is read (kdk.export.zipfiles). For the publication team only (those who
`kan_publicere`, asked of web.viewer.person); anyone else gets 404, and so does a publication whose job is not done.
Each download is audited."""
from __future__ import annotations

from flask import Blueprint, Response, abort, request, send_from_directory

from kdk import publikation
from kdk.auth import audit
from kdk.config import settings
from kdk.export.zipfiles import streamed_zip
from web import viewer

eksport = Blueprint("eksport", __name__)


def _team_only() -> None:
    """404 for anyone but the publication team."""
    if not viewer.person().kan_publicere:
        abort(404)


def _audited(name: str) -> None:
    user = viewer.user()
    audit.log("eksport_hentet", user.brugernavn if user else None, name, request.remote_addr)


@eksport.get("/eksport/<name>")
def download(name: str):
    _team_only()
    if not (name.startswith("kdk-release-") and name.endswith(".zip") or name.endswith(".pdf")):
        abort(404)
    _audited(name)
    return send_from_directory(settings().export_dir, name, as_attachment=True)


@eksport.get("/eksport/publikation/<tema>/<release>")
def publication_zip(tema: str, release: str):
    _team_only()
    files = publikation.filer(settings().export_dir, release, tema)
    if not files:
        abort(404)
    name = publikation.zipnavn(release, tema)
    _audited(name)
    return Response(streamed_zip(files), mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
