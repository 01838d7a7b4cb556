"""Scale: a 5,000-sequence account behind 20 ms of latency per request.

The sandbox runs in its own process (``seqedit sandbox`` on the cached large database). The
listing, one expansion and a filter go through ``SaleshandyClient`` here; memory and the tree
are measured in fresh child processes (:mod:`benchmarks.scale_worker`) so their peak RSS is
theirs alone.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tui.api.client import SaleshandyClient
from tui.sandbox import DEMO_API_KEY
from tui.session.workspace import Workspace

from .dataset import CACHE_DIR, large_db
from .report import Progress, Row, at_most, info
from .sandbox_process import child_env, reset_requests, sandbox_server, server_requests

LATENCY_MS = 20
REQUEST_GOAL = 5
LIST_GOAL_S = 1.0
RSS_GOAL_MB = 150.0


async def _client_figures(base_url: str) -> dict[str, Any]:
    async with SaleshandyClient(DEMO_API_KEY, base_url) as client:
        workspace = Workspace()
        reset_requests(base_url)
        start = time.perf_counter()
        first: float | None = None
        async for page in client.iter_sequence_pages():
            if first is None:
                first = time.perf_counter()
            workspace.add_sequences(page.items)
        end = time.perf_counter()
        list_requests = client.request_count
        served = server_requests(base_url)
        sequences = workspace.sequences
        middle = sequences[len(sequences) // 2]

        before = client.request_count
        start_expand = time.perf_counter()
        steps = (await client.list_steps(middle.id)).items
        expand_s = time.perf_counter() - start_expand
        expand_requests = client.request_count - before

        # What the filter box does: the loaded list at once, then the server's answer.
        needle = middle.title.split("#")[0].strip()
        start_local = time.perf_counter()
        local = workspace.filter_sequences(needle)
        local_s = time.perf_counter() - start_local
        before = client.request_count
        start_filter = time.perf_counter()
        remote = (await client.list_sequences(name=needle)).items
        filter_s = time.perf_counter() - start_filter
        filter_requests = client.request_count - before
    return {
        "count": len(sequences),
        "list_s": end - start,
        "first_to_all_s": end - (first or end),
        "list_requests": list_requests,
        "served": served,
        "steps": len(steps),
        "variants": sum(len(step.variants) for step in steps),
        "expand_s": expand_s,
        "expand_requests": expand_requests,
        "needle": needle,
        "local_matches": len(local),
        "local_s": local_s,
        "remote_matches": len(remote),
        "filter_s": filter_s,
        "filter_requests": filter_requests,
    }


def _matches(count: int) -> str:
    return f"{count:,} match" + ("" if count == 1 else "es")


def _worker(mode: str, base_url: str, expected: int, home: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.scale_worker", mode, base_url, str(expected)]
    done = subprocess.run(
        command,
        env=child_env(home),
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"scale worker {mode} failed ({done.returncode}): {done.stderr[-800:]}")
    return json.loads(lines[-1])


def run(sequences: int, progress: Progress, cache_dir: Path = CACHE_DIR) -> list[Row]:
    """Every scale figure for an account of ``sequences`` sequences."""
    progress(f"scale: preparing the {sequences:,}-sequence database in {cache_dir}")
    db = large_db(sequences, cache_dir)
    with tempfile.TemporaryDirectory(prefix="seqedit-bench-scale-") as tmp:
        home = Path(tmp)
        with sandbox_server(db, home, sequences=sequences, latency_ms=LATENCY_MS) as base_url:
            figures = asyncio.run(_client_figures(base_url))
            progress(f"scale: listed {figures['count']:,} sequences in {figures['list_s']:.2f} s")
            workspace = _worker("workspace", base_url, sequences, home)
            progress(f"scale: workspace process peak RSS {workspace['peak_rss_mb']:.0f} MB")
            app = _worker("app", base_url, sequences, home)
            progress(f"scale: app process peak RSS {app['peak_rss_mb']:.0f} MB, tree filled in {app['seconds']:.2f} s")
    n = f"{figures['count']:,}"
    extra = figures["list_requests"] - -(-figures["count"] // 1000)
    request_note = (
        "the minimum for this API: it returns no total and pages hold 1,000 at most, so 5 requests carry 5,000 "
        "items at most and cannot also show that nothing follows; the sixth, empty page is what says the list ended"
        if extra > 0 and figures["count"] % 1000 == 0
        else ""
    )
    return [
        at_most(
            "scale",
            f"requests to list {n} sequences (pageSize 1000)",
            figures["list_requests"],
            "req",
            REQUEST_GOAL,
            note=request_note,
        ),
        info("scale", f"list {n} sequences, {LATENCY_MS} ms latency", figures["list_s"] * 1000, "ms"),
        at_most(
            "scale",
            "first response → whole list",
            figures["first_to_all_s"] * 1000,
            "ms",
            LIST_GOAL_S * 1000,
            goal="≤ 1000 ms",
        ),
        info(
            "scale",
            f"expand one sequence ({figures['steps']} steps, {figures['variants']} variants, "
            f"{figures['expand_requests']} req)",
            figures["expand_s"] * 1000,
            "ms",
        ),
        info(
            "scale",
            f"filter loaded list by name ({_matches(figures['local_matches'])})",
            figures["local_s"] * 1000,
            "ms",
        ),
        info(
            "scale",
            f"filter by name on the server ({_matches(figures['remote_matches'])}, {figures['filter_requests']} req)",
            figures["filter_s"] * 1000,
            "ms",
        ),
        at_most("scale", f"peak RSS, client + workspace holding {n}", workspace["peak_rss_mb"], "MB", RSS_GOAL_MB),
        info("scale", f"app: start → all {app['count']:,} sequences in the tree (Pilot)", app["seconds"] * 1000, "ms"),
        info("scale", "app: last page → all sequences in the tree", (app["last_page_to_all_nodes"] or 0) * 1000, "ms"),
        at_most("scale", f"peak RSS, app holding {n} in its tree", app["peak_rss_mb"], "MB", RSS_GOAL_MB),
    ]
