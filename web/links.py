"""Absolute links (the API's next page and OpenAPI server, the address to paste into Excel) and the hosts answered.

Links are built from KDK_BASE_URL when it is set, else from the request's host, which Flask's TRUSTED_HOSTS checks
against localhost, 127.0.0.1, the host of KDK_BASE_URL and those in KDK_TILLADTE_VAERTER: a request with any other
Host header gets 400, so a forged host never reaches a link, a cached page or a log. Reads the settings; writes the
Flask config.
"""
from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import SecurityError

from kdk.config import settings


def absolute(path: str) -> str:
    """The address of `path` (beginning with '/') on this site."""
    return (settings().base_url or request.host_url.rstrip("/")) + path


def install(server: Flask) -> None:
    """Answer the allowed hosts only; call before any other `before_request` is installed, so that none of them
    (the page guard, the render cache) answers a request whose host is refused."""
    server.config["TRUSTED_HOSTS"] = list(settings().allowed_hosts)

    @server.before_request
    def refuse_untrusted_host():
        if isinstance(request.routing_exception, SecurityError):
            raise request.routing_exception
