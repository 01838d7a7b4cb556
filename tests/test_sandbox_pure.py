"""The sandbox is headless: importing and running it never loads Textual.

One interpreter imports every sandbox module and builds the app (tests/test_layers.py checks
the import side of every pure module the same way).
"""

from __future__ import annotations

import subprocess
import sys

MODULES = [
    "tui.sandbox",
    "tui.sandbox.app",
    "tui.sandbox.store",
    "tui.sandbox.rules",
    "tui.sandbox.faults",
    "tui.sandbox.demo",
    "tui.sandbox.large",
    "tui.sandbox.server",
    "tui.sandbox.testing",
    "tui.commands.sandbox",
]


def test_sandbox_modules_and_app_do_not_import_textual() -> None:
    code = (
        f"import sys, importlib; [importlib.import_module(m) for m in {MODULES!r}]; "
        "from tui.sandbox.app import create_app; create_app(); "
        "print([m for m in sys.modules if m == 'textual' or m.startswith('textual.')])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", result.stdout
