"""load_config: a valid file, each invalid key (one message naming it, default used), unknown keys,
broken TOML, and a readable file holding an api_key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.config import DEFAULT_BASE_URL, effective, load_config
from tui.config.model import DEFAULT_BASE_URL as MODEL_DEFAULT

SECRET = "shk_test_DO_NOT_PRINT_0123456789"


def write(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_default_base_url_is_the_clients() -> None:
    from tui.api.client import DEFAULT_BASE_URL as CLIENT_DEFAULT

    assert MODEL_DEFAULT == DEFAULT_BASE_URL == CLIENT_DEFAULT


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    loaded = load_config(tmp_path / "config.toml", env={})
    assert not loaded.exists and loaded.messages == []
    settings = effective(loaded)
    assert settings.base_url == DEFAULT_BASE_URL
    assert (settings.theme, settings.read_only, settings.sequence_sort, settings.profile) == (
        None,
        False,
        "created-desc",
        None,
    )


def test_default_path_is_in_the_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEQEDIT_CONFIG_DIR", str(tmp_path / "cfg"))
    (tmp_path / "cfg").mkdir()
    write(tmp_path / "cfg", 'theme = "nord"\n')
    loaded = load_config(env={})
    assert loaded.path == tmp_path / "cfg" / "config.toml"
    assert loaded.file.theme == "nord"


def test_valid_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
base_url = "http://127.0.0.1:8000/"
theme = "seqedit-light"
editor = "nvim -f"
sequence_sort = "title-asc"
read_only = true
api_key_command = "pass show saleshandy"
[keymap]
save-variant = "ctrl+w"
toggle-status = "f2, ctrl+t"
""",
    )
    loaded = load_config(path, env={})
    assert loaded.messages == []
    settings = effective(loaded)
    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.theme == "seqedit-light" and settings.editor_command() == ["nvim", "-f"]
    assert settings.sequence_sort == "title-asc" and settings.read_only is True
    assert settings.keymap == {"save-variant": "ctrl+w", "toggle-status": "f2,ctrl+t"}
    assert settings.api_key_command == "pass show saleshandy"
    assert settings.source("theme") == "config.toml" and settings.source("profile") == "default"


@pytest.mark.parametrize(
    ("line", "expected", "check"),
    [
        (
            'sequence_sort = "size"',
            "config.toml: sequence_sort = 'size' is not one of created-desc, created-asc, title-asc, title-desc; using created-desc",
            lambda s: s.sequence_sort == "created-desc",
        ),
        (
            'read_only = "yes"',
            # Issue 13: a safety setting that is invalid takes the safe side (was: using false).
            "config.toml: read_only = 'yes' must be true or false; using true: saving is off until it is fixed",
            lambda s: s.read_only is True,
        ),
        ("theme = 7", "config.toml: theme = 7 must be a string; using the default theme", lambda s: s.theme is None),
        (
            'base_url = "http://api.example.com"',
            "config.toml: base_url = 'http://api.example.com' is not usable",
            lambda s: s.base_url == DEFAULT_BASE_URL,
        ),
        (
            'base_url = "not a url"',
            "config.toml: base_url = 'not a url' is not usable",
            lambda s: s.base_url == DEFAULT_BASE_URL,
        ),
        ('editor = "vim \'"', 'config.toml: editor = "vim \'" cannot be split into words', lambda s: s.editor is None),
        ('editor = ""', "config.toml: editor = '' is empty", lambda s: s.editor is None),
        ("keymap = 3", "config.toml: keymap = 3 must be a table; ignoring it", lambda s: s.keymap == {}),
        (
            'api_key_command = ""',
            "config.toml: api_key_command = '' is empty; ignoring it",
            lambda s: s.api_key_command is None,
        ),
        (
            'default_profile = "ghost"',
            "config.toml: default_profile = 'ghost' names no [profiles.ghost] table",
            lambda s: s.profile is None,
        ),
        ("profiles = 1", "config.toml: profiles must be a table", lambda s: s.profiles == []),
    ],
)
def test_each_invalid_key_gives_one_message_naming_it(tmp_path: Path, line: str, expected: str, check) -> None:
    path = write(tmp_path, line + "\n")
    loaded = load_config(path, env={})
    assert len(loaded.problems) == 1, loaded.problems
    assert loaded.problems[0].startswith(expected), loaded.problems[0]
    assert loaded.warnings == []
    assert check(effective(loaded))


