"""The app reports its own time per request in a Server-Timing header (read by the load benchmark)."""
from __future__ import annotations

import re

from tests.dash_http import call


def test_a_callback_response_carries_the_apps_own_duration(client, app):
    r = call(client, app, {"_pages_location.pathname": "/kommune/101", "_pages_location.search": ""})
    assert r.status_code == 200
    assert re.match(r"app;dur=\d+\.\d(, |$)", r.headers["Server-Timing"])


def test_a_page_and_an_error_carry_it_too(client):
    assert client.get("/kommune/101").headers["Server-Timing"].startswith("app;dur=")
    assert client.get("/findes-ikke").headers["Server-Timing"].startswith("app;dur=")
