"""The client's address behind the documented nginx (deploy/nginx.conf), for the logs, the audit and the throttling.

nginx passes the address it saw in X-Forwarded-For, replacing whatever the client claimed. That header is
believed only from gunicorn's `forwarded_allow_ips` (127.0.0.1 by default, where nginx connects from; the same
setting gunicorn uses for X-Forwarded-Proto), and then only its last address, the proxy's own; from anywhere
else it is ignored, so a client talking to gunicorn directly cannot pose as another address. Werkzeug's ProxyFix
does the rewriting; this decides whom to believe.

Reads the WSGI environ; sets REMOTE_ADDR (ProxyFix keeps the original in `werkzeug.proxy_fix.orig`).
"""
from __future__ import annotations

import ipaddress

from werkzeug.middleware.proxy_fix import ProxyFix


def behind_proxy(app, allowed: list[str]):
    """`app`, with REMOTE_ADDR taken from X-Forwarded-For when the request comes from an address in `allowed`
    (addresses or networks, `*` for any)."""
    fixed = ProxyFix(app, x_for=1)
    networks = [ipaddress.ip_network(a, strict=False) for a in allowed if a != "*"]

    def trusted(address: str) -> bool:
        if "*" in allowed:
            return True
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in networks)

    def serve(environ, start_response):
        return (fixed if trusted(environ.get("REMOTE_ADDR", "")) else app)(environ, start_response)

    return serve
