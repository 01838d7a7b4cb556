"""`seqedit config`: not built yet."""

from __future__ import annotations

import argparse
import sys


def register(sub, parents: list[argparse.ArgumentParser]) -> None:
    sub.add_parser("config", parents=parents, help="(not built yet)")


def run(args: argparse.Namespace) -> int:
    print("seqedit config: not built yet", file=sys.stderr)
    return 2
