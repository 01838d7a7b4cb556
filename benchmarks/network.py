"""A real network (issue 16 item 4): the sandbox in its own process with 300 ms of latency.

- cached start → titles: ``seqedit --base-url …`` on a pseudo-terminal, its second start (the
  listing cache warm) against the bare Textual Tree app, as in :mod:`benchmarks.startup`; the same
  start with ``--no-cache`` beside it;
- enter on a sequence the cursor has rested on for 1 s → its steps shown (prefetch), and the same
  without the rest (the steps come from the server);
- the requests a session of 20 cursor moves makes, and the most prefetch had in flight;
- 429s surfaced: ``seqedit lint --all`` against ``--rate-limit 5``, and how long it was paced.
"""

from __future__ import annotations

import asyncio
import gc
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import startup
from .ready import ENV
from .report import Progress, Row, at_most, info
from .sandbox_process import child_env, reset_requests, sandbox_server, server_requests
from .startup import _run_once
from .stats import median, ratio

LATENCY_MS = 300
SEQUENCES = 60
REST = 1.0  # seconds the cursor rests on a sequence before enter
MOVES = 20
RATE_LIMIT = 5
STARTUP_GOAL = 1.5
OPEN_GOAL_MS = 50.0
STALL = 15.0  # seconds a start may take to draw titles before it counts as stalled


def _cached_start(base_url: str, home: Path, runs: int, progress: Progress) -> list[Row]:
    from tui.sandbox import DEMO_API_KEY

    root = Path(__file__).resolve().parent.parent
    env = child_env(home)
    env[ENV] = "1"
    env["SALESHANDY_API_KEY"] = DEMO_API_KEY
    env["TERM"] = env.get("TERM") or "xterm-256color"
    env.pop("TEXTUAL", None)
    seqedit = [sys.executable, "-m", "tui", "--base-url", base_url]
    apps = {
        "cached": seqedit,
        "uncached": [*seqedit, "--no-cache"],
        "bare": [sys.executable, "-m", "benchmarks.bare_tree_app"],
    }
    _warm(seqedit, env, root)  # the first start: its listing fills the cache
    warm_cache = Path(env["SEQEDIT_STATE_DIR"]) / "cache"
    starts = 0

    def once(command: list[str]) -> float:
        # Each start gets a state directory of its own holding only the cache: a drafts file
        # left by the start before is not what is measured (and a second start over one can
        # stall in this harness: see the report of issue 16).
        nonlocal starts
        starts += 1
        state = home / f"state-{starts}"
        shutil.copytree(warm_cache, state / "cache")
        state.chmod(0o700)
        for _ in range(3):
            try:
                return _run_once(command, {**env, "SEQEDIT_STATE_DIR": str(state)}, root)
            except RuntimeError:  # no titles within STALL seconds: counted, tried again
                stalls[command[-1]] = stalls.get(command[-1], 0) + 1
        raise RuntimeError(f"{' '.join(command[-3:])} stalled three times in a row")

    stalls: dict[str, int] = {}
    startup.TIMEOUT = STALL

    for command in apps.values():
        once(command)  # bytecode compiled, caches warm: not measured
    times: dict[str, list[float]] = {name: [] for name in apps}
    for index in range(runs):
        for name, command in apps.items():
            times[name].append(once(command))
        progress(
            f"network start {index + 1}/{runs}: " + ", ".join(f"{n} {t[-1] * 1000:.0f} ms" for n, t in times.items())
        )
    cached, uncached, bare = (median(times[name]) * 1000 for name in ("cached", "uncached", "bare"))
    return [
        info("network", f"cached start → titles at {LATENCY_MS} ms, median of {runs}", cached, "ms"),
        info("network", f"start without the cache (--no-cache), median of {runs}", uncached, "ms"),
        info("network", f"bare Textual Tree app, median of {runs}", bare, "ms"),
        at_most("network", "cached start / bare", ratio(cached, bare), "×", STARTUP_GOAL),
        info(
            "network",
            f"starts that drew no titles within {STALL:g} s (tried again)",
            sum(stalls.values()),
            "",
            note="0 expected: such starts re-laid the screen out for ever between stdout's size (a pipe here: "
            "80x24) and the terminal's, until the driver took the terminal's (tui/paste_driver.py): "
            + (", ".join(f"{k}: {v}" for k, v in stalls.items()) or "none"),
        ),
    ]


