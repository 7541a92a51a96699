"""gunicorn as deployed: `gunicorn --config gunicorn.conf.py "app:create_app()"`, the app made by app.py's factory in
each worker after the fork. Each worker opens its own read-only DuckDB connection lazily (kdk.db), and is warmed
before it takes traffic (web/warmup.py): the pages asked for most are rendered once, which opens the connection and
fills the answers every municipality shares, so the first requests after a start are as fast as the rest and never
fail; each later release is warmed the same way before the worker serves it (web/epoch.py). Then everything alive is
moved out of the garbage collector's sight (gc.freeze): a full collection would otherwise walk the ~200 000 objects of
Dash, Plotly and pandas, a pause of about 0,1 s in a request now and then. The worker is gunicorn's gthread with each
request read whole, within 10 s, before a thread takes it (web/worker.py), so slow clients hold no thread; behind
nginx (deploy/), the client's address comes from X-Forwarded-For, believed from `forwarded_allow_ips` only
(web/proxy.py). The access log shows no API token (kdk/auth/redact.py) and no Authorization header. The KDK_*
settings come from kdk/config.py; a warm-up budget the worker timeout would cut short stops the start, and so does a
shared user database (not SQLite) without KDK_SECRET_KEY.
"""
import gc

from gunicorn.glogging import Logger

from kdk.auth.redact import REDACTED, redact
from kdk.config import settings

bind = settings().bind
workers = settings().workers
worker_class = "web.worker.WholeRequestWorker"   # gthread, reading each request whole first
threads = settings().threads
timeout = 60
settings().check_warmup_within(timeout)   # a worker still warming at the timeout is killed, and never serves
settings().check_shared_secret()          # servers sharing the user database must share the secret key
graceful_timeout = 20
keepalive = 5
accesslog = settings().access_log
preload_app = False


class AccessLogger(Logger):
    """gunicorn's logger, whose access-log fields (request line, query, referer, headers) carry no secret."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: REDACTED if key in ("{authorization}i", "{http_authorization}e")
                else redact(value) if isinstance(value, str) else value for key, value in atoms.items()}


logger_class = AccessLogger


def post_worker_init(worker):
    """Believe X-Forwarded-For from the proxy (web/proxy.py); warm the worker (web/warmup.py: the pages asked for
    most, rendered once), then freeze what is alive. Other apps served with these settings (the load benchmark's
    yardstick) are not warmed."""
    from web.proxy import behind_proxy

    server = worker.wsgi   # what the factory made (app.py)
    worker.wsgi = behind_proxy(server, worker.cfg.forwarded_allow_ips)
    if worker.app.app_uri != "app:create_app()":
        return
    from kdk.db import marts
    from web import epoch, warmup

    release = marts().live
    done, of = warmup.warm(server, settings().warmup_seconds, release)
    epoch.serve_warmed(server, release)
    gc.freeze()
    worker.log.info("worker %s warmed: %d of %d pages", worker.pid, done, of)
