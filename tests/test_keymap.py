"""Keymap: the config's [keymap] moves bindings by id; bad entries are reported, the rest applies."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from test_app_support import make_app, open_variant, settle, type_text
from textual.widgets import Input, Static

from tui.api.channels import Channel
from tui.config.keymap import KnownBinding, check_keymap, is_key, known_bindings
from tui.screens.help_screen import HelpScreen
from tui.screens.review_screen import ReviewScreen


def _notes(app) -> list[str]:
    return [str(note.message) for note in app._notifications]


def write_config(text: str) -> Path:
    from tui.config import config_path

    path = config_path()
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


KNOWN = {
    "save-variant": KnownBinding("save-variant", "ctrl+s", "Save", "MainScreen"),
    "toggle-status": KnownBinding("toggle-status", "s", "Status", "MainScreen"),
    "reload": KnownBinding("reload", "r", "Reload", "MainScreen"),
    "help-close": KnownBinding("help-close", "escape,q", "Close help", "HelpScreen"),
    "tree-down": KnownBinding("tree-down", "j", "Down", "SequenceTree", above_fields=False),
}


# --- checking entries ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["ctrl+w", "f2", "?", "question_mark", "slash", "alt+e", "ctrl+shift+left", "G", "escape", "pagedown", "space"],
)
def test_keys_textual_reports_are_keys(key: str) -> None:
    assert is_key(key)


@pytest.mark.parametrize("key", ["", "ctlr+w", "ctrl+", "control+s", "f2 f3", "bogus_key", "ctrl+nothing"])
def test_misspelt_keys_are_not_keys(key: str) -> None:
    assert not is_key(key)


def test_valid_entries_pass_through_normalised() -> None:
    usable, problems = check_keymap({"save-variant": "ctrl+r, f2", "reload": "f8"}, KNOWN)
    assert problems == []
    assert usable == {"save-variant": "ctrl+r,f2", "reload": "f8"}


def test_an_unknown_id_is_one_message_naming_it_with_a_suggestion() -> None:
    usable, problems = check_keymap({"save-varaint": "ctrl+r", "reload": "f8"}, KNOWN)
    assert usable == {"reload": "f8"}
    assert problems == ["keymap: unknown binding id 'save-varaint'; did you mean 'save-variant'?"]


def test_an_id_nothing_like_a_known_one_points_to_the_help_screen() -> None:
    _, problems = check_keymap({"launch-rockets": "x"}, KNOWN)
    assert problems == ["keymap: unknown binding id 'launch-rockets'; the help screen (? or F1) lists the ids"]


def test_a_bad_key_names_the_id_and_the_key() -> None:
    usable, problems = check_keymap({"save-variant": "ctrl+r,ctlr+x"}, KNOWN)
    assert usable == {}
    assert len(problems) == 1 and problems[0].startswith("keymap.save-variant: 'ctlr+x' is not a key")


def test_two_bindings_of_one_screen_on_one_key_are_reported() -> None:
    usable, problems = check_keymap({"reload": "s"}, KNOWN)
    assert usable == {"reload": "s"}
    assert problems == ["keymap.reload: 's' is also the key of 'toggle-status' (Status); one of them will not work"]
    # Moving both apart is fine, and a key shared with another screen is not a clash.
    assert check_keymap({"reload": "s", "toggle-status": "t"}, KNOWN)[1] == []
    assert check_keymap({"reload": "q"}, KNOWN)[1] == []


def test_a_screen_key_moved_onto_a_text_field_key_is_flagged_but_applied() -> None:
    # ctrl+w deletes a word in Input and TextArea, which see keys before the screen does.
    usable, problems = check_keymap({"save-variant": "ctrl+w", "tree-down": "down"}, KNOWN)
    assert usable == {"save-variant": "ctrl+w", "tree-down": "down"}
    assert len(problems) == 1
    assert problems[0].startswith("keymap.save-variant: text fields use 'ctrl+w' themselves")


def test_hostile_ids_are_shown_harmlessly() -> None:
    _, problems = check_keymap({"evil\x1b]52;c;aGk=\x07id": "x"}, KNOWN)
    assert len(problems) == 1 and "\x1b" not in problems[0] and "\x07" not in problems[0]


# --- in the app ------------------------------------------------------------------------------


async def test_the_app_knows_every_binding_id_including_lazy_screens(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        known = known_bindings(app)
    for ident in (
        "save-variant",
        "toggle-status",
        "quit",
        "help",
        "help-close",
        "review-confirm",
        "open-in-editor",
        "copy-field",
        "copy-variant-json",
    ):
        assert ident in known, ident
    assert known["save-variant"].keys == "ctrl+s" and known["save-variant"].owner == "MainScreen"


def _help_text(app) -> str:
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    table = screen.query_one("#help-table", Static).content
    console = Console(file=io.StringIO(), width=160, color_system=None)
    console.print(table)
    return console.file.getvalue()


def _row(text: str, ident: str) -> str:
    return next(line for line in text.splitlines() if line.rstrip().endswith(ident))


async def test_a_remapped_save_key_saves_and_the_old_key_does_not(sandbox_app) -> None:
    write_config('[keymap]\nsave-variant = "f9"\nlaunch-rockets = "x"\n')
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        assert any("unknown binding id 'launch-rockets'" in note for note in _notes(app))
        subject = app.screen.query_one("#field-subject", Input)
        await pilot.press("end")
        await type_text(pilot, " now")
        await settle(pilot)
        assert subject.value.endswith(" now") and app.workspace.is_dirty(key)

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ReviewScreen)

        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        await settle(pilot)


async def test_the_help_screen_shows_the_remapped_keys(sandbox_app) -> None:
    write_config('[keymap]\nsave-variant = "f9"\nhelp = "f1,f12"\nopen-in-editor = "f4"\n')
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert _notes(app) == []
        await pilot.press("f12")
        await settle(pilot)
        text = _help_text(app)
        assert "f9" in _row(text, "save-variant").lower()
        assert "ctrl+s" not in _row(text, "save-variant").lower()
        assert "f4" in _row(text, "open-in-editor").lower()
        assert "f12" in _row(text, "help").lower()


async def test_without_a_keymap_the_defaults_stand(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        text = _help_text(app)
        assert "ctrl+g" in _row(text, "open-in-editor").lower() or "^g" in _row(text, "open-in-editor").lower()
