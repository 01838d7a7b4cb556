"""`seqedit` (and `seqedit app`): the editor."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.app import SeqEditApp
    from tui.session.account import Account


def register(sub, parents: list[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("app", parents=parents, help="open the editor (the default command)")
    parser.add_argument("--read-only", action="store_true", help="browse and review; refuse to save")
    parser.add_argument("--no-cache", action="store_true", help="neither show nor keep the last sequence listing")


def build_app(args: argparse.Namespace, review_sequence: str | None = None) -> SeqEditApp:
    """The editor for the account ``args`` names (``seqedit`` and ``seqedit review`` both use it).

    Without an API key the app shows the no-key screen (and opens no review); read-only comes
    from ``--read-only`` or the config (file, profile or SEQEDIT_READ_ONLY). An unsafe
    ``--base-url`` raises ValueError.
    """
    from tui.app import SeqEditApp
    from tui.session.account import NoApiKey, resolve_account  # light: no httpx before the first frame

    no_key: str | None = None
    account = None
    found: Account | NoApiKey  # either carries what the config file gave
    try:
        found = account = resolve_account(args)
    except NoApiKey as exc:
        found, no_key = exc, str(exc)
    return SeqEditApp(
        account,
        read_only=bool(getattr(args, "read_only", False)) or bool(getattr(account, "read_only", False)),
        reset_demo=bool(getattr(args, "demo_reset", False)),
        no_key_message=no_key,
        review_sequence=None if no_key else review_sequence,
        cache=not getattr(args, "no_cache", False),
        # The config was read once, to resolve the account: its settings and problems go on to
        # the app (theme, keymap, cache, sort), which would otherwise read the file again.
        settings=found.settings,
        config_problems=found.config_problems,
    )


def run(args: argparse.Namespace) -> int:
    """Run the app; no key → a screen that says how to get one (exit 1); a crash → 70."""
    from tui.config.paths import data_dir, state_dir

    # Before the screen takes over the terminal: a state (drafts) or data (demo) directory that
    # cannot be used is said on stderr (tui.cli), not found out after the person has typed.
    state_dir()
    if getattr(args, "demo", False):
        data_dir()
    try:
        app = build_app(args)
    except ValueError as exc:  # an unsafe --base-url: say so plainly, no traceback
        print(f"seqedit: {exc}", file=sys.stderr)
        return 2
    return run_app(app, no_key=app.account is None)


def run_app(app: SeqEditApp, *, no_key: bool) -> int:
    """Run ``app``; its exit code: EXIT_CRASH after an unhandled error (the app printed where
    the report is), 1 when ``no_key`` (the no-key screen was shown), else 0."""
    from tui.terminal.crash_report import EXIT_CRASH

    app.run()
    if app.crashed:
        return EXIT_CRASH
    return 1 if no_key else 0
