"""gunicorn's threaded worker, with each request read whole before a thread takes it (gunicorn.conf.py uses it).

gunicorn's gthread worker hands a connection to one of its few threads as soon as the first byte arrives
(gunicorn/workers/gthread.py, `handle`: it waits 5 s for a first byte, then reads the rest blocking, with no
deadline). A client that sends its headers a byte at a time holds that thread as long as it likes, so 16 such
clients (2 workers x 4 threads, twice over) made the app unreachable. More threads only raise the number needed.
A socket timeout bounds each read, not the whole request, so a byte every few seconds still gets through.

Here the worker's main loop, which already waits on every idle connection with one selector, reads the request
itself without blocking: the head up to its blank line and a Content-Length body up to BODY_BYTES. Only then
does a thread get the connection, with those bytes put back in front of gunicorn's own parser, so a slow client
costs a file descriptor and never a thread. A connection whose request has not arrived within REQUEST_SECONDS
(head and body together, however steadily the bytes trickle) is closed; a head over HEAD_BYTES gets 431. A
larger or chunked body is read by the thread as before: the app's forms and callbacks are small, and the
deployment in deploy/ puts nginx, which buffers whole requests, in front. What waits is bounded by gunicorn's
worker_connections (1 000), each at most HEAD_BYTES + BODY_BYTES: about 320 MB a worker in the worst case.
Plain HTTP/1 only: with TLS or HTTP/2 prior knowledge configured on gunicorn itself, connections go the stock way.

Reads the sockets gunicorn accepts; writes nothing of its own.
"""
from __future__ import annotations

import contextlib
import re
import selectors
import time
from collections import deque
from functools import partial

from gunicorn.http2 import negotiation
from gunicorn.workers.gthread import ThreadWorker

REQUEST_SECONDS = 10            # a request's head and body must have arrived within this, from its first wait
HEAD_BYTES = 64 * 1024          # a larger head is refused (431); nginx's default allows 32 KiB
BODY_BYTES = 256 * 1024         # a body up to this is read before a thread takes the request
TOO_LARGE = b"HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d{1,12})[ \t]*(?=\r\n|$)", re.IGNORECASE)


def arrived(data: bytes) -> bool:
    """Whether `data` holds a whole request head and the body it announces (up to BODY_BYTES)."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return False
    length = CONTENT_LENGTH.search(data, 0, end)
    return length is None or len(data) - end - 4 >= min(int(length.group(1)), BODY_BYTES)


def oversized(data: bytes) -> bool:
    """Whether `data` holds more request head than HEAD_BYTES."""
    end = data.find(b"\r\n\r\n")
    return end > HEAD_BYTES or (end < 0 and len(data) > HEAD_BYTES)


class WholeRequestWorker(ThreadWorker):
    """ThreadWorker whose main loop gathers each request before a thread serves it (see the module)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.arriving = deque()     # connections whose request is still coming, oldest deadline first

    def enqueue_req(self, conn):
        if self.cfg.is_ssl or negotiation.prior_knowledge_allowed(self.cfg, conn.client):
            super().enqueue_req(conn)
            return
        # Bytes the parser read ahead (a pipelined request) are the start of the next one.
        conn.received = bytearray(conn.parser.unreader.take_buffered() if conn.parser else b"")
        conn.deadline = time.monotonic() + REQUEST_SECONDS
        conn.sock.setblocking(False)
        self.arriving.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.gather, conn))
        self.gather(conn)

    def gather(self, conn, _sock=None):
        """Read what the client has sent; once the request is whole, hand it to a thread."""
        if not arrived(conn.received):
            try:
                data = conn.sock.recv(65536)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:
                self.drop(conn)
                return
            conn.received += data
        if oversized(conn.received):
            with contextlib.suppress(OSError):
                conn.sock.send(TOO_LARGE)
            self.drop(conn)
            return
        if not arrived(conn.received):
            return
        self.stop_waiting(conn)
        if conn.parser is None:
            conn.init()
        conn.parser.unreader.unread(bytes(conn.received))
        conn.received = bytearray()
        super().enqueue_req(conn)

    def stop_waiting(self, conn):
        self.poller.unregister(conn.sock)
        self.arriving.remove(conn)

    def drop(self, conn):
        self.stop_waiting(conn)
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self):
        super().murder_pending()
        now = time.monotonic()
        while self.arriving and self.arriving[0].deadline <= now:
            self.log.debug("Closing a connection whose request did not arrive in %s s", REQUEST_SECONDS)
            self.drop(self.arriving[0])
