"""`seqedit review --sequence ID`: open the editor straight into review mode for one sequence.

Review mode walks every variant in step order with its preview and findings (see
:mod:`tui.screens.review_mode`); leaving it shows the editor on the same account.
"""

from __future__ import annotations

import argparse
import sys


def register(sub, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``seqedit review`` and its options."""
    parser = sub.add_parser(
        "review",
        parents=parents,
        help="walk a sequence's variants: preview, findings, pause/resume",
        description=(
            "Open the editor in review mode for one sequence: every variant in step order "
            "(day, step number, letter) with its preview and findings; j/k move, s pauses or "
            "resumes a variant (saved after a confirm), q shows the summary."
        ),
    )
    parser.add_argument("--sequence", metavar="ID", required=True, help="the sequence to review")
    parser.add_argument("--read-only", action="store_true", help="review only; refuse to save")


def build_app(args: argparse.Namespace):
    """The app :func:`run` would run (tests drive it with ``run_test``). Without an API key
    it shows the no-key screen instead; an unsafe ``--base-url`` raises ValueError."""
    from tui.app import SeqEditApp
    from tui.connect import NoApiKey, resolve_account

    no_key: str | None = None
    account = None
    try:
        account = resolve_account(args)
    except NoApiKey as exc:
        no_key = str(exc)
    return SeqEditApp(
        account,
        read_only=bool(getattr(args, "read_only", False)),
        reset_demo=bool(getattr(args, "demo_reset", False)),
        no_key_message=no_key,
        review_sequence=None if no_key else args.sequence.strip(),
    )


def run(args: argparse.Namespace) -> int:
    """Run the app in review mode; 0 after a normal exit."""
    if not (args.sequence or "").strip():
        print("seqedit review: --sequence needs a sequence id", file=sys.stderr)
        return 2
    try:
        app = build_app(args)
    except ValueError as exc:  # an unsafe --base-url: say so plainly, no traceback
        print(f"seqedit review: {exc}", file=sys.stderr)
        return 2
    app.run()
    return 0 if app.review_sequence else 1  # no key: the no-key screen was shown instead
