"""Guesses at follow codes (web/foelg.py), counted per client address, so that nobody finds a running session by
trying codes.

A miss is a code that was never given out (kdk.auth.foelg.udstedt): asking for a session that has ended is no guess
(each of its viewers' browsers asks once more when it ends). An address here is an IPv4 address or an IPv6 /64
network (`netvaerk`): an IPv6 client may take a new address in its /64 for every guess. An address with
MAKS_FORKERTE misses within VINDUE_SEKUNDER is refused (`vent` > 0) until the oldest of them leaves the window,
except for the codes it found before (`fundet`), while they are in use: hundreds of viewers behind one NAT share an
address, and those who open the code their colleagues already follow are never slowed by a few who mistyped it.

Kept in this worker's memory (`GAET`), bounded: at most ADRESSER addresses with misses and KENDTE (address, code)
pairs, the least recently used forgotten first. With W workers on each of S servers an address may make
S × W × MAKS_FORKERTE misses in a window (two servers of two workers: 80) among some 887 million codes: about a
year of guessing from one address to find one of a hundred sessions running at once. So the count is not shared
through the user database, which would put a write on the path of every mistyped code.
Reads and writes nothing outside the process.
"""
from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import deque

from cachetools import TTLCache

MAKS_FORKERTE = 20
VINDUE_SEKUNDER = 600
ADRESSER = 10_000
KENDTE = 10_000


def netvaerk(adresse: str) -> str:
    """Whom misses are counted for: an IPv4 address, or an IPv6 address's /64 (one client's network: it may take a
    new address in it for every guess); anything else as it is."""
    try:
        ip = ipaddress.ip_address(adresse)
    except ValueError:
        return adresse
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else adresse


class Gaet:
    """The misses and found codes of the addresses that asked lately."""

    def __init__(self) -> None:
        self._forkerte: TTLCache = TTLCache(maxsize=ADRESSER, ttl=VINDUE_SEKUNDER)   # address: its miss times
        self._kendte: TTLCache = TTLCache(maxsize=KENDTE, ttl=VINDUE_SEKUNDER)       # (address, code): True
        self._lock = threading.Lock()

    def vent(self, adresse: str, kode: str) -> int:
        """Whole seconds the client at `adresse` must wait before it may ask for `kode`; 0: it may ask now."""
        adresse = netvaerk(adresse)
        with self._lock:
            misses = self._forkerte.get(adresse)
            if misses is None or len(misses) < MAKS_FORKERTE or (adresse, kode) in self._kendte:
                return 0
            return max(0, math.ceil(misses[0] + VINDUE_SEKUNDER - time.monotonic()))

    def forkert(self, adresse: str) -> None:
        """The client at `adresse` asked for a code that was never given out."""
        adresse = netvaerk(adresse)
        with self._lock:
            misses = self._forkerte.get(adresse) or deque(maxlen=MAKS_FORKERTE)
            misses.append(time.monotonic())
            self._forkerte[adresse] = misses   # kept for a window after its newest miss

    def fundet(self, adresse: str, kode: str) -> None:
        """The client at `adresse` asked for the running session `kode`: it may keep asking for it."""
        with self._lock:
            self._kendte[(netvaerk(adresse), kode)] = True


GAET = Gaet()
