"""Reading the settings and resolving the account at start-up import no pydantic (issue 16).

Without a config file (the usual case), or with an empty one, the settings are the defaults and
the environment's: ``tui.config.schema`` (pydantic) is imported only to validate a file that has
something in it. Each check runs a fresh interpreter with HOME and the XDG directories in an
empty temporary directory, SALESHANDY_API_KEY, SEQEDIT_BASE_URL and SEQEDIT_THEME set, as a
person's ``seqedit`` would: settings, key, account (``tui.session.account``), no pydantic, no httpx.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tui.config import FileValues, ProfileValues, SecretText, effective, load_config
from tui.config.model import FILE_KEYS, PROFILE_KEYS
from tui.config.schema import ConfigFile, ProfileConfig, file_values

ROOT = Path(__file__).resolve().parent.parent
KEY = "sk-light-0123456789"
BASE_URL = "https://eu.open-api.example.com"

# What the app reads from the config before its first frame, and what it finds.
_START = """
import json, sys
from tui.config import effective, get_api_key, load_config
from tui.config.preferences import configured_cache, configured_editor, configured_sequence_sort, settings_for
from tui.session.account import resolve_account

class App:  # what the helpers read of an app: no settings given, no account chosen yet
    settings = None
    account = None

loaded = load_config()
settings = effective(loaded)
app = App()
account = resolve_account(App())  # `seqedit` without --base-url: the config's (SEQEDIT_BASE_URL)
from_app, messages = settings_for(app)
print(json.dumps({
    "theme": [settings.theme, settings.source("theme")],
    "base_url": [settings.base_url, settings.source("base_url"), account.base_url, account.key_source],
    "key": get_api_key(settings) == sys.argv[1],
    "app": [from_app == settings, messages, configured_cache(app), configured_sequence_sort(app), configured_editor(app)],
    "problems": loaded.messages,
    "heavy": sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in ("pydantic", "pydantic_core", "httpx")}),
}))
"""


def _start(tmp_path: Path, file_text: str | None) -> dict[str, Any]:
    home = tmp_path / "home"
    config = home / ".config"
    if file_text is not None:
        (config / "seqedit").mkdir(parents=True, mode=0o700)
        (config / "seqedit" / "config.toml").write_text(file_text)
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("SEQEDIT_", "SALESHANDY_", "XDG_"))}
    keep = {k: v for k, v in keep.items() if k not in ("VISUAL", "EDITOR", "NO_COLOR")}
    env = {
        **keep,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(config),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "SALESHANDY_API_KEY": KEY,
        "SEQEDIT_THEME": "nord",
        "SEQEDIT_BASE_URL": BASE_URL + "/",
    }
    done = subprocess.run(
        [sys.executable, "-c", _START, KEY], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("file_text", [None, "", "# seqedit's settings: none yet\n"], ids=["none", "empty", "comment"])
def test_settings_without_a_file_import_no_pydantic(tmp_path: Path, file_text: str | None) -> None:
    seen = _start(tmp_path, file_text)
    assert seen["theme"] == ["nord", "SEQEDIT_THEME"]
    assert seen["base_url"] == [BASE_URL, "SEQEDIT_BASE_URL", BASE_URL, "env"]
    assert seen["key"] is True
    assert seen["app"] == [True, [], True, "created-desc", None]
    assert seen["problems"] == []
    assert seen["heavy"] == []


def test_a_file_with_settings_is_still_validated(tmp_path: Path) -> None:
    # The same probe sees pydantic once there is something to validate, and the file's problems.
    seen = _start(tmp_path, 'sequence_sort = "title-asc"\ncache = "no"\n')
    assert seen["heavy"] == ["pydantic", "pydantic_core"]
    assert seen["app"][2:4] == [False, "title-asc"]
    assert seen["problems"] == [
        "config.toml: cache = 'no' must be true or false; using false: nothing is cached until it is fixed"
    ]


def test_the_plain_values_have_the_models_fields_and_defaults() -> None:
    # tui.config.model's dataclasses hold what tui.config.schema's models validated: same names,
    # same order, same defaults (plus FileValues.given, the keys the file set).
    assert tuple(ProfileConfig.model_fields) == PROFILE_KEYS
    assert (*ProfileConfig.model_fields, "editor", "sequence_sort") == FILE_KEYS
    plain = [item.name for item in dataclasses.fields(FileValues)]
    assert plain == [*ConfigFile.model_fields, "given"]
    for model, values in ((ProfileConfig, ProfileValues()), (ConfigFile, FileValues())):
        for name, info in model.model_fields.items():
            assert getattr(values, name) == info.get_default(call_default_factory=True), name
    assert file_values(ConfigFile.model_validate({}), {}) == FileValues()


def test_the_key_read_from_a_file_is_never_shown(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'api_key = "{KEY}"\n[profiles.acme]\napi_key = "{KEY}"\n')
    path.chmod(0o600)
    loaded = load_config(path, env={})
    assert loaded.file.api_key == SecretText(KEY) and loaded.file.profiles["acme"].api_key == SecretText(KEY)
    settings = effective(loaded, "acme")
    assert settings.api_key is not None and settings.api_key.get_secret_value() == KEY
    for shown in (repr(loaded), str(loaded), repr(settings), str(settings), str(settings.api_key)):
        assert KEY not in shown


_THEMES = """
import asyncio, json, sys
import tui.cli  # as seqedit starts (pydantic's plugin search off)
from textual.app import App
from tui.config.preferences import apply_preferences, prepare_theme

WATCHED = ("importlib.resources", "importlib.readers", "zipfile", "tui.config.keymap", "pkgutil", "pydantic")

async def main():
    app = App()
    prepared = prepare_theme(app)  # as SeqEditApp.__init__ does, before the first frame
    async with app.run_test():
        problems = apply_preferences(app, prepared)  # as its on_mount does
        seqedit = sorted(name for name in app.available_themes if name.startswith("seqedit-"))
        print(json.dumps([app.theme, seqedit, problems, [m for m in WATCHED if m in sys.modules]]))

asyncio.run(main())
"""


def test_the_theme_is_chosen_without_resource_readers_or_the_keymap_module(tmp_path: Path) -> None:
    # Start-up: the bundled themes are plain files beside the package, read without
    # importlib.resources (its readers, zipfile); without a [keymap] the keymap module (and the
    # binding packages it scans) stays unloaded. All four bundled themes are still offered.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEQEDIT_", "XDG_"))}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    done = subprocess.run(
        [sys.executable, "-c", _THEMES], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    theme, bundled, problems, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert theme == "seqedit-dark"
    assert bundled == ["seqedit-ansi", "seqedit-dark", "seqedit-high-contrast", "seqedit-light"]
    assert problems == []
    assert loaded == []
