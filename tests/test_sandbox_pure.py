"""The sandbox is headless: importing and running it never loads Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = ["tui.sandbox", "tui.sandbox.app", "tui.sandbox.store", "tui.sandbox.rules", "tui.sandbox.faults",
           "tui.sandbox.demo", "tui.sandbox.large", "tui.sandbox.server", "tui.sandbox.testing", "tui.commands.sandbox"]


@pytest.mark.parametrize("module", MODULES)
def test_module_does_not_import_textual(module):
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "from tui.sandbox.app import create_app; create_app(); "
        "sys.exit(1 if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