def test_bad_keys_do_not_cost_the_good_ones(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
theme = "ok-theme"
sequence_sort = 3
read_only = true
[keymap]
save-variant = "ctrl+w"
quit = "ctrl q"
open = 5
""",
    )
    loaded = load_config(path, env={})
    assert [p.split(" = ")[0] for p in loaded.problems] == [
        "config.toml: sequence_sort",
        "config.toml: keymap.quit",
        "config.toml: keymap.open",
    ]
    settings = effective(loaded)
    assert settings.theme == "ok-theme" and settings.read_only and settings.keymap == {"save-variant": "ctrl+w"}


def test_unknown_keys_are_warnings_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, 'them = "x"\ncolour = 1\n[profiles.a]\nreadonly = true\n')
    loaded = load_config(path, env={})
    assert loaded.problems == []
    assert loaded.warnings == [
        "config.toml: unknown key 'them' is ignored (did you mean theme?)",
        "config.toml: unknown key 'colour' is ignored",
        "config.toml: unknown key 'profiles.a.readonly' is ignored (did you mean read_only?)",
    ]


def test_broken_toml_gives_one_message_and_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "unterminated\nread_only = true\n')
    loaded = load_config(path, env={})
    assert len(loaded.problems) == 1
    assert loaded.problems[0].startswith("config.toml: not valid TOML (") and "using the defaults" in loaded.problems[0]
    assert effective(loaded).read_only is False


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'theme = "\xff\xfe"\n')
    loaded = load_config(path, env={})
    assert len(loaded.problems) == 1 and "not valid TOML" in loaded.problems[0]


def test_bad_api_key_value_is_never_shown(tmp_path: Path) -> None:
    path = write(tmp_path, f'api_key = ["{SECRET}"]\n[profiles.a]\napi_key = {{ k = "{SECRET}" }}\n')
    loaded = load_config(path, env={})
    assert len(loaded.problems) == 2
    assert all("(value not shown)" in p for p in loaded.problems)
    assert SECRET not in " ".join(loaded.messages)


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644])
def test_readable_file_with_a_key_is_refused(tmp_path: Path, mode: int) -> None:
    path = write(tmp_path, f'theme = "kept"\napi_key = "{SECRET}"\n', mode)
    loaded = load_config(path, env={})
    (problem,) = loaded.problems
    assert str(path) in problem and f"chmod 600 {path}" in problem and f"mode {mode:o}" in problem
    assert SECRET not in problem
    assert loaded.key_refused == problem
    settings = effective(loaded)
    assert settings.api_key is None and settings.theme == "kept"
    assert settings.key_refused == problem


def test_readable_file_with_a_profile_key_is_refused_too(tmp_path: Path) -> None:
    path = write(tmp_path, f'[profiles.acme]\napi_key = "{SECRET}"\nread_only = true\n', 0o644)
    loaded = load_config(path, env={})
    assert loaded.key_refused is not None
    settings = effective(loaded, "acme")
    assert settings.api_key is None and settings.read_only is True


def test_readable_file_without_a_key_is_fine(tmp_path: Path) -> None:
    path = write(tmp_path, 'api_key_command = "pass show x"\n', 0o644)
    loaded = load_config(path, env={})
    assert loaded.messages == [] and loaded.key_refused is None


def test_private_file_with_a_key_is_used(tmp_path: Path) -> None:
    path = write(tmp_path, f'api_key = "{SECRET}"\n', 0o600)
    settings = effective(load_config(path, env={}))
    assert settings.api_key is not None and settings.api_key.get_secret_value() == SECRET
    assert SECRET not in repr(settings) and SECRET not in str(settings)
    assert SECRET not in repr(load_config(path, env={}))
