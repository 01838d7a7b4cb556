"""Issue 13 item 8: an invalid safety setting takes the safe side (read-only); a [keymap] entry
that is not a key is refused with a message, and the binding keeps its default keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_support import make_app, settle

from tui.config import config_path
from tui.config.keymap import is_key
from tui.config.load import load_config
from tui.config.settings import effective
from tui.screens.help_screen import HelpScreen


def _write(text: str) -> Path:
    path = config_path()
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.mark.parametrize(
    "text",
    [
        'read_only = "yes"\n',
        "read_only = 1\n",
        'default_profile = "acme"\n[profiles.acme]\nread_only = "maybe"\n',
    ],
)
def test_an_invalid_read_only_in_the_file_means_read_only(text: str) -> None:
    loaded = load_config(_write(text), env={})
    assert effective(loaded).read_only is True
    assert any("read_only" in problem and "saving is off" in problem for problem in loaded.problems), loaded.problems


def test_an_invalid_read_only_in_the_environment_means_read_only_over_a_file_saying_false() -> None:
    loaded = load_config(_write("read_only = false\n"), env={"SEQEDIT_READ_ONLY": "sometimes"})
    assert effective(loaded).read_only is True
    assert any(p.startswith("SEQEDIT_READ_ONLY = 'sometimes'") and "saving is off" in p for p in loaded.problems)


def test_an_account_with_an_invalid_read_only_starts_read_only() -> None:
    from tui.session.connect import resolve_account

    _write('read_only = "yes"\n')

    class Args:
        demo = False
        profile = None
        base_url = None

    assert resolve_account(Args(), env={"SALESHANDY_API_KEY": "test-key"}).read_only is True


@pytest.mark.parametrize("key", ["ctrl+banana", "banana", "alt+snowman"])
def test_words_that_name_no_key_are_not_keys(key: str) -> None:
    assert not is_key(key)


async def test_help_on_ctrl_banana_is_refused_and_f1_still_opens_help(sandbox_app) -> None:
    _write('[keymap]\nhelp = "ctrl+banana"\n')
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        notes = [str(note.message) for note in app._notifications]
        assert any("keymap.help: 'ctrl+banana' is not a key" in note for note in notes), notes
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
