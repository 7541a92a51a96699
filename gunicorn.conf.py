"""gunicorn as deployed: `gunicorn --config gunicorn.conf.py app:server`.

Each worker opens its own read-only DuckDB connection lazily, after the fork (kdk.db), and is warmed
before it takes traffic: the connection is opened and the pages' queries and layouts run once, so
the first requests after a start are as fast as the rest and never fail. Then everything alive is moved out
of the garbage collector's sight (gc.freeze): a full collection would otherwise walk the ~200 000 objects of
Dash, Plotly and pandas, a pause of about 0,1 s in a request now and then.
"""
import gc
import os

bind = os.environ.get("KDK_BIND", "127.0.0.1:8050")
workers = int(os.environ.get("KDK_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("KDK_THREADS", "4"))
timeout = 60
graceful_timeout = 20
keepalive = 5
accesslog = os.environ.get("KDK_ACCESS_LOG", "-")
preload_app = False


def post_worker_init(worker):
    """Warm the worker: open the marts, load the app's layout and render the front page and a profile.
    Other apps served with these settings (the load benchmark's yardstick) are not warmed."""
    if worker.app.app_uri != "app:server":
        return
    import dash

    from app import server

    with server.test_client() as client:
        for path in ("/", "/_dash-layout", "/_dash-dependencies", "/kommune/101"):
            status = client.get(path).status_code
            if status >= 500:
                raise RuntimeError(f"warm-up request {path} failed with HTTP {status}")
    with server.test_request_context("/"):
        dash.page_registry["pages.forside"]["layout"]()
        dash.page_registry["pages.kommune"]["layout"](kode="101")
    gc.freeze()
    worker.log.info("worker %s warmed", worker.pid)
