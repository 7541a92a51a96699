"""No secret in the logs: an API token sent in the query (`?token=`, however the name is encoded) or in a Referer
appears in neither gunicorn's access log nor the app's log, while the request itself is logged and served."""
from __future__ import annotations

import requests

from kdk.auth import tokens, users
from tests.conftest import running_server
from tests.test_auth import GOOD

URL = "/api/v1/data?noegletal=ubu.anbragte&kommune=101&periode=2024&format=json"


def test_api_tokens_are_used_but_never_written_to_a_log(built, tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'brugere.sqlite'}"
    monkeypatch.setenv("KDK_BRUGER_DB", db)
    token = tokens.create(users.add("anna", GOOD, "laeser", "101", {"ubu"}), "Power BI")
    access = tmp_path / "access.log"
    env = {"KDK_BRUGER_DB": db, "KDK_ACCESS_LOG": str(access), "KDK_LOG_LEVEL": "INFO"}
    with running_server(built, workers=1, extra_env=env, warm=False) as base:
        assert requests.get(base + URL, timeout=30).status_code == 400                       # restricted: no token
        assert requests.get(f"{base}{URL}&token={token}", timeout=30).status_code == 200
        assert requests.get(f"{base}{URL}&%74oken={token}", timeout=30).status_code == 200    # the name encoded
        assert requests.get(base + URL, headers={"Authorization": f"Bearer {token}"}, timeout=30).status_code == 200
        assert requests.get(f"{base}/kommune/999?token={token}", timeout=30).status_code == 404  # a refused page
        requests.get(f"{base}/", headers={"Referer": f"{base}{URL}&token={token}"}, timeout=30)
        app_log = (built.marts_path.parent / f"gunicorn-{base.rsplit(':', 1)[1]}.log").read_text()
    lines = access.read_text()
    assert lines.count("/api/v1/data?noegletal=ubu.anbragte") >= 5     # the requests are logged ...
    assert "/kommune/999?token=" in lines and "page request refused" in app_log
    assert token not in lines and token not in app_log                              # ... their token is not
    assert token.removeprefix(tokens.PREFIX)[:12] not in lines + app_log            # not even in part
