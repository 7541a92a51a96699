"""Texts, the API's own explanations, error pages that point to valid values, and the embeddable charts, over HTTP
as an anonymous visitor (or a signed-in reader) sees them (issue 22, items 5 and 6)."""
from __future__ import annotations

import json

import pytest

from kdk import cli
from tests.dash_http import render


def test_no_screen_or_command_says_marts(client, app, capsys):
    """"Marts" reads as the month March: /datastatus describes the release and the command line its work in plain
    Danish."""
    page = render(client, app, "/datastatus")
    assert "Data bygget fra de medfølgende kilder" in page and "marts" not in page.lower()
    for argv in (["--help"], ["build", "--help"], ["ingest", "--help"]):
        with pytest.raises(SystemExit):
            cli.main(argv)
        assert "marts" not in capsys.readouterr().out.replace("kdk/marts", "").lower()
