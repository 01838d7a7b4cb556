"""Themes in the running app: registered at start, chosen from the palette, remembered, overridable."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_support import make_app, settle, type_text

from tui.config import load_ui_state, save_ui_state, themes

BUNDLED_NAMES = {"seqedit-dark", "seqedit-light", "seqedit-high-contrast", "seqedit-ansi"}


def _notes(app) -> list[str]:
    return [str(note.message) for note in app._notifications]


def write_config(text: str) -> Path:
    from tui.config import config_path

    path = config_path()
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def user_theme(file_name: str, text: str) -> Path:
    folder = themes.user_theme_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    path.write_text(text, encoding="utf-8")
    return path


async def choose_theme_from_palette(pilot, name: str) -> None:
    """ctrl+p → "theme" → Textual's "Change theme" command → type the name → enter."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    await type_text(pilot, "theme")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await type_text(pilot, name)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def test_the_theme_is_chosen_before_anything_is_styled(sandbox_app) -> None:
    # Chosen as the app is built, before the screen is composed: no widget is styled twice.
    write_config('theme = "seqedit-light"\n')
    app = make_app(sandbox_app)
    assert app.theme == "seqedit-light"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "seqedit-light" and _notes(app) == []


async def test_the_app_starts_on_seqedit_dark_with_every_theme_registered(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "seqedit-dark"
        assert BUNDLED_NAMES | {"textual-dark", "nord", "ansi-dark"} <= set(app.available_themes)
        assert _notes(app) == []
        # Our variables resolve under our theme: widgets can style with $merge-tag and friends.
        assert app.get_css_variables()["merge-tag"] == "#7fd4ff"


async def test_a_palette_choice_is_remembered_for_the_next_start(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "theme" not in load_ui_state()
        await choose_theme_from_palette(pilot, "seqedit-light")
        assert app.theme == "seqedit-light"
    assert load_ui_state()["theme"] == "seqedit-light"

    again = make_app(sandbox_app)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.theme == "seqedit-light"


async def test_textual_builtins_work_with_our_variables_and_are_remembered(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await choose_theme_from_palette(pilot, "nord")
        assert app.theme == "nord"
        # The stylesheet re-parsed under nord with $finding-error etc. derived from its colours.
        assert (
            app.get_css_variables()["finding-error"]
            == themes.semantic_defaults(app.current_theme.to_color_system().generate())["finding-error"]
        )
    assert load_ui_state()["theme"] == "nord"


async def test_the_config_theme_wins_over_the_remembered_choice(sandbox_app) -> None:
    save_ui_state(theme="seqedit-light")
    write_config('theme = "seqedit-high-contrast"\n')
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "seqedit-high-contrast"
    # Starting on the configured theme is not a new choice: the remembered one stays.
    assert load_ui_state()["theme"] == "seqedit-light"


async def test_seqedit_theme_env_wins_over_the_config_file(sandbox_app, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config('theme = "seqedit-high-contrast"\n')
    monkeypatch.setenv("SEQEDIT_THEME", "seqedit-ansi")
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "seqedit-ansi"
        assert app.current_theme.ansi


async def test_an_unknown_configured_theme_is_reported_and_the_default_used(sandbox_app) -> None:
    write_config('theme = "solarised-purple"\n')
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "seqedit-dark"
        notes = _notes(app)
        assert len(notes) == 1
        assert "theme 'solarised-purple' (config.toml) is not installed" in notes[0]


async def test_a_user_theme_is_offered_and_a_broken_one_is_reported_and_skipped(sandbox_app) -> None:
    user_theme("mine.toml", 'name = "my-ocean"\nprimary = "#1e90ff"\nbackground = "#001a33"\n')
    broken = user_theme("broken.toml", 'name = "broken"\nprimary = "#1e90ff"\nbackgroud = "#000"\n')
    write_config('theme = "my-ocean"\n')
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "my-ocean"
        assert "broken" not in app.available_themes
        notes = _notes(app)
        assert len(notes) == 1
        assert f"{broken}: backgroud: unknown key" in notes[0]
        # The user theme lacks our variables: they are derived from its colours.
        assert "merge-tag" in app.get_css_variables()


async def test_hostile_theme_text_in_the_notification_is_plain(sandbox_app) -> None:
    user_theme("evil.toml", 'name = "[bold red]evil[/]"\nprimary = "#fff"\n')
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        notes = [note for note in app._notifications]
        assert len(notes) == 1
        assert "[bold red]evil[/]" in str(notes[0].message)
        assert notes[0].markup is False


async def test_config_problems_are_shown_once_and_the_app_still_starts(sandbox_app) -> None:
    write_config('sequence_sort = "size"\n[keymap]\nsave-varaint = "f9"\n')
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "seqedit-dark"
        notes = _notes(app)
        assert len(notes) == 1
        assert "sequence_sort" in notes[0]
        assert "unknown binding id 'save-varaint'; did you mean 'save-variant'?" in notes[0]
