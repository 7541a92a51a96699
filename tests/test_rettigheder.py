"""One permission vocabulary, attacked from outside: for each role (and anonymous), what the publication page, the
user administration, another municipality's users, the audit log, an embargoed figure, the account links and the
second factor allow — the same outcomes whichever property of the vocabulary answers them; and no role string
outside kdk/auth, where the vocabulary is declared."""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from kdk.auth import users
from kdk.auth.rettigheder import ROLLER
from kdk.cli import main
from tests.test_admin import sign_in_with_code
from tests.test_auth import GOOD, log_out, sign_in
from tests.test_ingest import all_98, wide_file

# Who is who: a reader and a municipal administrator of Copenhagen (101), the publication team, an administrator.
PERSONS = {"anonym": None, "laeser": ("kbh-laeser", "laeser", "101"),
           "kommune_admin": ("kbh-admin", "kommune_admin", "101"), "redaktion": ("red", "redaktion", None),
           "admin": ("chef", "admin", None)}

# What each may do today: HTTP statuses, and what the account links and the login offer. 302 is "sign in first".
EXPECTED = {
    "anonym": {"publicering": 404, "brugere": 302, "anden_kommunes_bruger": 302, "auditlog": 302,
               "embargo": 400, "link_publicering": False, "link_brugere": False, "anden_faktor": False},
    "laeser": {"publicering": 404, "brugere": 403, "anden_kommunes_bruger": 403, "auditlog": 403,
               "embargo": 400, "link_publicering": False, "link_brugere": False, "anden_faktor": False},
    "kommune_admin": {"publicering": 404, "brugere": 200, "anden_kommunes_bruger": 404, "auditlog": 403,
                      "embargo": 400, "link_publicering": False, "link_brugere": True, "anden_faktor": True},
    "redaktion": {"publicering": 200, "brugere": 403, "anden_kommunes_bruger": 403, "auditlog": 403,
                  "embargo": 200, "link_publicering": True, "link_brugere": False, "anden_faktor": True},
    "admin": {"publicering": 200, "brugere": 200, "anden_kommunes_bruger": 200, "auditlog": 200,
              "embargo": 200, "link_publicering": True, "link_brugere": True, "anden_faktor": True},
}


@pytest.fixture
def everyone(fresh_marts, tmp_path, monkeypatch):
    """Marts with skole.karakter 2026 staged under embargo until 2099; one user of each role, and a reader of
    Frederiksberg (147), whom only an administrator may manage."""
    monkeypatch.setenv("KDK_MARTS", str(fresh_marts.marts_path))
    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    assert main(["ingest", str(wide_file(tmp_path / "k.csv", all_98("7,7"))), "--noegletal", "skole.karakter",
                 "--embargo-til", "2099-01-01 10:00"]) == 0
    for person in filter(None, PERSONS.values()):
        users.add(person[0], GOOD, person[1], person[2])
    users.add("frb-laeser", GOOD, "laeser", "147")


def allowed(client, person) -> dict:
    """What `person` gets, signed in as they would be."""
    log_out(client)
    anden_faktor = False
    if person:
        anden_faktor = sign_in(client, person[0]).headers["Location"].startswith("/login/kode")
        if anden_faktor:
            log_out(client)
            sign_in_with_code(client, person[0])
    shell = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    return {"publicering": client.get("/publicering").status_code,
            "brugere": client.get("/admin/brugere").status_code,
            "anden_kommunes_bruger": client.get("/admin/brugere/frb-laeser").status_code,
            "auditlog": client.get("/admin/audit").status_code,
            "embargo": client.get("/?noegletal=skole.karakter&aar=2026").status_code,
            "link_publicering": '"/publicering"' in shell, "link_brugere": '"/admin/brugere"' in shell,
            "anden_faktor": anden_faktor}


def test_each_role_is_allowed_what_it_was_and_no_more(everyone, client, app):
    assert {role: allowed(client, person) for role, person in PERSONS.items()} == EXPECTED


ROOT = Path(__file__).resolve().parent.parent


def test_no_role_string_outside_kdk_auth():
    """Code and templates ask the user what they may do; only kdk/auth knows the roles by name."""
    sources = [p for folder in ("kdk", "web", "pages", "components") for p in (ROOT / folder).rglob("*.py")
               if (ROOT / "kdk" / "auth") not in p.parents] + [ROOT / "app.py"]
    found = [f"{p.relative_to(ROOT)}:{node.lineno} {node.value!r}" for p in sources
             for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
             if isinstance(node, ast.Constant) and node.value in ROLLER]
    quoted = re.compile("[\"'](" + "|".join(ROLLER) + ")[\"']")
    found += [f"{p.relative_to(ROOT)}:{number} {match[0]}" for p in (ROOT / "web" / "templates").glob("*.html")
              for number, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
              for match in quoted.finditer(line)]
    assert found == []
