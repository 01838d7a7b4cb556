"""SIGKILL in the middle of an edit: the draft is on disk, and the next start reopens it.

The app runs as ``python -m tui --demo`` in a real pseudo-terminal with private SEQEDIT_* dirs;
the test drives it with keystrokes, waits a little past the journal's one-second interval,
kills it without warning, then looks in the drafts file and restarts the app under Pilot.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from argparse import Namespace

from test_app_support import settle
from textual.widgets import Input

from tui.app import SeqEditApp
from tui.config.paths import state_dir
from tui.drafts import DraftStore
from tui.session.connect import resolve_account

TYPED = "CRASHTEST"
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>]")


class Terminal:
    """A child process on a pty; everything it draws is kept (escape sequences stripped)."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = (120, 40)) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal before the app asks for it
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        self.raw = b""

    def pump(self, seconds: float) -> None:
        """Read whatever the app draws for ``seconds`` (the pty must be drained or it blocks)."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.05))
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.raw += chunk

    @property
    def text(self) -> str:
        return _ESCAPES.sub(b"", self.raw).decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 30.0) -> None:
        end = time.monotonic() + timeout
        while needle not in self.text:
            assert time.monotonic() < end, f"{needle!r} never appeared on the terminal"
            self.pump(0.1)
        self.raw = b""  # later waits look at what is drawn from now on

    def type(self, keys: bytes, pause: float = 0.3) -> None:
        os.write(self.fd, keys)
        self.pump(pause)

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


async def test_sigkill_mid_edit_keeps_the_draft_and_the_restart_reopens_it() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SALESHANDY_", "PYTEST_", "TEXTUAL"))}
    env.update(TERM="xterm-256color", COLUMNS="120", LINES="40", NO_COLOR="1")
    terminal = Terminal([sys.executable, "-m", "tui", "--demo"], env)
    try:
        terminal.wait_for("Hiring managers")
        terminal.type(b"g")
        terminal.type(b"l")  # expand the first sequence (its steps load)
        terminal.wait_for("Day 1")
        terminal.type(b"j")  # its first step
        terminal.type(b"l")  # expand it
        terminal.type(b"j")  # variant A
        terminal.type(b"\r")  # open it (the tree keeps the keys, issue 13 item 12)
        terminal.type(b"\r")  # into the form: the subject field has the focus
        terminal.wait_for("Subject")
        terminal.type(b"\x05")  # ctrl+e: end of the subject line
        terminal.type(TYPED.encode(), pause=0.1)
        terminal.pump(1.5)  # a little past the journal's one-second interval
    finally:
        terminal.kill()

    with DraftStore(state_dir() / "drafts.sqlite3") as store:
        (draft,) = store.drafts("demo")
    assert draft.edited.payload["subject"].endswith(TYPED)
    assert not draft.base.payload["subject"].endswith(TYPED)
    assert draft.focus == "field-subject"

    # The restarted app (same state and data directories) reopens it.
    account = resolve_account(Namespace(demo=True, demo_reset=False, base_url=None, profile=None))
    app = SeqEditApp(account)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(50):  # the demo sandbox is opened behind the first screen
            if app.workspace.steps(draft.key.sequence_id) is not None:
                break
            await pilot.pause(0.05)
            await settle(pilot)
        key = next(k for k in app.workspace.dirty_keys())
        assert tuple(key) == draft.key[1:]
        await pilot.press("D")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        subject = app.screen.query_one("#field-subject", Input)
        assert subject.value == draft.edited.payload["subject"]
        assert subject.has_focus
