"""The app on a private loopback port, for the publication renderer (kdk/publikation.py) alone.

kdk/privatserver.py `running()` starts `python -m web.privatserver` as a child process: it builds the app
(app.create_app, reading the same KDK_* settings as the caller), binds 127.0.0.1 on a port the system picks, and
writes the port to its standard output. Every request it answers reads the marts file it is given (pinned, as a
warm-up request is: web/warmup.py RELEASE) with the scope `SCOPE`: public key figures, releases under embargo
included, so the publication shows a staged release's data before its time.

Why that is safe: the scope is set only in this child's own WSGI wrapper, through environ keys no HTTP header can
set; the server listens on loopback only, and answers nothing (404) to a request without the random key
(`HEADER`) made for this run, which the parent hands the child on standard input (not on its command line, which
other users of the machine can read) and gives only to its own browser. No restricted data area is in the scope,
and the child is stopped when `running()` ends. Reads the marts; writes nothing.
"""
from __future__ import annotations

import hmac
import logging
import sys

from kdk.privatserver import HEADER
from kdk.queries.scope import Scope

SCOPE = Scope(se_embargo=True)
_ENVIRON_KEY = "HTTP_" + HEADER.upper().replace("-", "_")


def private(app, token: str, release_file: str):
    """`app` (a WSGI app) answering only requests that carry `token`, each with `SCOPE` on the marts file
    `release_file`."""
    from web.viewer import WARM_UP_SCOPE
    from web.warmup import RELEASE

    def wrapped(environ, start_response):
        if not hmac.compare_digest(environ.get(_ENVIRON_KEY, "").encode(), token.encode()):
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Siden findes ikke."]
        environ[WARM_UP_SCOPE] = SCOPE
        environ[RELEASE] = release_file
        environ.pop("HTTP_ACCEPT_ENCODING", None)   # loopback: compressing the answers would only cost CPU
        return app(environ, start_response)

    return wrapped


def main() -> None:
    """The child: read the key and the marts file from standard input, serve until terminated."""
    from werkzeug.serving import make_server

    from app import create_app

    token, release_file = sys.stdin.readline().strip(), sys.stdin.readline().strip()
    server = make_server("127.0.0.1", 0, private(create_app().wsgi_app, token, release_file), threaded=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    print(server.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
