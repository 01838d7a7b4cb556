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
    """The app :func:`run` would run (tests drive it with ``run_test``): the editor of
    ``seqedit`` (:func:`tui.commands.app.build_app`, so the config's read-only holds here too)
    opening review mode. An unsafe ``--base-url`` raises ValueError."""
    from tui.commands.app import build_app as build_editor

    return build_editor(args, review_sequence=args.sequence.strip())


def run(args: argparse.Namespace) -> int:
    """Run the app in review mode; 0 after a normal exit, 70 after a crash."""
    if not (args.sequence or "").strip():
        print("seqedit review: --sequence needs a sequence id", file=sys.stderr)
        return 2
    try:
        app = build_app(args)
    except ValueError as exc:  # an unsafe --base-url: say so plainly, no traceback
        print(f"seqedit review: {exc}", file=sys.stderr)
        return 2
    from tui.commands.app import run_app

    return run_app(app, no_key=not app.review_sequence)  # no key: the no-key screen was shown instead
