"""A hang-up (the SSH link drops) or SIGTERM a moment after typing: the keys are in the drafts.

The journal writes drafts once a second, so without a handler the last second of typing dies
with the process. Here the app runs as ``python -m tui --demo`` on a real pseudo-terminal; the
keys are typed and, as soon as they are drawn, the terminal is hung up by closing its master
side (what sshd does when the link drops) or the process is sent SIGTERM.

A person who closes the terminal and starts seqedit again at once must get the edit back as the
new window's own: the old process may not be gone yet (a zombie until its parent, often init
after the shell died with the terminal, reaps it). Here it stays one until the test reaps it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import sys
import time

from test_crash_app import Terminal

from tui.config.paths import state_dir
from tui.drafts import DraftStore
from tui.session.draft_keeper import DraftKeeper
from tui.session.workspace import Workspace
from tui.terminal.hangup import HANGUP_EXIT

TYPED = "HANGUPTEST"


def _app_with_typing(typed: str) -> Terminal:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SALESHANDY_", "PYTEST_", "TEXTUAL"))}
    env.update(TERM="xterm-256color", COLUMNS="120", LINES="40", NO_COLOR="1")
    terminal = Terminal([sys.executable, "-m", "tui", "--demo"], env)
    terminal.wait_for("Hiring managers")
    for key in (b"g", b"l"):
        terminal.type(key)
    terminal.wait_for("Day 1")
    for key in (b"j", b"l", b"j", b"\r", b"\r"):  # the second enter: into the form (issue 13 item 12)
        terminal.type(key)
    terminal.wait_for("Subject")
    terminal.type(b"\x05")  # ctrl+e: the end of the subject line
    os.write(terminal.fd, typed.encode())
    terminal.wait_for(typed[-4:], timeout=10)  # drawn: the edit is in the workspace
    return terminal


def _exit_status(pid: int, timeout: float = 15.0) -> int:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError("the app did not exit")


def exited_unreaped(pid: int, timeout: float = 15.0) -> None:
    """Wait until child ``pid`` has ended, leaving it a zombie (its status not collected)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return
        time.sleep(0.02)
    raise AssertionError(f"process {pid} did not end")


def _subject_draft() -> str:
    with DraftStore(state_dir() / "drafts.sqlite3") as store:
        (draft,) = store.drafts("demo")
    return draft.edited.payload["subject"]


def test_a_hang_up_right_after_typing_keeps_every_key() -> None:
    terminal = _app_with_typing(TYPED)
    os.close(terminal.fd)  # the link drops: the kernel hangs the terminal up
    exited_unreaped(terminal.pid)
    path = state_dir() / "drafts.sqlite3"
    # The hung-up window left the file as a clean exit does: no row says it is still open.
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT owner FROM windows WHERE pid = ?", (terminal.pid,)).fetchall() == []
    # A start right now, before the old process is reaped, takes the draft back as its own.
    keeper = DraftKeeper(Workspace(), DraftStore(path), "demo")
    try:
        (draft,) = keeper.restore()
        assert draft.edited.payload["subject"].endswith(TYPED)
        assert [keeper.mine(d) for d in keeper.drafts()] == [True]
    finally:
        keeper.close()
    assert _exit_status(terminal.pid) == HANGUP_EXIT
    assert _subject_draft().endswith(TYPED)


def test_sigterm_right_after_typing_keeps_every_key_and_restores_the_terminal() -> None:
    terminal = _app_with_typing(TYPED)
    try:
        os.kill(terminal.pid, signal.SIGTERM)
        end = time.monotonic() + 15
        while time.monotonic() < end and b"\x1b[?1049l" not in terminal.raw:
            terminal.pump(0.1)  # keep the pty drained while the app restores it
        assert b"\x1b[?1049l" in terminal.raw  # the alternate screen was left
        _exit_status(terminal.pid)
    finally:
        with contextlib.suppress(OSError):
            os.close(terminal.fd)
    assert _subject_draft().endswith(TYPED)
