"""`seqedit sandbox`: not built yet."""

from __future__ import annotations

import argparse
import sys


def register(sub, parents: list[argparse.ArgumentParser]) -> None:
    sub.add_parser("sandbox", parents=parents, help="(not built yet)")


def run(args: argparse.Namespace) -> int:
    print("seqedit sandbox: not built yet", file=sys.stderr)
    return 2
