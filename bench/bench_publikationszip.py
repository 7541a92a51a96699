"""Benchmark: the publication's files as one zip (`kdk.export.zipfiles.streamed_zip`, what
/eksport/publikation/<tema>/<release> sends): 100 files of `--mb` MB each (random bytes, which do not compress, like
PDFs), streamed and counted. Prints the zip's size, the time and the peak of Python's memory while streaming it
(tracemalloc). Target: the memory stays near one read chunk (kdk.export.zipfiles.CHUNK, 1 MB), whatever the total.
Run: `.venv/bin/python bench/bench_publikationszip.py [--mb 2]`.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kdk.export.zipfiles import streamed_zip  # noqa: E402

FILES = 100   # hele landet, 98 municipalities and the combined file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0, help="size of each file in MB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i in range(FILES):
            path = Path(tmp) / f"del-{i:03d}.pdf"
            path.write_bytes(os.urandom(int(args.mb * 1e6)))
            files.append(path)
        tracemalloc.start()
        began = time.perf_counter()
        size = sum(len(piece) for piece in streamed_zip(files))
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1]
    print(f"{FILES} files of {args.mb:g} MB: a zip of {size / 1e6:.0f} MB streamed in {seconds:.2f} s; "
          f"peak Python memory while streaming {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
