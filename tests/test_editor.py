"""$VISUAL/$EDITOR: the temp-file round trip with scripted editors, then the key in the real app.

The scripted editors are tiny shell scripts that record what they were given (path, mode, text)
and rewrite the file, as a person would. Headless Textual cannot suspend, so in the app tests the
editor runs without a terminal; the suspend path is the same code with ``interactive=True``.
"""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

import pytest
from test_app_support import make_app, open_variant, settle
from textual.widgets import Input, TextArea

from tui.api.channels import Channel
from tui.terminal.external_editor import EditorError, edit_text, editor_command, tidy_result


def script(folder: Path, name: str, body: str) -> Path:
    """An executable /bin/sh script; ``$1`` is the file to edit."""
    path = folder / name
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o700)
    return path


def recording_editor(folder: Path, action: str) -> tuple[Path, Path]:
    """An editor that logs the file's path and mode, copies what it saw, then runs ``action``."""
    log = folder / "editor.log"
    seen = folder / "seen.txt"
    body = f'printf "%s %s\\n" "$1" "$(stat -c %a "$1")" >> "{log}"\ncat "$1" > "{seen}"\n{action}\n'
    return script(folder, "editor.sh", body), log


def logged(log: Path) -> tuple[Path, str]:
    path, mode = log.read_text(encoding="utf-8").split()
    return Path(path), mode


# --- which editor ----------------------------------------------------------------------------


def test_visual_wins_over_editor_over_the_config() -> None:
    env = {"VISUAL": "code --wait", "EDITOR": "nano", "PATH": ""}
    assert editor_command("emacs -nw", env) == ["code", "--wait"]
    assert editor_command("emacs -nw", {"EDITOR": "nano", "PATH": ""}) == ["nano"]
    assert editor_command("emacs -nw", {"PATH": ""}) == ["emacs", "-nw"]
    assert editor_command(None, {"VISUAL": "  ", "EDITOR": "'my editor' -x", "PATH": ""}) == ["my editor", "-x"]


def test_without_any_setting_a_common_editor_on_path_is_used(tmp_path: Path) -> None:
    script(tmp_path, "nano", "exit 0\n")
    assert editor_command(None, {"PATH": str(tmp_path)}) == ["nano"]
    with pytest.raises(EditorError, match=r"set \$VISUAL or \$EDITOR"):
        editor_command(None, {"PATH": str(tmp_path / "empty")})


def test_an_unsplittable_editor_setting_is_a_clear_error() -> None:
    with pytest.raises(EditorError, match="EDITOR cannot be split"):
        editor_command(None, {"EDITOR": "vim 'unclosed", "PATH": ""})


# --- the round trip --------------------------------------------------------------------------


def test_round_trip_private_temp_file_with_the_suffix_then_removed(tmp_path: Path) -> None:
    editor, log = recording_editor(tmp_path, 'printf "<p>rewritten</p>" > "$1"')
    result = edit_text("<p>original</p>", [str(editor)], suffix=".html", label="Content (HTML)", interactive=False)
    assert result == "<p>rewritten</p>"
    path, mode = logged(log)
    assert mode == "600"
    assert path.suffix == ".html" and path.name.startswith("seqedit-content-html-")
    assert (tmp_path / "seen.txt").read_text(encoding="utf-8") == "<p>original</p>"
    assert not path.exists()


def test_editor_arguments_come_before_the_file(tmp_path: Path) -> None:
    args = tmp_path / "args.txt"
    editor = script(tmp_path, "ed.sh", f'printf "%s|" "$@" > "{args}"\n')
    edit_text("x", [str(editor), "--wait", "-n"], interactive=False)
    first, second, third = args.read_text(encoding="utf-8").rstrip("|").split("|")
    assert (first, second) == ("--wait", "-n") and third.endswith(".txt")


