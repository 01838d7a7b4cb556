"""Startup: process start → the tree shows the first sequences, against a bare Textual Tree app.

A second baseline, seqedit's layout in bare Textual (:mod:`benchmarks.bare_layout_app`), is
reported beside it: it separates what the screen's widgets cost from what seqedit adds.

Both apps run as child processes on a pseudo-terminal (a real Linux driver, 120×40), with
``SEQEDIT_BENCH_EXIT_WHEN_READY=1``: each writes a marker to its stdout pipe once its tree is
drawn, and the time is taken when the marker arrives. Runs alternate A, B, C, A, B, C… so a busy
moment on the machine hits both alike.
"""

from __future__ import annotations

import fcntl
import os
import pty
import selectors
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from .ready import ENV, MARKER
from .report import Progress, Row, at_most, info
from .sandbox_process import child_env
from .stats import median, ratio

GOAL = 1.5
TIMEOUT = 60.0


def _run_once(command: list[str], env: dict[str, str], cwd: Path) -> float:
    """Seconds from spawning ``command`` to its ready marker (the process is then reaped)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    read_end, write_end = os.pipe()
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=write_end, stderr=slave, env=env, cwd=cwd, start_new_session=True
    )
    os.close(slave)
    os.close(write_end)
    ready_at: float | None = None
    seen = b""
    selector = selectors.DefaultSelector()
    selector.register(master, selectors.EVENT_READ)
    selector.register(read_end, selectors.EVENT_READ)
    try:
        deadline = start + TIMEOUT
        open_fds = 2
        while open_fds and time.perf_counter() < deadline:
            for key, _ in selector.select(timeout=0.5):
                try:
                    chunk = os.read(key.fd, 65536)  # the terminal output is drained and dropped
                except OSError:
                    chunk = b""
                if not chunk:
                    selector.unregister(key.fd)
                    open_fds -= 1
                    continue
                if key.fd == read_end and ready_at is None:
                    seen += chunk
                    if MARKER in seen:
                        ready_at = time.perf_counter()
            if ready_at is not None and process.poll() is not None:
                break
    finally:
        selector.close()
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        os.close(master)
        os.close(read_end)
    if ready_at is None:
        raise RuntimeError(f"{' '.join(command[-3:])} never reported ready (exit {process.returncode})")
    return ready_at - start


def run(runs: int, progress: Progress) -> list[Row]:
    """Median startup of ``seqedit --demo`` and of the two bare apps, interleaved; the ratios."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="seqedit-bench-startup-") as tmp:
        env = child_env(Path(tmp))
        env[ENV] = "1"
        env["TERM"] = env.get("TERM") or "xterm-256color"
        env.pop("TEXTUAL", None)  # no devtools connection
        apps = {
            "seqedit": [sys.executable, "-m", "tui", "--demo"],
            "bare": [sys.executable, "-m", "benchmarks.bare_tree_app"],
            "layout": [sys.executable, "-m", "benchmarks.bare_layout_app"],
        }
        # The first demo run builds the sandbox database and every first run compiles
        # bytecode: one-offs, not startup. Warm each up once.
        for command in apps.values():
            _run_once(command, env, root)
        times: dict[str, list[float]] = {name: [] for name in apps}
        for index in range(runs):
            for name, command in apps.items():
                times[name].append(_run_once(command, env, root))
            progress(
                f"startup {index + 1}/{runs}: "
                + ", ".join(f"{name} {samples[-1] * 1000:.0f} ms" for name, samples in times.items())
            )
    app_ms, bare_ms, layout_ms = (median(times[name]) * 1000 for name in ("seqedit", "bare", "layout"))
    return [
        info("startup", f"seqedit --demo, median of {runs}", app_ms, "ms"),
        info("startup", f"bare Textual Tree app, median of {runs}", bare_ms, "ms"),
        at_most("startup", "seqedit / bare", ratio(app_ms, bare_ms), "×", GOAL),
        info(
            "startup",
            f"bare Textual app with seqedit's layout, median of {runs}",
            layout_ms,
            "ms",
            note="Header, Input, Tree, three tabs and Footer with static content: what the layout costs alone",
        ),
        info("startup", "seqedit / bare layout", ratio(app_ms, layout_ms), "×"),
    ]


def import_offenders(top: int = 12) -> list[str]:
    """The slowest imports on the way to a running app (``python -X importtime``), cumulative.

    Only modules up to three levels deep in the import tree are listed, so one slow package
    shows once rather than with every module under it.
    """
    roots = ("tui.cli", "tui.commands.app", "tui.app")
    command = [sys.executable, "-X", "importtime", "-c", "import " + ", ".join(roots)]
    with tempfile.TemporaryDirectory(prefix="seqedit-bench-imports-") as tmp:
        env = child_env(Path(tmp))
        subprocess.run(command, env=env, capture_output=True, timeout=120)  # compiles: not measured
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    found: list[tuple[int, str]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        fields = line.split(":", 1)[1].split("|")
        if len(fields) != 3 or not fields[1].strip().isdigit():
            continue
        name = fields[2].rstrip()
        depth = (len(name) - len(name.lstrip(" "))) // 2
        if depth <= 3 and name.strip() not in roots:
            found.append((int(fields[1]), name.strip()))
    found.sort(reverse=True)
    return [f"{micros / 1000:7.1f} ms  {name}" for micros, name in found[:top]]
