"""Prefetch (issue 16 item 2): the steps of the sequence under the cursor and its neighbours load
in the background, at most two at once; moving on cancels them; an open takes the prefetched
result without asking again; a failed prefetch is silent and the open asks again.

The app runs over the in-process sandbox; its request counter says what reached the server.
"""

from __future__ import annotations

import asyncio

from test_app_support import make_app, settle, tree
from test_drafts_app_support import add_faults

from tui.session.workspace import VariantKey


def steps_requests(sandbox_app) -> int:
    # A scripted fault answers before routing: counted under its path, not the template.
    counts = sandbox_app.state.requests.snapshot()
    return sum(n for name, n in counts.items() if name.startswith("GET /v1/sequences/") and name.endswith("/steps"))


async def until(pilot, condition, what: str) -> None:
    for _ in range(1000):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never happened: {what}")


def sequence_ids(pilot) -> list[str]:
    return [node.data.sequence_id for node in tree(pilot).root.children if node.data and node.data.kind == "sequence"]


def shows_steps(pilot, sequence_id: str) -> bool:
    node = tree(pilot).sequence_node(sequence_id)
    return node is not None and node.is_expanded and any(c.data and c.data.kind == "step" for c in node.children)


async def test_resting_on_a_sequence_prefetches_it_and_its_neighbour_and_enter_needs_no_request(sandbox_app):
    # The newest sequence, so the first listed: its one variant breaks a rule (a 301-character
    # connection note), and the tree marks it without the variant being opened.
    made = sandbox_app.state.store.add_sequence(
        "Marked",
        steps=[
            {"channel": "LinkedInConnectionRequest", "day": 1, "variants": [{"payload": {"connectionNote": "x" * 301}}]}
        ],
    )
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        first, second = sequence_ids(pilot)[:2]
        assert first == made.sequence_id
        # The cursor starts on the first sequence: it and the one below load without being asked.
        await until(
            pilot, lambda: steps_requests(sandbox_app) == 2 and not screen.tree_side.prefetch.in_flight, "prefetch"
        )
        assert screen.tree_side.prefetch.peak <= 2
        assert app.workspace.steps(first) is None  # loaded ahead, not yet shown: nothing opened
        assert tree(pilot).cursor_node.data.sequence_id == first
        # Every frame drawn from here: the one that expands the sequence already shows its steps
        # (what prefetch held goes in as the node opens), never "loading…" first.
        drawn: list[list[str]] = []
        display = app._display

        def recording(screen, renderable):
            node = tree(pilot).sequence_node(first)
            if renderable is not None and node is not None and node.is_expanded:
                drawn.append([child.data.kind for child in node.children])
            return display(screen, renderable)

        app._display = recording
        await pilot.press("l")
        await until(pilot, lambda: shows_steps(pilot, first), "the steps shown")
        assert drawn and all("loading" not in kinds for kinds in drawn), drawn
        assert steps_requests(sandbox_app) == 2  # served from what prefetch held
        # The error mark comes from a validation in a thread, after the steps are drawn.
        (step_id,), ((variant_id,),) = made.step_ids, made.variant_ids
        key = VariantKey(first, step_id, variant_id)
        await until(pilot, lambda: "A!" in tree(pilot).variant_node(key).label.plain, "the error mark")
        await pilot.press("down")
        await until(pilot, lambda: tree(pilot).cursor_node.data.kind == "step", "on a step")
        # A reload still asks the server.
        await pilot.press("g")
        await pilot.press("r")
        await until(pilot, lambda: steps_requests(sandbox_app) == 3, "the reload's request")
        assert second not in {ref for ref in screen.tree_side.prefetch.in_flight}


async def test_prefetch_stops_when_the_cursor_leaves(sandbox_app):
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        ids = sequence_ids(pilot)
        await until(
            pilot,
            lambda: screen.tree_side.prefetch.started == 2 and not screen.tree_side.prefetch.in_flight,
            "the first loads",
        )
        # From here every step listing takes half a minute: what the cursor reaches stays in flight.
        await add_faults(sandbox_app, [{"delayMs": 30000}] * 6, method="GET", path="/v1/sequences/")
        await pilot.press("G")
        last, above = ids[-1], ids[-2]
        await until(pilot, lambda: set(screen.tree_side.prefetch.in_flight) == {last, above}, "the bottom's loads")
        assert screen.tree_side.prefetch.cancelled == 0
        await pilot.press("g")  # back to the top, whose steps prefetch already holds
        await until(pilot, lambda: not screen.tree_side.prefetch.in_flight, "the loads cancelled")
        assert screen.tree_side.prefetch.cancelled == 2
        assert screen.tree_side.prefetch.peak <= 2
        # Nothing is left running for them (cancelled, not merely forgotten).
        await pilot.pause(0.1)
        running = [t for t in asyncio.all_tasks() if "Prefetcher._run" in repr(t.get_coro())]
        assert running == []


async def test_a_failed_prefetch_is_silent_and_the_open_asks_again(sandbox_app):
    await add_faults(sandbox_app, [{"status": 404}] * 2, method="GET", path="/v1/sequences/")
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        first = sequence_ids(pilot)[0]
        await until(pilot, lambda: screen.tree_side.prefetch.failed == 2, "both prefetches failed")
        assert [note for note in app._notifications if note.severity == "error"] == []
        node = tree(pilot).sequence_node(first)
        assert [child.data.kind for child in node.children] == ["loading"]  # no error shown
        await pilot.press("l")
        await until(pilot, lambda: shows_steps(pilot, first), "the steps shown")
        assert steps_requests(sandbox_app) == 3  # two failed prefetches, then the open's own
