"""The headless core must stay importable without Textual (harlequin's rule).

Each module is imported in a fresh interpreter, so one module's imports cannot hide another's.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import tui

PURE_PACKAGES = ("tui.api", "tui.sandbox", "tui.validation", "tui.preview", "tui.drafts", "tui.config")
PURE_MODULES = ("tui.safe_text", "tui.mergetags", "tui.paths", "tui.connect", "tui.workspace", "tui.cli")


def _pure_modules() -> list[str]:
    root = Path(tui.__file__).parent
    names = [name for name in PURE_MODULES if (root / (name.split(".", 1)[1] + ".py")).exists()]
    for package in PURE_PACKAGES:
        folder = root / package.split(".", 1)[1]
        if not folder.is_dir():
            continue
        names.append(package)
        names.extend(f"{package}.{info.name}" for info in pkgutil.iter_modules([str(folder)]))
    return names


@pytest.mark.parametrize("module", _pure_modules())
def test_pure_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]; print(bad)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"{module} pulls in Textual: {result.stdout}"


def test_the_list_of_pure_modules_is_not_empty() -> None:
    assert "tui.api.models" in _pure_modules()
