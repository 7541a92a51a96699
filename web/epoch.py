"""Each request reads which marts release is live, and its embargo state, once: a WSGI wrapper holding
kdk.queries.cache.pinned() around the request, so a page's many cached queries neither follow the marts link nor
read the clock again, and all use the answers of one release. Reads the marts link and the clock; writes nothing.
"""
from __future__ import annotations

from flask import Flask

from kdk.queries.cache import pinned


def install(server: Flask) -> None:
    inner = server.wsgi_app

    def one_epoch(environ, start_response):
        with pinned():
            return inner(environ, start_response)

    server.wsgi_app = one_epoch
