"""The headless core must stay importable without Textual (harlequin's rule).

All pure modules are imported one after another in one fresh interpreter, checking after each
import: the first module that brings Textual in is named. A clean run proves each module clean on
its own too (what none of them imports, no one of them imports), at the cost of one interpreter
start instead of one per module.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import tui

PURE_PACKAGES = (
    "tui.api",
    "tui.sandbox",
    "tui.validation",
    "tui.preview",
    "tui.drafts",
    "tui.config",
    "tui.text",
    "tui.session",
    "tui.terminal",
)
PURE_MODULES = (
    "tui.cli",
    "tui.commands.json_input",
    "tui.commands.doctor",
    "tui.commands.doctor_checks",
    "tui.commands.doctor_shapes",
    "tui.commands.doctor_write",
)

_CHECK = """
import importlib, json, sys
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
    if any(m == "textual" or m.startswith("textual.") for m in sys.modules):
        print(name)
        break
"""


def _pure_modules() -> list[str]:
    root = Path(tui.__file__).parent
    names = [name for name in PURE_MODULES if (root / (name.split(".", 1)[1].replace(".", "/") + ".py")).exists()]
    for package in PURE_PACKAGES:
        folder = root / package.split(".", 1)[1]
        if not folder.is_dir():
            continue
        names.append(package)
        names.extend(f"{package}.{info.name}" for info in pkgutil.iter_modules([str(folder)]))
    return names


def test_no_pure_module_imports_textual() -> None:
    modules = _pure_modules()
    result = subprocess.run(
        [sys.executable, "-c", _CHECK, json.dumps(modules)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{result.stdout.strip()} pulls in Textual"


def test_the_check_names_a_module_that_imports_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _CHECK, json.dumps(["tui.text.safe_text", "tui.widgets.messages", "tui.api"])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "tui.widgets.messages"


def test_the_list_of_pure_modules_covers_the_core() -> None:
    modules = _pure_modules()
    for name in (
        "tui.api.models",
        "tui.validation",
        "tui.preview.email_html",
        "tui.session.save_flow",
        "tui.session.draft_keeper",
    ):
        assert name in modules
