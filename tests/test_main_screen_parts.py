"""How the main screen is put together (issue 14 item 4), checked on the source: no class is
switched at run time, other modules reach the main screen only through the app
(``SeqEditApp.main_screen`` / ``tell_main_screen``), and mypy excuses none of seqedit's modules."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import tui

ROOT = Path(tui.__file__).parent
# The app makes the main screen; its parts (and the screen itself) may name it.
MAY_IMPORT_MAIN_SCREEN = {"app.py", "screens/main_screen.py"}


def _modules() -> list[tuple[str, ast.Module]]:
    return [(str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))) for path in ROOT.rglob("*.py")]


def _type_checking_blocks(tree: ast.Module) -> set[int]:
    """ids of the nodes inside ``if TYPE_CHECKING:`` blocks (never run)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.body:
                inside.update(id(sub) for sub in ast.walk(child))
    return inside


def test_no_object_changes_its_class() -> None:
    switched = [
        name
        for name, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(isinstance(target, ast.Attribute) and target.attr == "__class__" for target in node.targets)
    ]
    assert switched == []


def test_only_the_app_imports_the_main_screen_at_run_time() -> None:
    # Anything else that imported it did so to find it in the screen stack and call its methods.
    importers = []
    for name, tree in _modules():
        if name in MAY_IMPORT_MAIN_SCREEN:
            continue
        typing_only = _type_checking_blocks(tree)
        for node in ast.walk(tree):
            importing = isinstance(node, ast.ImportFrom) and node.module == "tui.screens.main_screen"
            if importing and id(node) not in typing_only:
                importers.append(name)
    assert importers == []


def test_mypy_excuses_none_of_seqedits_modules() -> None:
    config = tomllib.loads((ROOT.parent / "pyproject.toml").read_text(encoding="utf-8"))
    overrides = config["tool"]["mypy"].get("overrides", [])
    excused = [
        module
        for override in overrides
        for module in ([override["module"]] if isinstance(override["module"], str) else override["module"])
        if module == "tui" or module.startswith("tui.")
    ]
    assert excused == []
