"""The benchmark suite's smoke mode still runs end to end and prints every figure.

The figures are not judged (this machine is shared and noisy); the test checks that each
benchmark ran, that its rows are in the table, and that every figure is a number.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.__main__ import SMOKE

ROOT = Path(__file__).resolve().parent.parent
# Rows each benchmark prints (by the start of their name), so a silently dropped row fails.
EXPECTED = {
    "startup": ("seqedit --demo", "bare Textual Tree app", "seqedit / bare"),
    "preview": (
        "seqedit preview FILE.html",
        'bare python -c "import selectolax"',
        "seqedit preview / bare selectolax",
        'bare python -c "import selectolax.lexbor"',
        "seqedit preview / bare selectolax.lexbor",
        "floor: argparse and the parser as seqedit loads it",
        "floor / bare selectolax",
    ),
    "scale": (
        "requests to list",
        "list ",
        "first response → whole list",
        "expand one sequence",
        "filter loaded list by name",
        "filter by name on the server",
        "peak RSS, client + workspace",
        "app: start → all",
        "app: last page → all",
        "peak RSS, app holding",
    ),
    "typing": (
        "keystroke → edit stored in the workspace",
        "keystroke → edit stored, p95",
        "keystroke → screen redrawn with it",
        "keystroke → screen redrawn, p95",
        "keystroke → validation panel updated (",
        "keystroke → validation panel updated, p95",
        "keystroke → preview updated (",
        "keystroke → preview updated, p95",
        "extra validation refreshes",
        "burst of ",
        "burst: last key → validation panel",
        "burst: last key → preview",
        "burst: validation refreshes",
        "burst: preview refreshes",
        "extra preview refreshes",
    ),
    "engines": ("validate() median", "render_email() median"),
    "save": ("client PATCH round trip", "raw httpx PATCH round trip", "client / raw httpx"),
    "lint": ("seqedit lint --all",),
    "network": (
        "cached start → titles at 300 ms",
        "start without the cache",
        "bare Textual Tree app",
        "cached start / bare",
        "enter → first frame with the steps, cursor rested",
        "enter → first frame with the steps, at once",
        "requests in a session of 20 cursor moves",
        "prefetch requests in flight at most",
        "429s surfaced in that session",
        "starts that drew no titles",
        f"lint --all, {SMOKE.network_lint_sequences} sequences",
        "429s surfaced by lint --all",
    ),
}
pytestmark = pytest.mark.slow  # started first under -n (tests/conftest.py)
NUMBER = re.compile(r"^-?[\d,]+(\.\d+)?(×| \S+)?$")


def _rows(output: str) -> dict[str, list[tuple[str, str, str]]]:
    """The table's rows as {group: [(name, figure, met), …]}."""
    rows: dict[str, list[tuple[str, str, str]]] = {}
    for line in output.splitlines():
        if not line.startswith("| ") or line.startswith("| benchmark "):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 4, line
        group, _, name = cells[0].partition(": ")
        rows.setdefault(group, []).append((name, cells[1], cells[3]))
    return rows


@pytest.fixture(scope="module")
def smoke_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    home = tmp_path_factory.mktemp("bench-home")
    env = dict(os.environ)
    env.pop("SALESHANDY_API_KEY", None)
    for name in ("CONFIG", "DATA", "STATE"):
        env[f"SEQEDIT_{name}_DIR"] = str(home / name.lower())
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_machine_is_described(smoke_output: str) -> None:
    head = smoke_output.splitlines()[:4]
    assert head[0].startswith("machine: ") and "cores" in head[0]
    assert any(line.startswith("python:") for line in head)
    assert any(line.startswith("libs:") and "textual" in line for line in head)


def test_every_benchmark_prints_its_rows(smoke_output: str) -> None:
    rows = _rows(smoke_output)
    assert set(rows) == set(EXPECTED)
    for group, names in EXPECTED.items():
        printed = [name for name, _, _ in rows[group]]
        for start in names:
            assert any(name.startswith(start) for name in printed), (group, start, printed)


def test_every_figure_is_a_number(smoke_output: str) -> None:
    for group, rows in _rows(smoke_output).items():
        for name, figure, met in rows:
            assert NUMBER.match(figure), (group, name, figure)
            assert met in ("yes", "**no**", "—"), (group, name, met)


def test_only_runs_one_benchmark(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--only", "engines"],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert set(_rows(done.stdout)) == {"engines"}
