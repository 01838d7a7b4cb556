"""Two seqedit windows on the same variant (issue 18.6, 13.3): the second is told on opening,
each keeps its own draft, both quit dialogs say what is kept, and the next start lets the person
choose between the two copies in D.

The first window is ``python -m tui --demo`` on a real pseudo-terminal (another process, as a
second SSH session would be); the second runs in this process under Pilot, on the same state
and data directories.
"""

from __future__ import annotations

import os
import sys
import time
from argparse import Namespace

from test_app_support import settle, type_text
from test_crash_app import Terminal
from test_drafts_app_support import notes, review_and_send, screen_text
from textual.widgets import Input, OptionList

from tui.app import SeqEditApp
from tui.config.paths import state_dir
from tui.drafts import DraftStore
from tui.screens.confirm_screen import ConfirmScreen
from tui.screens.drafts_screen import DraftsScreen
from tui.session.connect import resolve_account


def _demo_app() -> SeqEditApp:
    return SeqEditApp(resolve_account(Namespace(demo=True, demo_reset=False, base_url=None, profile=None)))


def _first_window(typed: str) -> Terminal:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SALESHANDY_", "PYTEST_", "TEXTUAL"))}
    env.update(TERM="xterm-256color", COLUMNS="120", LINES="40", NO_COLOR="1")
    terminal = Terminal([sys.executable, "-m", "tui", "--demo"], env)
    terminal.wait_for("Hiring managers")
    terminal.type(b"g")
    terminal.type(b"l")
    terminal.wait_for("Day 1")
    for key in (b"j", b"l", b"j", b"\r", b"\r"):  # the second enter: into the form (issue 13 item 12)
        terminal.type(key)
    terminal.wait_for("Subject")
    terminal.type(b"\x05")  # ctrl+e: the end of the subject line
    terminal.type(typed.encode(), pause=0.1)
    terminal.wait_for(typed[-3:], timeout=10)
    terminal.pump(1.5)  # past the journal's one-second interval
    return terminal


async def _open_first_variant(pilot) -> None:
    """The same keys as the first window: first sequence › first step › variant A."""
    app = pilot.app
    for _ in range(100):
        await settle(pilot)
        if app.workspace.sequences:
            break
        await pilot.pause(0.05)
    await pilot.press("g", "l")
    for _ in range(100):
        await settle(pilot)
        if "Day 1" in screen_text(app):
            break
        await pilot.pause(0.05)
    await pilot.press("j", "l", "j", "enter", "enter")  # the second enter: into the form (issue 13 item 12)
    await settle(pilot)


def _exit(terminal: Terminal, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        terminal.pump(0.1)
        done, _status = os.waitpid(terminal.pid, os.WNOHANG)
        if done:
            os.close(terminal.fd)
            return
    raise AssertionError("the first window did not quit")


async def test_two_windows_on_one_variant_keep_both_drafts_and_the_next_start_offers_both() -> None:
    first = _first_window("ONE")
    try:
        second = _demo_app()
        async with second.run_test(size=(120, 40)) as pilot:
            await _open_first_variant(pilot)
            key = second.screen.current_key
            assert key is not None
            warning = [n for n in notes(second) if n.startswith("Open in two windows")]
            assert warning and f"pid {first.pid}" in warning[0], notes(second)
            # The first window is told too, within a few seconds (it looks every few journal ticks).
            first.wait_for("Open in two windows", timeout=30)
            # The second window does not see the first one's unsaved text: it edits its own copy.
            subject = second.screen.query_one("#field-subject", Input)
            assert not subject.value.endswith("ONE")
            await pilot.press("end")
            await type_text(pilot, "TWO")
            await pilot.press("ctrl+q")
            await settle(pilot)
            assert isinstance(second.screen, ConfirmScreen)
            question = second.screen.question
            assert "kept as drafts" in question and "also open in another seqedit window" in question
            await pilot.press("y")
            await settle(pilot)

        first.type(b"\x11")  # ctrl+q in the first window: its dialog promises what is kept
        first.wait_for("Quit (drafts kept)")
        first.type(b"y")
        _exit(first)
    except BaseException:
        first.kill()
        raise

    with DraftStore(state_dir() / "drafts.sqlite3") as store:
        drafts = store.drafts("demo")
    assert len(drafts) == 2 and len({d.key for d in drafts}) == 1
    subjects = sorted(d.edited.payload["subject"][-3:] for d in drafts)
    assert subjects == ["ONE", "TWO"]
    newest = drafts[0].edited.payload["subject"]

    # The next start reopens the newest copy and lists the other one in D, to choose.
    third = _demo_app()
    async with third.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            await settle(pilot)
            if third.workspace.dirty_keys():
                break
            await pilot.pause(0.05)
        (key,) = third.workspace.dirty_keys()
        assert third.workspace.edited(key).payload["subject"] == newest
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(third.screen, DraftsScreen)
        options = third.screen.query_one(OptionList)
        listed = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert sum("another copy (from a window that was closed)" in text for text in listed) == 1
        assert options.option_count == 2
        other = next(i for i, d in enumerate(third.screen.drafts) if d.edited.payload["subject"] != newest)
        options.highlighted = other
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(third.screen, ConfirmScreen)
        await pilot.press("y")
        for _ in range(100):  # the chosen copy is shown once the form is rebuilt
            await settle(pilot)
            subject = third.screen.query_one("#field-subject", Input).value
            if subject != newest:
                break
            await pilot.pause(0.05)
        assert subject != newest and subject[-3:] in ("ONE", "TWO")
        assert third.workspace.edited(key).payload["subject"] == subject
        # The copy given up is kept: both are still listed, this window's is the chosen one.
        kept = {d.edited.payload["subject"]: third.drafts.mine(d) for d in third.drafts.drafts()}
        assert kept == {subject: True, newest: False}

        # Saving the chosen copy says the other one is still there (it would come back next time).
        await review_and_send(pilot)
        assert any("1 other draft(s) of variant A (another window's) remain in D" in n for n in notes(third))