def _warm(command: list[str], env: dict[str, str], root: Path) -> None:
    """Run the app once long enough for the whole listing to arrive and be cached."""
    warm_env = {**env}
    warm_env.pop(ENV, None)
    process = subprocess.Popen(
        [sys.executable, "-c", _WARM_SCRIPT, *command[3:]],
        env=warm_env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _out, err = process.communicate(timeout=120)
    if process.returncode != 0:
        raise RuntimeError(f"warming the listing cache failed: {err.decode(errors='replace')[-500:]}")


# A headless app that waits for the fresh listing (and so the cache file), then quits.
_WARM_SCRIPT = """
import asyncio, sys
from tui.cli import build_parser
from tui.commands.app import build_app

async def main():
    app = build_app(build_parser().parse_args(sys.argv[1:]))
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(600):
            await pilot.pause(0.05)
            refresh = app.listing_refresh
            if app.screen.tree.root.children and not refresh.showing_cached and refresh.cache is not None:
                if refresh.cache.path.exists():
                    return
        raise SystemExit("the listing never arrived")

asyncio.run(main())
"""


async def _session(base_url: str, opens: int, progress: Progress) -> list[Row]:
    """In this process, headless: enter after a rest, enter at once (``opens`` of each), 20 cursor moves."""
    from tui.api.client import SaleshandyClient
    from tui.app import SeqEditApp
    from tui.sandbox import DEMO_API_KEY

    class Account:
        demo = False
        profile = None
        api_key = DEMO_API_KEY

    Account.base_url = base_url  # type: ignore[attr-defined]
    app = SeqEditApp(Account(), client_factory=lambda: SaleshandyClient(DEMO_API_KEY, base_url), cache=False)
    # As `seqedit` runs it (tui.cli): the collector off for the start, then collected once and
    # frozen by the app (startup_finished); left on, full collections over everything the start
    # built land in the measured opens.
    gc.disable()
    try:
        return await _drive(app, base_url, opens, progress)
    finally:
        gc.enable()


async def _drive(app: Any, base_url: str, opens: int, progress: Progress) -> list[Row]:
    rested: list[float] = []
    unrested: list[float] = []
    # The same opens, timed to when Pilot's press returns: it then also waits until the process
    # has been idle for 20 ms, twice (how the figure was taken before; kept for comparison).
    rested_pilot: list[float] = []
    frame: dict[str, Any] = {"node": None, "at": None}
    async with app.run_test(size=(120, 40)) as pilot:
        screen: Any = app.screen
        tree = screen.tree
        display = app._display

        def drawn(screen: Any, renderable: Any) -> None:
            # The first frame drawn with the sequence's steps in it: what the person sees.
            display(screen, renderable)
            node = frame["node"]
            if renderable is not None and node is not None and frame["at"] is None and shows_steps(node):
                frame["at"] = time.perf_counter()

        app._display = drawn

        async def until(condition: Any, limit: float = 30.0) -> None:
            end = time.perf_counter() + limit
            while not condition():
                if time.perf_counter() > end:
                    raise RuntimeError("the app never got there")
                await asyncio.sleep(0.002)

        def shows_steps(node: Any) -> bool:
            return any(child.data is not None and child.data.kind == "step" for child in node.children)

        await until(lambda: len(tree.root.children) >= SEQUENCES)
        await until(gc.isenabled)  # the start is over (startup_finished): measuring begins
        await pilot.press("g")
        for rest, samples in ((REST, rested), (0.0, unrested)):
            for _ in range(opens):
                await pilot.press("j", "j")  # two on: past what the last open prefetched
                node = tree.cursor_node
                await asyncio.sleep(rest)
                frame["node"], frame["at"] = node, None
                started = time.perf_counter()
                await pilot.press("l")
                if rest:
                    rested_pilot.append((time.perf_counter() - started) * 1000)
                await until(lambda: frame["at"] is not None)
                samples.append((frame["at"] - started) * 1000)
                frame["node"] = None
                await pilot.press("h")
        progress(
            f"network enter → frame with steps: rested {median(rested):.0f} ms, at once {median(unrested):.0f} ms; "
            f"rested, to the end of Pilot's press {median(rested_pilot):.0f} ms"
        )

        # A person reading down the list: 20 moves, a quarter of a second each.
        await asyncio.sleep(2.0)
        reset_requests(base_url)
        peak_before = screen.tree_side.prefetch.peak
        for _ in range(MOVES):
            await pilot.press("j")
            await asyncio.sleep(0.25)
        await asyncio.sleep(2.0)
        requests = server_requests(base_url)
        peak = max(peak_before, screen.tree_side.prefetch.peak, app.client.scheduler.background_peak)
        surfaced = sum(
            1 for note in app._notifications if "429" in str(note.message) or "Too many" in str(note.message)
        )
    return [
        at_most(
            "network",
            f"enter → first frame with the steps, cursor rested {REST:g} s, median of {opens}",
            median(rested),
            "ms",
            OPEN_GOAL_MS,
        ),
        info(
            "network",
            f"enter → first frame with the steps, at once (no rest), median of {opens}",
            median(unrested),
            "ms",
        ),
        info(
            "network",
            f"enter, cursor rested {REST:g} s → Pilot's press returns, median of {opens}",
            median(rested_pilot),
            "ms",
            note="the earlier way of taking it: Pilot's press also waits for 20 ms of idle, twice",
        ),
        info("network", f"requests in a session of {MOVES} cursor moves", requests, ""),
        at_most("network", "prefetch requests in flight at most", peak, "", 2),
        at_most("network", "429s surfaced in that session", surfaced, "", 0),
    ]


def _lint(home: Path, db: Path, sequences: int, progress: Progress) -> list[Row]:
    from tui.sandbox import DEMO_API_KEY

    with sandbox_server(db, home, latency_ms=LATENCY_MS, rate_limit=RATE_LIMIT, sequences=sequences) as base_url:
        env = child_env(home)
        env["SALESHANDY_API_KEY"] = DEMO_API_KEY
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "tui", "--base-url", base_url, "lint", "--all"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        took = time.perf_counter() - started
    said = done.stdout + done.stderr
    surfaced = said.count("429") + said.count("Too many")
    waited = next((line for line in done.stderr.splitlines() if "waited" in line), "")
    progress(f"network lint --all at {RATE_LIMIT}/s: {took:.1f} s, exit {done.returncode}; {waited or 'no wait'}")
    if done.returncode not in (0, 1, 2):
        raise RuntimeError(f"lint --all failed (exit {done.returncode}): {done.stderr[-500:]}")
    return [
        info(
            "network",
            f"lint --all, {sequences} sequences, --rate-limit {RATE_LIMIT}",
            took,
            "s",
            note=waited.removeprefix("seqedit lint: "),
        ),
        at_most("network", "429s surfaced by lint --all", surfaced, "", 0),
    ]


def run(runs: int, opens: int, lint_sequences: int, progress: Progress) -> list[Row]:
    """``runs`` starts of each app, ``opens`` opens each way, ``lint --all`` over ``lint_sequences``."""
    with tempfile.TemporaryDirectory(prefix="seqedit-bench-network-") as tmp:
        home = Path(tmp)
        rows: list[Row] = []
        with sandbox_server(home / "slow.sqlite3", home, latency_ms=LATENCY_MS, sequences=SEQUENCES) as base_url:
            rows += _cached_start(base_url, home, runs, progress)
            rows += asyncio.run(_session(base_url, opens, progress))
        rows += _lint(home, home / "limited.sqlite3", lint_sequences, progress)
    return rows
