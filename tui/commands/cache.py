"""`seqedit cache`: the last known sequence listings kept for a fast start (README: Performance)."""

from __future__ import annotations

import argparse


def register(sub, parents: list[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "cache",
        help="show where the cached sequence listings are, or remove them",
        description=(
            "seqedit keeps the last sequence listing of each account (and the steps loaded) in its "
            "state directory, to show them at once at the next start. `cache clear` removes them all."
        ),
    )
    parser.add_argument(
        "action", choices=("clear", "path"), help="clear: remove every cached listing; path: print where they are"
    )


def run(args: argparse.Namespace) -> int:
    from tui.session.listing_cache import cache_dir, clear

    if args.action == "path":
        print(cache_dir(create=False))
        return 0
    removed = clear()
    print(f"Removed {removed} cached listing{'s' if removed != 1 else ''} from {cache_dir(create=False)}.")
    return 0