def test_unicode_and_crlf_survive_the_round_trip(tmp_path: Path) -> None:
    editor = script(tmp_path, "ed.sh", "exit 0\n")
    text = "Grüße {{first_name|there}} 👋\r\nzweite Zeile"
    assert edit_text(text, [str(editor)], interactive=False) == text


def test_a_failing_editor_raises_and_still_removes_the_file(tmp_path: Path) -> None:
    editor, log = recording_editor(tmp_path, 'printf "half-written" > "$1"; exit 3')
    with pytest.raises(EditorError, match="exited with status 3"):
        edit_text("keep me", [str(editor)], interactive=False)
    path, _ = logged(log)
    assert not path.exists()


def test_a_missing_editor_is_a_clear_error() -> None:
    with pytest.raises(EditorError, match="editor not found: no-such-editor-here"):
        edit_text("x", ["no-such-editor-here"], interactive=False)


def test_an_editor_that_deletes_the_file_or_writes_binary_is_an_error(tmp_path: Path) -> None:
    deleter = script(tmp_path, "rm.sh", 'rm -f "$1"\n')
    with pytest.raises(EditorError, match="removed the file"):
        edit_text("x", [str(deleter)], interactive=False)
    binary = script(tmp_path, "bin.sh", "printf '\\377\\376' > \"$1\"\n")
    with pytest.raises(EditorError, match="not UTF-8"):
        edit_text("x", [str(binary)], interactive=False)


def test_a_headless_editor_gets_no_terminal_input(tmp_path: Path) -> None:
    # An editor that reads stdin must see end-of-file at once instead of hanging the app.
    editor = script(tmp_path, "reader.sh", 'cat > "$1"\n')
    assert edit_text("was here", [str(editor)], interactive=False) == ""


@pytest.mark.parametrize(
    ("original", "edited", "multiline", "expected"),
    [
        ("Hello", "Hello there\n", False, "Hello there"),
        ("Hello", "Hello\r\n", False, "Hello"),
        ("Hello", "two\nlines\n", False, "two lines"),
        (" padded ", " padded \n", False, " padded "),
        ("<p>a</p>", "<p>b</p>\n", True, "<p>b</p>"),
        ("<p>a</p>\n", "<p>b</p>\n", True, "<p>b</p>\n"),
        ("a", "a\n\n", True, "a\n"),
    ],
)
def test_tidy_result_drops_what_editors_add(original: str, edited: str, multiline: bool, expected: str) -> None:
    assert tidy_result(original, edited, multiline=multiline) == expected


# --- in the app ------------------------------------------------------------------------------


def _notes(app) -> list[str]:
    return [str(note.message) for note in app._notifications]


@pytest.fixture
def editor_env(monkeypatch: pytest.MonkeyPatch):
    def use(editor: Path) -> None:
        monkeypatch.delenv("VISUAL", raising=False)
        monkeypatch.setenv("EDITOR", str(editor))

    return use


async def test_ctrl_g_edits_the_subject_in_the_editor(sandbox_app, tmp_path: Path, editor_env) -> None:
    editor, log = recording_editor(tmp_path, 'printf "Subject from the editor\\n" > "$1"')
    editor_env(editor)
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        subject = app.screen.query_one("#field-subject", Input)
        before = subject.value
        assert subject.has_focus and not app.workspace.is_dirty(key)

        await pilot.press("ctrl+g")
        await settle(pilot)

        assert subject.value == "Subject from the editor"
        assert app.workspace.edited(key).payload["subject"] == "Subject from the editor"
        assert app.workspace.is_dirty(key)
        # The file is a text file, its one line ending in a newline (issue: an appended line was
        # glued onto the subject's last word); the newline does not come back into the field.
        assert (tmp_path / "seen.txt").read_text(encoding="utf-8") == before + "\n"
        path, mode = logged(log)
        assert mode == "600" and path.suffix == ".txt" and not path.exists()

        # A script that appends a line: a one-line field gets it after a space, a body on a line of its own.
        editor_env(script(tmp_path, "append.sh", 'echo "Added line" >> "$1"\n'))
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert subject.value == "Subject from the editor Added line"
        content = app.screen.query_one("#field-content", TextArea)
        body = content.text
        content.focus()
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert content.text == body + "\nAdded line"
        assert app.workspace.edited(key).payload["content"] == body + "\nAdded line"


