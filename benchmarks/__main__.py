"""``python -m benchmarks [--smoke] [--only NAME ...]``: run the suite and print the table.

Each benchmark runs in a fresh interpreter of its own (``--child NAME``), so none inherits the
heap, caches or collector state another left behind: a figure reads the same whether its
benchmark runs alone or in the suite.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .report import Row, machine_lines, table


@dataclass(frozen=True)
class Sizes:
    """How much work each benchmark does."""

    startup_runs: int
    sequences: int
    keystrokes: int
    engine_runs: int
    save_runs: int
    # The network suite's own sizes (a person's account, not 5,000 sequences): the opens timed
    # each way, and the sequences `lint --all` reads at the rate limit (most of its wall time).
    network_opens: int
    network_lint_sequences: int


FULL = Sizes(
    startup_runs=7,
    sequences=5000,
    keystrokes=200,
    engine_runs=101,
    save_runs=200,
    network_opens=7,
    network_lint_sequences=60,
)
SMOKE = Sizes(
    startup_runs=2,
    sequences=50,
    keystrokes=10,
    engine_runs=3,
    save_runs=10,
    network_opens=2,
    network_lint_sequences=12,
)
NAMES = ("startup", "preview", "scale", "typing", "engines", "save", "lint", "network")


def _progress(text: str) -> None:
    print(f"  … {text}", file=sys.stderr, flush=True)


def _benchmarks(sizes: Sizes, cache: Path) -> dict[str, Callable[[], list[Row]]]:
    def startup() -> list[Row]:
        from . import startup as bench

        return bench.run(sizes.startup_runs, _progress)

    def preview() -> list[Row]:
        from . import preview_startup as bench

        return bench.run(sizes.startup_runs, _progress)

    def scale() -> list[Row]:
        from . import scale as bench

        return bench.run(sizes.sequences, _progress, cache)

    def typing() -> list[Row]:
        from . import typing_latency as bench

        return bench.run(sizes.keystrokes, _progress)

    def engines() -> list[Row]:
        from . import engines as bench

        return bench.run(sizes.engine_runs, _progress)

    def save() -> list[Row]:
        from . import save as bench

        return bench.run(sizes.save_runs, _progress)

    def lint() -> list[Row]:
        from . import lint_throughput as bench

        return bench.run(sizes.sequences, _progress, cache)

    def network() -> list[Row]:
        from . import network as bench

        return bench.run(sizes.startup_runs, sizes.network_opens, sizes.network_lint_sequences, _progress)

    return {
        "startup": startup,
        "preview": preview,
        "scale": scale,
        "typing": typing,
        "engines": engines,
        "save": save,
        "lint": lint,
        "network": network,
    }


@contextlib.contextmanager
def _private_dirs(home: Path) -> Iterator[None]:
    """seqedit's config, data and state directories under ``home`` while the suite runs.

    The benchmarks that run the app in this process (typing) would otherwise use the real
    ones: the drafts journal of one run came back in the next (the same demo variant, the
    previous run's keys in it) and changed what the next run measured.
    """
    names = [f"SEQEDIT_{name}_DIR" for name in ("CONFIG", "DATA", "STATE")]
    saved = {name: os.environ.get(name) for name in names}
    for name in names:
        path = home / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(path)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


CHILD_ROWS = "SEQEDIT_BENCH_ROWS "  # the line a child prints its rows on


def _child(name: str, sizes: Sizes, cache: Path) -> int:
    """Run one benchmark here and print its rows as one JSON line for the parent."""
    rows = _benchmarks(sizes, cache)[name]()
    print(CHILD_ROWS + json.dumps([dataclasses.asdict(row) for row in rows]), flush=True)
    return 0


def _run_child(name: str, smoke: bool, cache: Path) -> list[Row]:
    command = [sys.executable, "-m", "benchmarks", "--child", name, "--cache", str(cache)] + (
        ["--smoke"] if smoke else []
    )
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent)
    lines = [line for line in done.stdout.splitlines() if line.startswith(CHILD_ROWS)]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"the {name} benchmark failed (exit {done.returncode}); its traceback is above")
    return [Row(**fields) for fields in json.loads(lines[-1][len(CHILD_ROWS) :])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="everything tiny (seconds, for the test suite)")
    parser.add_argument(
        "--only",
        action="append",
        choices=NAMES,
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(NAMES)}",
    )
    parser.add_argument("--child", choices=NAMES, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = SMOKE if args.smoke else FULL
    if args.child:
        from .dataset import CACHE_DIR

        return _child(args.child, sizes, args.cache or CACHE_DIR)
    chosen = args.only or list(NAMES)
    print("\n".join(machine_lines()))
    print(f"mode:    {'smoke' if args.smoke else 'full'}; {', '.join(chosen)}", flush=True)
    rows: list[Row] = []
    failed: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="seqedit-bench-") as tmp, _private_dirs(Path(tmp)):
        from .dataset import CACHE_DIR

        # The smoke run's small database is thrown away; the full run's is kept and reused.
        cache = Path(tmp) / "cache" if args.smoke else CACHE_DIR
        for name in chosen:
            _progress(f"{name}…")
            try:
                rows.extend(_run_child(name, args.smoke, cache))
            except Exception:  # one broken benchmark must not hide the others' figures
                failed.append(name)
                traceback.print_exc()
    print()
    print(table(rows))
    offenders = [row for row in rows if row.group == "startup" and row.met is False]
    if offenders:
        from .startup import import_offenders

        print("\nslowest imports at startup (python -X importtime, cumulative):")
        print("\n".join(f"  {line}" for line in import_offenders()))
    print(f"\n({time.perf_counter() - started:.0f} s)")
    if failed:
        print(f"benchmarks that failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
