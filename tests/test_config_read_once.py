"""`seqedit` reads its config file once (issue 16, start-up): the settings that resolved the
account (key, base URL, read-only) are the ones the app styles and behaves by (theme, keymap,
cache, sequence order), and the file's problems are shown once.

Each start counts the reads of ``config.toml`` (``tomllib.load``: theme files are read with
``tomllib.loads``) and, right after the first, saves the file with other values, as a person
editing it while seqedit starts would: a second read would mix both versions.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from test_app_support import settle

from tui.cli import build_parser
from tui.commands.app import build_app
from tui.config import config_path
from tui.config.preferences import configured_sequence_sort
from tui.screens.no_key_screen import NoKeyScreen
from tui.session.account import API_KEY_ENV

CHANGED = 'theme = "seqedit-high-contrast"\nread_only = false\ncache = true\nsequence_sort = "created-desc"\n'


def write_config(text: str) -> Path:
    path = config_path()
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def count_reads(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """The config file's reads from now on; after the first, the file holds :data:`CHANGED`."""
    reads: list[str] = []
    load = tomllib.load

    def counted(handle: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        data = load(handle, *args, **kwargs)
        if Path(getattr(handle, "name", "")) == path:
            reads.append(path.name)
            if len(reads) == 1:
                path.write_text(CHANGED, encoding="utf-8")
        return data

    monkeypatch.setattr(tomllib, "load", counted)
    return reads


def notes(app: Any) -> list[str]:
    return [str(note.message) for note in app._notifications]


async def test_a_profile_start_reads_the_config_once_and_uses_that_read_throughout(live_sandbox, monkeypatch):
    path = write_config(
        'sequence_sort = "title-asc"\n'
        'themee = "seqedit-ansi"\n'  # a typo: one warning, shown once
        "[keymap]\n"
        'launch-rockets = "x"\n'  # applied from the same read: its problem is in the same note
        "[profiles.acme]\n"
        f'base_url = "{live_sandbox.base_url}"\n'
        f'api_key = "{live_sandbox.api_key}"\n'
        'theme = "seqedit-light"\n'
        "read_only = true\n"
        "cache = false\n"
    )
    reads = count_reads(monkeypatch, path)
    app = build_app(build_parser("").parse_args(["--profile", "acme"]))
    assert app.account.profile == "acme" and app.account.key_source == "config"
    assert app.theme == "seqedit-light"  # chosen as the app is built, from the profile
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(500):
            if app.workspace.sequences:
                break
            await pilot.pause(0.02)
        await settle(pilot)
        assert app.workspace.sequences, "the listing never came"
        assert app.read_only is True
        assert app.theme == "seqedit-light"
        assert app.listing_refresh.cache is None  # cache = false
        assert configured_sequence_sort(app) == "title-asc"
        settings = [note for note in app._notifications if note.title == "Settings"]
        assert len(settings) == 1, notes(app)
        text = str(settings[0].message)
        assert text.count("unknown key 'themee' is ignored (did you mean theme?)") == 1
        assert "unknown binding id 'launch-rockets'" in text
    assert reads == ["config.toml"]


async def test_the_no_key_screen_takes_its_settings_from_the_same_read(monkeypatch):
    path = write_config('default_profile = "acme"\nthemee = "x"\n[profiles.acme]\ntheme = "seqedit-light"\n')
    reads = count_reads(monkeypatch, path)
    monkeypatch.delenv(API_KEY_ENV, raising=False)
    app = build_app(build_parser("").parse_args([]))
    assert app.account is None and app.theme == "seqedit-light"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoKeyScreen)
        assert "profile 'acme'" in str(app._no_key_message)
        assert app.theme == "seqedit-light"
        assert len(notes(app)) == 1 and "unknown key 'themee'" in notes(app)[0]
    assert reads == ["config.toml"]


def test_the_demo_reads_the_config_once_for_the_look(monkeypatch):
    # --demo resolves no account from the file: the app reads it, once, for its look.
    path = write_config('theme = "seqedit-light"\n')
    reads = count_reads(monkeypatch, path)
    app = build_app(build_parser("").parse_args(["--demo"]))
    assert app.account.demo and app.settings is None
    assert app.theme == "seqedit-light"
    assert reads == ["config.toml"]
