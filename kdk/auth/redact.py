"""Secrets kept out of the logs: the value of every `token` query parameter (an API token, however the name is
percent-encoded) is replaced by REDACTED. `redact` serves gunicorn's access log (gunicorn.conf.py) and
`RedactingFormatter` the app's own log lines (installed in app.py). Reads and writes nothing but the text it is
given."""
from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

REDACTED = "REDACTED"
_PAIR = re.compile(r"(?:^|(?<=[?&;]))([^=&;?#\s\"]+)=([^&;#\s\"]*)")


def redact(text: str) -> str:
    """`text` (a URL, a query string, a request line, a log message) with each token parameter's value hidden."""
    return _PAIR.sub(lambda m: f"{m[1]}={REDACTED}" if unquote_plus(m[1]).strip().lower() == "token" else m[0], text)


class RedactingFormatter(logging.Formatter):
    """A formatter whose lines (message, arguments, traceback) show no token value."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
