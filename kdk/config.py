"""Settings with defaults, each overridable by a KDK_* environment variable.

Reads the environment; writes nothing.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    marts_path: Path          # the link the app reads; points at a versioned file in marts_dir
    keep_versions: int        # versioned marts files kept after a switch (running workers may still read old ones)
    themes_dir: Path          # theme files (data/temaer/*.toml), validated and loaded by the build
    export_dir: Path          # release bundles built from the publication page
    warmup_seconds: float     # a gunicorn worker's warm-up renders pages for at most this long (web/warmup.py)
    answers_max_bytes: int    # query answers a worker keeps, all together (kdk/queries/cache.py)
    renders_max_bytes: int    # rendered pages a worker keeps, with their compressed copies (web/rendercache.py)
    xlsx_samtidige: int       # large Excel exports a worker writes at once; more get 429 (web/api.py)
    base_url: str | None      # the public address absolute links are built from (web/links.py); None: the request's
    allowed_hosts: tuple[str, ...]   # Host headers answered (others get 400): so a forged one reaches no link

    @property
    def marts_dir(self) -> Path:
        return self.marts_path.parent / "marts"

    @property
    def sources_dir(self) -> Path:
        return self.data_dir / "kilder"

    @property
    def catalogue_path(self) -> Path:
        return self.data_dir / "noegletal.toml"


def settings() -> Settings:
    """The settings as the environment's KDK_* variables give them now (read on every call, built once per set of
    values: a login asks about ten times, and building them costs more than the rest of its bookkeeping)."""
    return _settings(tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("KDK_"))))


@functools.lru_cache(maxsize=8)
def _settings(_kdk_environment: tuple) -> Settings:
    data_dir = Path(os.environ.get("KDK_DATA_DIR", PROJECT_DIR / "data"))
    base_url = os.environ.get("KDK_BASE_URL", "").strip().rstrip("/") or None
    # Loopback always (the warm-up renders pages as localhost), the base URL's host, and those listed.
    hosts = ["localhost", "127.0.0.1", urlsplit(base_url or "").hostname or "",
             *os.environ.get("KDK_TILLADTE_VAERTER", "").split(",")]
    return Settings(
        data_dir=data_dir,
        marts_path=Path(os.environ.get("KDK_MARTS", data_dir / "kdk.duckdb")),
        keep_versions=int(os.environ.get("KDK_KEEP_VERSIONS", "3")),
        themes_dir=Path(os.environ.get("KDK_TEMAER_DIR", data_dir / "temaer")),
        export_dir=Path(os.environ.get("KDK_EKSPORT_DIR", data_dir / "eksport")),
        warmup_seconds=float(os.environ.get("KDK_OPVARMNING_SEKUNDER", "30")),
        answers_max_bytes=int(float(os.environ.get("KDK_CACHE_SVAR_MB", "256")) * 2**20),
        renders_max_bytes=int(float(os.environ.get("KDK_CACHE_SIDER_MB", "64")) * 2**20),
        xlsx_samtidige=int(os.environ.get("KDK_XLSX_SAMTIDIGE", "2")),
        base_url=base_url,
        allowed_hosts=tuple(dict.fromkeys(h.strip() for h in hosts if h.strip())),
    )
