"""Secrets kept out of the logs: the value of every `token` query parameter (an API token, however the name is
percent-encoded) is replaced by REDACTED. `redact` serves gunicorn's access log (gunicorn.conf.py) and
`RedactingFilter` the app's own log lines (installed in app.py). Reads and writes nothing but the text it is given."""
from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

REDACTED = "REDACTED"
_PAIR = re.compile(r"(?:^|(?<=[?&;]))([^=&;?#\s\"]+)=([^&;#\s\"]*)")


def redact(text: str) -> str:
    """`text` (a URL, a query string, a request line, a log message) with each token parameter's value hidden."""
    return _PAIR.sub(lambda m: f"{m[1]}={REDACTED}" if unquote_plus(m[1]).strip().lower() == "token" else m[0], text)


class RedactingFilter(logging.Filter):
    """Hides token values in a record's message (its arguments are formatted in first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), None
        return True
