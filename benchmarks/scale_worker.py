"""A process of its own for the scale benchmark's memory figures (and the tree timing).

``python -m benchmarks.scale_worker workspace URL N`` loads every sequence into a Workspace;
``python -m benchmarks.scale_worker app URL N`` runs the seqedit app headless through Pilot
until its tree holds all N sequences. Each prints one JSON line: timings and the process's
peak RSS (``ru_maxrss``), so the figure is this process alone, not the benchmark's.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from typing import Any

from tui.sandbox import DEMO_API_KEY


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _workspace(base_url: str, expected: int) -> dict[str, Any]:
    from tui.api.client import SaleshandyClient
    from tui.session.workspace import Workspace

    workspace = Workspace()
    start = time.perf_counter()
    async with SaleshandyClient(DEMO_API_KEY, base_url) as client:
        async for page in client.iter_sequence_pages():
            workspace.add_sequences(page.items)
        requests = client.request_count
    return {"seconds": time.perf_counter() - start, "count": len(workspace.sequences), "requests": requests}


async def _app(base_url: str, expected: int) -> dict[str, Any]:
    from tui.api.client import SaleshandyClient
    from tui.app import SeqEditApp
    from tui.widgets.sequence_tree import SequenceTree

    first_page: list[float] = []
    last_page: list[float] = []

    def hook(message: Any) -> None:
        if type(message).__name__ == "SequencesPageLoaded":
            now = time.perf_counter()
            if getattr(message, "first", False) and not first_page:
                first_page.append(now)
            if getattr(message, "last", False):
                last_page.append(now)

    start = time.perf_counter()
    app = SeqEditApp(None, client_factory=lambda: SaleshandyClient(DEMO_API_KEY, base_url))
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        deadline = time.perf_counter() + 120
        trees: list[SequenceTree] = []
        while time.perf_counter() < deadline:
            trees = list(app.screen.query(SequenceTree))
            if trees and len(trees[0].root.children) >= expected and last_page:
                break
            await asyncio.sleep(0.005)
        done = time.perf_counter()
        count = len(trees[0].root.children) if trees else 0
        await pilot.pause()
    return {
        "seconds": done - start,
        "first_page_to_all_nodes": done - first_page[0] if first_page else None,
        "last_page_to_all_nodes": done - last_page[0] if last_page else None,
        "count": count,
    }


def main(argv: list[str]) -> int:
    mode, base_url, expected = argv[0], argv[1], int(argv[2])
    runner = _workspace if mode == "workspace" else _app
    result = asyncio.run(runner(base_url, expected))
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
