"""Helpers for the app tests: the app over the in-process sandbox, and key-driven navigation.

Holds no tests itself; the ``test_app*.py`` modules import from it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import httpx

from tui.api.channels import Channel
from tui.api.client import SaleshandyClient
from tui.app import SeqEditApp
from tui.sandbox import DEMO_API_KEY
from tui.widgets.sequence_tree import SequenceTree

BASE_URL = "http://sandbox.local"


def client_for(sandbox_app: Any) -> SaleshandyClient:
    """A real client over the in-process sandbox."""
    return SaleshandyClient(DEMO_API_KEY, BASE_URL, transport=httpx.ASGITransport(app=sandbox_app), max_retries=0)


def make_app(sandbox_app: Any, **options: Any) -> SeqEditApp:
    """The editor talking to ``sandbox_app``."""

    class Account:
        demo = True
        profile = None
        base_url = BASE_URL

    return SeqEditApp(Account(), client_factory=lambda: client_for(sandbox_app), **options)


async def settle(pilot: Any) -> None:
    """Let messages, workers and refreshes run until nothing is left to do."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def tree(pilot: Any) -> SequenceTree:
    return pilot.app.screen.query_one(SequenceTree)


async def press_until(pilot: Any, done: Callable[[], bool], key: str = "j", limit: int = 80) -> None:
    """Press ``key`` until ``done()`` holds (or fail after ``limit`` presses)."""
    for _ in range(limit):
        if done():
            return
        await pilot.press(key)
    assert done(), f"never reached the target pressing {key!r}"


def _cursor(pilot: Any):
    node = tree(pilot).cursor_node
    return node.data if node is not None else None


async def open_variant(pilot: Any, title: str, channel: Channel, letter_index: int = 0, step_index: int = 0) -> Any:
    """From the tree's top, walk with keys to a variant of ``channel`` in sequence ``title`` and open it."""
    await settle(pilot)
    app = pilot.app
    await pilot.press("g")

    def on_sequence() -> bool:
        ref = _cursor(pilot)
        return ref is not None and ref.kind == "sequence" and app.workspace.sequence(ref.sequence_id).title == title

    await press_until(pilot, on_sequence)
    await pilot.press("l")
    await settle(pilot)

    def on_step() -> bool:
        ref = _cursor(pilot)
        if ref is None or ref.kind != "step":
            return False
        return app.workspace.step(ref.sequence_id, ref.step_id).type is channel

    for index in range(step_index + 1):
        if index:
            await pilot.press("j")
        await press_until(pilot, on_step)
    await pilot.press("l")
    await pilot.press("j")
    for _ in range(letter_index):
        await pilot.press("j")
    ref = _cursor(pilot)
    assert ref is not None and ref.kind == "variant", ref
    await pilot.press("enter")
    await settle(pilot)
    assert app.screen.current_key == ref.key
    # Enter opens the variant and leaves the keys to the tree (issue 13 item 12); a second
    # enter moves into the form, where the tests go on typing.
    await pilot.press("enter")
    await settle(pilot)
    return ref.key


async def type_text(pilot: Any, text: str) -> None:
    """Type ``text`` key by key (spaces and newlines included)."""
    names = {
        " ": "space",
        "\n": "enter",
        "/": "slash",
        "?": "question_mark",
        "{": "left_curly_bracket",
        "}": "right_curly_bracket",
    }
    for char in text:
        await pilot.press(names.get(char, char))


async def open_palette(pilot: Any, query: str) -> None:
    """From a settled app: ctrl+p, then type ``query`` into the command palette."""
    await settle(pilot)
    await pilot.press("ctrl+p")
    await settle(pilot)
    await type_text(pilot, query)
    await settle(pilot)


async def clear_input(pilot: Any, count: int = 6) -> None:
    """Empty a short input from its end."""
    await pilot.press("end")
    for _ in range(count):
        await pilot.press("backspace")


def prompt_text(option: Any, width: int = 200) -> str:
    """An option's prompt as the list draws it, in plain text (prompts are Rich renderables)."""
    from rich.console import Console

    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(option.prompt)
    return console.export_text()
