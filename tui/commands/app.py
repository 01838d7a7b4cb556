"""`seqedit` (and `seqedit app`): the editor."""

from __future__ import annotations

import argparse


def register(sub, parents: list[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("app", parents=parents, help="open the editor (the default command)")
    parser.add_argument("--read-only", action="store_true", help="browse and review; refuse to save")


def run(args: argparse.Namespace) -> int:
    """Resolve the account and run the app; no key → a screen that says how to get one."""
    from tui.connect import NoApiKey, resolve_account

    no_key: str | None = None
    account = None
    try:
        account = resolve_account(args)
    except NoApiKey as exc:
        no_key = str(exc)
    except ValueError as exc:  # an unsafe --base-url: say so plainly, no traceback
        import sys

        print(f"seqedit: {exc}", file=sys.stderr)
        return 2
    from tui.app import SeqEditApp

    app = SeqEditApp(
        account,
        # --read-only, or read_only in the config (file, profile or SEQEDIT_READ_ONLY).
        read_only=bool(getattr(args, "read_only", False)) or bool(getattr(account, "read_only", False)),
        reset_demo=bool(getattr(args, "demo_reset", False)),
        no_key_message=no_key,
    )
    app.run()
    return 1 if no_key else 0
