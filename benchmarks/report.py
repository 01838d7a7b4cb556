"""Rows of figures, the machine they ran on, and the table printed at the end."""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass
class Row:
    """One line of the table: a figure in ``unit`` against a goal.

    ``goal`` is the text shown ("≤ 1.5×"); ``met`` is None when the row has no goal (a baseline
    or a figure reported for information). ``note`` is printed under the table.
    """

    group: str
    name: str
    figure: float
    unit: str
    goal: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def figure_text(self) -> str:
        value = self.figure
        if self.unit == "×":
            return f"{value:.2f}×"
        if abs(value) >= 100 or float(value).is_integer():
            text = f"{value:,.0f}"
        elif abs(value) >= 10:
            text = f"{value:.1f}"
        else:
            text = f"{value:.2f}"
        return f"{text} {self.unit}".rstrip()


def at_most(
    group: str, name: str, figure: float, unit: str, limit: float, goal: str | None = None, note: str = ""
) -> Row:
    """A row whose goal is ``figure <= limit``."""
    shown = goal or f"≤ {limit:g}{'' if unit == '×' else ' '}{unit}"
    return Row(group, name, figure, unit, shown, figure <= limit, note)


def info(group: str, name: str, figure: float, unit: str, note: str = "") -> Row:
    """A row with no goal (a baseline, or a figure reported for information)."""
    return Row(group, name, figure, unit, "", None, note)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(module: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(module)
    except PackageNotFoundError:
        return "?"


def machine_lines() -> list[str]:
    """CPU model, cores, OS, Python and the libraries whose speed the figures depend on."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return [
        f"machine: {_cpu_model()}, {cores} cores, {platform.system()} {platform.release()}",
        f"python:  {python} ({sys.executable})",
        "libs:    "
        + ", ".join(f"{name} {_version(name)}" for name in ("textual", "httpx", "pydantic", "selectolax", "uvicorn")),
    ]


def table(rows: Iterable[Row]) -> str:
    """The rows as a Markdown table (so it pastes into the README unchanged), then the notes."""
    rows = list(rows)
    header = ("benchmark", "figure", "goal", "met?")
    cells = [
        (
            f"{row.group}: {row.name}",
            row.figure_text,
            row.goal or "—",
            {True: "yes", False: "**no**", None: "—"}[row.met],
        )
        for row in rows
    ]
    widths = [max(len(header[i]), *(len(cell[i]) for cell in cells)) if cells else len(header[i]) for i in range(4)]

    def line(values: Iterable[str]) -> str:
        return "| " + " | ".join(value.ljust(width) for value, width in zip(values, widths)) + " |"

    out = [line(header), "|" + "|".join("-" * (width + 2) for width in widths) + "|"]
    out.extend(line(cell) for cell in cells)
    notes = [f"- {row.group}: {row.name}: {row.note}" for row in rows if row.note]
    if notes:
        out.append("")
        out.extend(notes)
    return "\n".join(out)


Progress = Callable[[str], None]
