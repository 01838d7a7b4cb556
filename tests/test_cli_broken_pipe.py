"""Headless commands whose reader stops early (`seqedit lint --all | head`) exit quietly.

Each command runs in a real interpreter with stdout on a pipe whose reading end is already
closed: what `head` leaves behind once it has its lines. Closing it before the command starts
(rather than after reading a few bytes) makes the failing write certain; otherwise an output
smaller than the pipe's buffer would be written in full before the close, and the test would
pass without exercising anything.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SIGPIPE_STATUS = 141


def demo_sequence_id() -> str:
    """The first sequence of the demo sandbox (in this test's private data directory, which
    the child process inherits through the environment)."""
    from tui.session.connect import open_client, resolve_account

    async def first() -> str:
        async with open_client(resolve_account(Namespace(demo=True))) as client:
            listing = await client.list_sequences()
            return listing.items[0].id

    return asyncio.run(first())


def child_env(buffered: bool) -> dict[str, str]:
    # Buffered is what people get; unbuffered (PYTHONUNBUFFERED, which some shells and CI set)
    # fails at the first print instead of at the exit's flush. Both are checked.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    return env


def run_into_closed_pipe(argv: list[str], buffered: bool) -> subprocess.CompletedProcess[str]:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "tui.cli", *argv],
            cwd=ROOT,
            env=child_env(buffered),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)


COMMANDS = {
    "lint": ["lint", "--demo", "--all"],  # more than stdout's buffer: print() fails either way
    "lint-json": ["lint", "--demo", "--all", "--format", "json"],
    "preview": ["preview", "--demo", "--sequence", "{sequence}"],
    "preview-source": ["preview", "--demo", "--sequence", "{sequence}", "--mode", "source"],
    "config-show": ["config", "show"],  # a few lines: buffered, only the flush at exit fails
}


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("name", COMMANDS)
def test_a_closed_stdout_ends_the_command_quietly(name: str, buffered: bool) -> None:
    sequence = demo_sequence_id() if name.startswith("preview") else ""
    argv = [word.format(sequence=sequence) for word in COMMANDS[name]]
    done = run_into_closed_pipe(argv, buffered)
    for noise in ("Traceback", "BrokenPipeError", "Exception ignored"):
        assert noise not in done.stderr, (argv, done.stderr)
    assert done.returncode == SIGPIPE_STATUS, (argv, done.returncode, done.stderr)


def test_an_open_stdout_still_gets_everything() -> None:
    # The flush added for the closed case must not lose or reorder anything when the pipe is read.
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "preview", "--demo", "--sequence", demo_sequence_id()],
        cwd=ROOT,
        env=child_env(buffered=True),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("── ") and done.stdout.endswith("\n")
    assert done.stderr == ""
