"""Lint throughput: variants per second for ``seqedit lint --all`` on the large account.

``seqedit lint`` runs as a child process (its whole wall time: start, listing, one steps request
per sequence, validation, printing) against a live ``seqedit sandbox`` on the cached database,
with no added latency: the figure is seqedit's own speed, not the network's.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tui.sandbox import DEMO_API_KEY

from .dataset import CACHE_DIR, large_db
from .report import Progress, Row, info
from .sandbox_process import child_env, sandbox_server

_SUMMARY = re.compile(r"^(\d+) variants? checked", re.M)


def run(sequences: int, progress: Progress, cache_dir: Path = CACHE_DIR) -> list[Row]:
    """One ``seqedit lint --all`` over ``sequences`` sequences; variants checked per second."""
    db = large_db(sequences, cache_dir)
    with tempfile.TemporaryDirectory(prefix="seqedit-bench-lint-") as tmp:
        home = Path(tmp)
        with sandbox_server(db, home, sequences=sequences) as base_url:
            env = child_env(home)
            env["SALESHANDY_API_KEY"] = DEMO_API_KEY  # the sandbox's own key, not a real one
            command = [sys.executable, "-m", "tui", "lint", "--all", "--base-url", base_url]
            progress(f"lint: seqedit lint --all over {sequences:,} sequences…")
            start = time.perf_counter()
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1800)
            elapsed = time.perf_counter() - start
    found = _SUMMARY.findall(done.stdout[-2000:])
    if done.returncode not in (0, 1, 2) or not found:
        raise RuntimeError(f"seqedit lint failed ({done.returncode}): {done.stderr[-500:]}")
    checked = int(found[-1])
    progress(f"lint: {checked:,} variants in {elapsed:.1f} s")
    return [
        info(
            "lint",
            f"seqedit lint --all: {checked:,} variants in {elapsed:.1f} s (live sandbox, no latency)",
            checked / elapsed if elapsed > 0 else 0.0,
            "variants/s",
        ),
    ]
