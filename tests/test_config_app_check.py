"""`seqedit config show|edit` report what the app reports at start-up, in the same words:
a theme that is not installed, unknown binding ids, keys that are not keys, keys text fields take."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_support import make_app, settle
from textual.binding import Binding

from tui.app import SeqEditApp
from tui.cli import main
from tui.config import TEMPLATE, config_path
from tui.config.keymap import known_bindings
from tui.text.safe_text import one_line

QA_LINES = 'theme = "nope"\n[keymap]\nquit = "ctrl+zz"\nbogus-id = "f2"'


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scripted $EDITOR: appends $APPEND to the file it is given."""
    script = tmp_path / "fake-editor.sh"
    script.write_text('#!/bin/sh\nprintf "%s\\n" "$APPEND" >> "$1"\n')
    script.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("SEQEDIT_THEME", raising=False)
    monkeypatch.setenv("EDITOR", f"sh {script}")
    return script


def _problems(out: str) -> list[str]:
    """The lines under "problems:" in the command's output."""
    if "\nproblems:\n" not in out:
        return []
    block = out.split("\nproblems:\n", 1)[1]
    return [line.strip() for line in block.split("\n\n", 1)[0].splitlines() if line.strip()]


def test_edit_reports_the_theme_and_keymap_problems_the_app_would(editor: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("APPEND", QA_LINES)
    assert main(["config", "edit"]) == 1
    out = capsys.readouterr().out
    assert "OK" not in out
    problems = _problems(out)
    assert any(line.startswith("theme 'nope' (config.toml) is not installed; known: ") for line in problems)
    assert any(line.startswith("keymap: unknown binding id 'bogus-id'") for line in problems)
    assert "keymap.quit: 'ctrl+zz' is not a key" in out
    assert f"{len(problems)} problem(s)" in out


def test_show_lists_the_same_problems(capsys, monkeypatch) -> None:
    monkeypatch.delenv("SEQEDIT_THEME", raising=False)
    config_path().write_text(QA_LINES + "\n")
    assert main(["config", "show"]) == 0
    problems = _problems(capsys.readouterr().out)
    assert len(problems) == 3
    assert "theme 'nope' (config.toml) is not installed" in problems[0]


def test_edit_checks_a_profile_theme_too(editor: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("APPEND", '[profiles.acme]\ntheme = "nope-either"')
    assert main(["config", "edit"]) == 1
    assert "theme 'nope-either' (profile acme) is not installed" in capsys.readouterr().out


async def test_the_command_and_the_app_use_the_same_words(sandbox_app, capsys, monkeypatch) -> None:
    monkeypatch.delenv("SEQEDIT_THEME", raising=False)
    config_path().write_text(QA_LINES + '\nsave-variant = "ctrl+w"\n')
    config_path().chmod(0o600)
    assert main(["config", "show"]) == 0
    from_command = _problems(capsys.readouterr().out)
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        notes = [str(note.message) for note in app._notifications]
    from_app = [line for note in notes for line in note.splitlines()]
    assert len(from_command) == 4  # theme, unknown id, not a key, taken by text fields
    # The notification cuts each line at 300 characters (the list of known themes is long).
    assert from_app == [one_line(line, 300) for line in from_command]


def test_the_template_keymap_suggestion_works_while_typing(editor: Path, capsys, monkeypatch) -> None:
    # Uncomment everything the template suggests under [keymap], as a person would.
    keymap_part = TEMPLATE.split("# [keymap]\n", 1)[1].split("\n\n", 1)[0]
    suggestions = [line.removeprefix("# ") for line in keymap_part.splitlines()]
    assert suggestions and all("=" in line for line in suggestions)
    monkeypatch.setenv("APPEND", "\n".join(["[keymap]", *suggestions]))
    assert main(["config", "edit"]) == 0, capsys.readouterr().out
    assert f"{config_path()}: OK" in capsys.readouterr().out


async def test_the_ids_found_without_the_app_are_the_ids_the_running_app_knows(sandbox_app) -> None:
    from_class = known_bindings(SeqEditApp)
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert known_bindings(app) == from_class
        live: set[str] = set()
        for node in [app, *app.screen_stack, *app.screen.walk_children(with_self=False)]:
            for cls in type(node).__mro__:
                for item in cls.__dict__.get("BINDINGS", ()):
                    if isinstance(item, Binding) and item.id:
                        live.add(item.id)
    assert live and live <= set(from_class)
