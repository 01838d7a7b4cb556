"""`seqedit config path|show|edit` through the real command line entry point."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tui.cli import main
from tui.config import TEMPLATE, config_path, load_config

SECRET = "shk_cli_SECRET_0123456789abcdef"


@pytest.fixture
def editor(tmp_path: Path) -> Path:
    """A scripted $EDITOR: appends the line in $APPEND to the file it is given."""
    script = tmp_path / "fake-editor.sh"
    script.write_text('#!/bin/sh\nprintf "%s\\n" "$APPEND" >> "$1"\n')
    script.chmod(0o755)
    return script


def test_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "path"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == str(config_path()) and out.endswith("config.toml")


def test_show_without_a_file(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    assert main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert "not found: defaults in use" in out
    assert "base_url       https://open-api.saleshandy.com  (default)" in out
    assert "api key        not set" in out
    assert "problems" not in out


def test_show_gives_the_theme_the_app_would_use(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.config import save_ui_state
    from tui.config.themes import DEFAULT_THEME

    monkeypatch.delenv("SEQEDIT_THEME", raising=False)
    assert main(["config", "show"]) == 0
    assert f"theme          {DEFAULT_THEME}  (default)\n" in capsys.readouterr().out

    save_ui_state(theme="nord")  # what the app remembers from the command palette's "Change theme"
    assert main(["config", "show"]) == 0
    assert "theme          nord  (last session)\n" in capsys.readouterr().out

    config_path().write_text('theme = "seqedit-light"\n')  # the config wins over the last session
    assert main(["config", "show"]) == 0
    assert "theme          seqedit-light  (config.toml)\n" in capsys.readouterr().out


def test_show_names_the_key_source_never_the_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = config_path()
    path.write_text(
        f'api_key = "{SECRET}"\nsequence_sort = "size"\n[profiles.acme]\nread_only = true\napi_key_command = "echo {SECRET}"\n'
    )
    path.chmod(0o600)
    assert main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert "api key        set (from api_key in config.toml)" in out
    assert "problems:\n  config.toml: sequence_sort = 'size' is not one of" in out

    monkeypatch.setenv("SALESHANDY_API_KEY", SECRET)
    assert main(["config", "show", "--profile", "acme"]) == 0
    out = capsys.readouterr().out
    assert "api key        set (from SALESHANDY_API_KEY)" in out
    assert "read_only      true  (profile acme)" in out
    assert SECRET not in out

    monkeypatch.delenv("SALESHANDY_API_KEY")
    assert main(["--profile", "acme", "config", "show"]) == 0
    out = capsys.readouterr().out
    assert "profile        acme  (--profile)" in out
    assert "api key        set (from api_key_command in profile acme)" in out
    assert SECRET not in out  # the command was not run, nor shown


def test_show_refused_key_and_unknown_profile(capsys: pytest.CaptureFixture[str]) -> None:
    path = config_path()
    path.write_text(f'api_key = "{SECRET}"\n')
    path.chmod(0o644)
    assert main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert "api key        not set" in out and f"chmod 600 {path}" in out and SECRET not in out
    assert main(["config", "show", "--profile", "ghost"]) == 2
    err = capsys.readouterr().err
    assert "no profile named 'ghost'" in err


def test_show_neutralises_escapes_from_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    config_path().write_text('theme = "evil\\u001b]0;pwned\\u0007\\u001b[31m"\n')
    assert main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "evil" in out


def test_edit_creates_the_template_then_checks_it(
    editor: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"sh {editor}")
    monkeypatch.setenv("APPEND", 'theme = "seqedit-light"')
    assert main(["config", "edit"]) == 0
    out = capsys.readouterr().out
    path = config_path()
    assert f"created {path} from the template" in out and f"{path}: OK" in out
    text = path.read_text()
    assert text.startswith(TEMPLATE) and text.endswith('theme = "seqedit-light"\n')
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_config(path, env={}).file.theme == "seqedit-light"


def test_edit_reports_problems(
    editor: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = config_path()
    path.write_text('theme = "seqedit-light"\n')  # installed: only sequence_sort is wrong
    monkeypatch.setenv("VISUAL", str(editor))  # VISUAL wins over EDITOR
    monkeypatch.setenv("EDITOR", "/nonexistent/editor")
    monkeypatch.setenv("APPEND", 'sequence_sort = "size"')
    assert main(["config", "edit"]) == 1
    out = capsys.readouterr().out
    assert "from the template" not in out
    assert "config.toml: sequence_sort = 'size' is not one of" in out and "1 problem(s)" in out
    assert path.read_text() == 'theme = "seqedit-light"\nsequence_sort = "size"\n'


def test_edit_with_a_missing_editor(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "/nonexistent/editor --flag")
    assert main(["config", "edit"]) == 2
    assert "was not found" in capsys.readouterr().err


def test_edit_uses_the_configured_editor_when_the_environment_has_none(
    editor: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    config_path().write_text(f'editor = "sh {editor}"\n')
    monkeypatch.setenv("APPEND", "read_only = true")
    assert main(["config", "edit"]) == 0
    assert load_config(env={}).file.read_only is True