async def test_ctrl_g_edits_the_html_body_as_an_html_file(sandbox_app, tmp_path: Path, editor_env) -> None:
    editor, log = recording_editor(tmp_path, 'sed -i "1s/^/<h1>Edited<\\/h1>/" "$1"')
    editor_env(editor)
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        content = app.screen.query_one("#field-content", TextArea)
        before = content.text
        content.focus()
        await settle(pilot)

        await pilot.press("ctrl+g")
        await settle(pilot)

        assert content.text == "<h1>Edited</h1>" + before
        assert app.workspace.edited(key).payload["content"] == "<h1>Edited</h1>" + before
        assert app.workspace.is_dirty(key)
        path, mode = logged(log)
        assert path.suffix == ".html" and mode == "600" and not path.exists()
        # The edit went through the TextArea's history: ctrl+z brings the old body back.
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert content.text == before


async def test_a_failing_editor_leaves_the_field_and_the_variant_untouched(
    sandbox_app, tmp_path: Path, editor_env
) -> None:
    editor, _ = recording_editor(tmp_path, 'printf "garbage" > "$1"; exit 7')
    editor_env(editor)
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        subject = app.screen.query_one("#field-subject", Input)
        before = subject.value

        await pilot.press("ctrl+g")
        await settle(pilot)

        assert subject.value == before
        assert not app.workspace.is_dirty(key)
        assert any("exited with status 7" in note for note in _notes(app))


async def test_ctrl_g_without_a_text_field_focused_says_what_to_do(sandbox_app, tmp_path: Path, editor_env) -> None:
    editor, log = recording_editor(tmp_path, "exit 0")
    editor_env(editor)
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert any("Focus a text field" in note for note in _notes(app))
        assert not log.exists()


async def test_an_unchanged_file_changes_nothing(sandbox_app, tmp_path: Path, editor_env) -> None:
    editor_env(script(tmp_path, "noop.sh", "exit 0\n"))
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert not app.workspace.is_dirty(key)
        assert any("no change" in note for note in _notes(app))


def test_temp_files_are_private_even_with_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        editor, log = recording_editor(tmp_path, "exit 0")
        edit_text("secret draft", [str(editor)], interactive=False)
    finally:
        os.umask(old)
    _, mode = logged(log)
    assert stat.S_IMODE(int(mode, 8)) == 0o600


async def test_a_read_only_text_area_is_not_opened(sandbox_app, tmp_path: Path, editor_env) -> None:
    editor, log = recording_editor(tmp_path, 'printf "changed" > "$1"')
    editor_env(editor)
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        content = app.screen.query_one("#field-content", TextArea)
        before = content.text
        content.read_only = True
        content.focus()
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert content.text == before
        assert not log.exists()
        assert any("read-only" in note for note in _notes(app))


async def test_reload_with_a_variant_open_rebuilds_the_form_once_at_a_time(sandbox_app) -> None:
    """`r` re-reads the steps and the open step's variants; each arrival rebuilds the form. The
    two rebuilds used to interleave and mount two sets of fields with the same ids
    (DuplicateIds: the app was gone). Found by hand at 80×24."""
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        subject = app.screen.query_one("#field-subject", Input)
        subject.focus()
        await pilot.press("end", *"XYZ")
        await pilot.press("escape", "r")
        await settle(pilot)
        # Both arrivals at once, as over a real connection they can be: two rebuilds in flight.
        await asyncio.gather(app.screen.editing.show_current(), app.screen.editing.show_current())
        await settle(pilot)
        assert app.is_running
        assert len(app.screen.query("#form-heading")) == 1
        assert app.screen.query_one("#field-subject", Input).value.endswith("XYZ")
