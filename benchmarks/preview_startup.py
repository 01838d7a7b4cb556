"""Headless preview start-up: ``seqedit preview FILE.html`` as a whole process (what the installed
``seqedit`` script runs), against a bare ``python -c "import selectolax"`` process (issue 17 item
6), one importing the parser the renderer uses (``selectolax.lexbor``), and a floor: argparse and
that parser as seqedit loads it.

Both run as child processes with stdout to a pipe (the plain-text path), alternating A, B, A,
B… in the same run so a busy moment on the machine hits both alike. The email is the golden
cold email (a few KB): what is measured is start-up, not rendering.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .report import Progress, Row, at_most, info
from .sandbox_process import child_env
from .stats import median, ratio

GOAL = 2.0
EMAIL = Path(__file__).resolve().parent.parent / "tests" / "golden" / "preview" / "cold_email.html"


def _run_once(command: list[str], env: dict[str, str], cwd: Path) -> float:
    """Seconds from spawning ``command`` to its exit (it must succeed)."""
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, capture_output=True, timeout=120, check=True)
    return time.perf_counter() - start


def run(runs: int, progress: Progress) -> list[Row]:
    """Median wall time of both processes, interleaved, and their ratio."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="seqedit-bench-preview-") as tmp:
        env = child_env(Path(tmp))
        commands = {
            # What the installed `seqedit` script runs (pip's console script: these lines), not
            # `python -m tui`, whose runpy brings importlib.util and contextlib (~5 ms) that a
            # person typing `seqedit preview` never pays.
            "preview": [
                sys.executable,
                "-c",
                "import re, sys; from tui.cli import main; sys.exit(main())",
                "preview",
                str(EMAIL),
                "--width",
                "72",
            ],
            "bare": [sys.executable, "-c", "import selectolax"],  # as issue 17 states the goal
            # The parser the renderer uses: selectolax's package import alone loads none of it.
            "lexbor": [sys.executable, "-c", "import selectolax.lexbor"],
            # What any argparse command line rendering with that parser loads before its own
            # code: argparse (with re and gettext) and the parser as seqedit loads it (without
            # logging, tui/preview/parser.py).
            "floor": [
                sys.executable,
                "-c",
                "import argparse; argparse.ArgumentParser().parse_args([]); "
                "from tui.preview.parser import parser_class; parser_class()",
            ],
        }
        for command in commands.values():  # bytecode compiled once: not start-up
            _run_once(command, env, root)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for index in range(max(3, runs * 3)):
            for name, command in commands.items():
                times[name].append(_run_once(command, env, root))
            progress(
                f"preview start-up {index + 1}: "
                + ", ".join(f"{name} {samples[-1] * 1000:.0f} ms" for name, samples in times.items())
            )
    preview_ms, bare_ms = median(times["preview"]) * 1000, median(times["bare"]) * 1000
    lexbor_ms = median(times["lexbor"]) * 1000
    floor_ms = median(times["floor"]) * 1000
    samples = len(times["preview"])
    return [
        info("preview", f"seqedit preview FILE.html, whole process, median of {samples}", preview_ms, "ms"),
        info("preview", f'bare python -c "import selectolax", median of {samples}', bare_ms, "ms"),
        at_most("preview", "seqedit preview / bare selectolax", ratio(preview_ms, bare_ms), "×", GOAL),
        info("preview", f'bare python -c "import selectolax.lexbor", median of {samples}', lexbor_ms, "ms"),
        info(
            "preview",
            "seqedit preview / bare selectolax.lexbor",
            ratio(preview_ms, lexbor_ms),
            "×",
            note="`import selectolax` loads no parser (an empty package): the lexbor row is the parser's own cost",
        ),
        info("preview", f"floor: argparse and the parser as seqedit loads it, median of {samples}", floor_ms, "ms"),
        info(
            "preview",
            "floor / bare selectolax",
            ratio(floor_ms, bare_ms),
            "×",
            note="what a command line parsing its arguments with argparse and HTML with lexbor costs before any "
            "code of its own: the ≤ 2× goal leaves seqedit little beyond it",
        ),
    ]
