"""Profiles, environment overrides, the API key sources, and the remembered UI state."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tui.config import (
    ApiKeyError,
    UnknownProfile,
    api_key_source,
    effective,
    get_api_key,
    load_config,
    load_ui_state,
    save_ui_state,
    ui_state_path,
)

FILE = """
base_url = "https://open-api.saleshandy.com"
theme = "seqedit-dark"
api_key = "top-level-key"
read_only = false
default_profile = "acme"

[profiles.acme]
base_url = "https://acme-proxy.example.com"
api_key_command = "printf 'acme-key\\n'"
read_only = true

[profiles.beta]
theme = "seqedit-light"

[profiles.local]
base_url = "http://127.0.0.1:9000"
api_key = "local-key"
"""


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(FILE)
    path.chmod(0o600)
    return path


def test_default_profile_applies(config_file: Path) -> None:
    settings = effective(load_config(config_file, env={}))
    assert settings.profile == "acme" and settings.source("profile") == "default_profile in config.toml"
    assert settings.base_url == "https://acme-proxy.example.com" and settings.source("base_url") == "profile acme"
    assert settings.read_only is True and settings.theme == "seqedit-dark"
    assert settings.profiles == ["acme", "beta", "local"]
    # The profile has its own key source: the top-level key must not leak into it.
    assert settings.api_key is None
    assert get_api_key(settings, {}) == "acme-key"


def test_switching_profiles(config_file: Path) -> None:
    loaded = load_config(config_file, env={})
    beta = effective(loaded, "beta")
    assert (beta.profile, beta.theme, beta.base_url, beta.read_only) == (
        "beta",
        "seqedit-light",
        "https://open-api.saleshandy.com",
        False,
    )
    # No key source of its own: it inherits the file's.
    assert get_api_key(beta, {}) == "top-level-key" and api_key_source(beta, {}) == "api_key in config.toml"
    local = effective(loaded, "local")
    assert local.base_url == "http://127.0.0.1:9000" and get_api_key(local, {}) == "local-key"
    assert api_key_source(local, {}) == "api_key in profile local"
    assert effective(loaded, "acme").base_url != local.base_url


def test_profile_from_the_environment_and_unknown_profiles(config_file: Path) -> None:
    loaded = load_config(config_file, env={"SEQEDIT_PROFILE": "beta"})
    assert effective(loaded).profile == "beta"
    assert effective(loaded, "local").profile == "local"  # --profile beats the environment
    with pytest.raises(
        UnknownProfile, match=r"no profile named 'nope' \(from --profile\).*profiles: acme, beta, local"
    ):
        effective(loaded, "nope")
    with pytest.raises(UnknownProfile, match="SEQEDIT_PROFILE"):
        effective(load_config(config_file, env={"SEQEDIT_PROFILE": "ghost"}))


def test_environment_overrides_file_and_profile(config_file: Path) -> None:
    env = {
        "SEQEDIT_BASE_URL": "https://other.example.com/",
        "SEQEDIT_THEME": "textual-dark",
        "SEQEDIT_READ_ONLY": "0",
        "VISUAL": "code --wait",
        "EDITOR": "nano",
        "NO_COLOR": "1",
    }
    loaded = load_config(config_file, env=env)
    assert loaded.messages == []
    settings = effective(loaded)
    assert settings.base_url == "https://other.example.com" and settings.source("base_url") == "SEQEDIT_BASE_URL"
    assert settings.theme == "textual-dark" and settings.read_only is False
    assert settings.editor_command() == ["code", "--wait"] and settings.source("editor") == "VISUAL"
    assert settings.no_color is True
    assert effective(load_config(config_file, env={"EDITOR": "nano -w"})).editor_command() == ["nano", "-w"]
    assert effective(load_config(config_file, env={"NO_COLOR": ""})).no_color is False


@pytest.mark.parametrize(
    ("word", "expected"), [("1", True), ("yes", True), ("ON", True), ("false", False), ("no", False)]
)
def test_read_only_from_the_environment(config_file: Path, word: str, expected: bool) -> None:
    assert effective(load_config(config_file, env={"SEQEDIT_READ_ONLY": word}), "beta").read_only is expected


def test_bad_environment_values_are_reported_and_ignored(config_file: Path) -> None:
    loaded = load_config(config_file, env={"SEQEDIT_READ_ONLY": "maybe", "SEQEDIT_BASE_URL": "http://evil.example.com"})
    assert len(loaded.problems) == 2
    assert loaded.problems[0].startswith("SEQEDIT_BASE_URL: ") and "plain http" in loaded.problems[0]
    assert loaded.problems[1].startswith("SEQEDIT_READ_ONLY = 'maybe'")
    settings = effective(loaded)
    assert settings.base_url == "https://acme-proxy.example.com" and settings.read_only is True


def test_key_from_the_environment_comes_first(config_file: Path) -> None:
    settings = effective(load_config(config_file, env={}))
    env = {"SALESHANDY_API_KEY": "  env-key \n"}
    assert get_api_key(settings, env) == "env-key"
    assert api_key_source(settings, env) == "SALESHANDY_API_KEY"
    assert api_key_source(settings, {}) == "api_key_command in profile acme"


def test_no_key_anywhere(tmp_path: Path) -> None:
    settings = effective(load_config(tmp_path / "absent.toml", env={}))
    assert get_api_key(settings, {}) is None and api_key_source(settings, {}) is None


def _command_settings(tmp_path: Path, command: str):
    path = tmp_path / "config.toml"
    path.write_text(f"api_key_command = '''{command}'''\n")  # a TOML literal string: no escapes
    loaded = load_config(path, env={})
    assert loaded.messages == [] and loaded.file.api_key_command == command
    return effective(loaded)


def test_key_command_success_takes_the_first_line(tmp_path: Path) -> None:
    settings = _command_settings(tmp_path, "printf '  the-key  \\nurl: https://app.saleshandy.com\\n'")
    assert get_api_key(settings, {}) == "the-key"


def test_key_command_failure_does_not_show_its_output(tmp_path: Path) -> None:
    settings = _command_settings(tmp_path, "echo leaked-secret-output; echo more-secret >&2; exit 3")
    with pytest.raises(ApiKeyError) as failed:
        get_api_key(settings, {})
    message = str(failed.value)
    assert "exit status 3" in message and "api_key_command (from config.toml)" in message
    assert "leaked-secret-output" not in message and "more-secret" not in message


def test_key_command_not_found(tmp_path: Path) -> None:
    settings = _command_settings(tmp_path, "seqedit-no-such-password-manager show x")
    with pytest.raises(ApiKeyError, match="exit status 127 \\(command not found\\?\\)"):
        get_api_key(settings, {})


def test_key_command_that_prints_nothing(tmp_path: Path) -> None:
    settings = _command_settings(tmp_path, "true")
    with pytest.raises(ApiKeyError, match="printed nothing"):
        get_api_key(settings, {})


def test_key_command_timeout(tmp_path: Path) -> None:
    # The sleep is not the shell's last command, so it is a child that must be stopped too.
    settings = _command_settings(tmp_path, "echo partial-secret; sleep 30; echo done")
    with pytest.raises(ApiKeyError) as failed:
        get_api_key(settings, {}, timeout=0.3)
    assert "did not finish within 0.3 s" in str(failed.value) and "partial-secret" not in str(failed.value)


# -- UI state ----------------------------------------------------------------------------


def test_ui_state_round_trip_and_atomic_replace(tmp_path: Path) -> None:
    assert load_ui_state() == {}
    assert ui_state_path().parent.exists()
    save_ui_state(theme="seqedit-light")
    state = save_ui_state(last_profile="acme", split=0.4)
    assert state == {"theme": "seqedit-light", "last_profile": "acme", "split": 0.4}
    assert load_ui_state() == state
    assert save_ui_state(last_profile=None) == {"theme": "seqedit-light", "split": 0.4}
    assert [p.name for p in ui_state_path().parent.iterdir()] == ["ui.json"]  # no temp files left
    assert stat.S_IMODE(ui_state_path().stat().st_mode) == 0o600


def test_ui_state_unreadable_counts_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "ui.json"
    path.write_text("{not json")
    assert load_ui_state(path) == {}
    path.write_text("[1, 2]")
    assert load_ui_state(path) == {}
    assert save_ui_state(path=path, theme="x") == {"theme": "x"}


SAMPLES = """
api_key = "k"

[[sample_prospects]]
"First Name" = "Ada"
Company = "Acme"
Employees = 250

[profiles.other]
api_key = "k2"

[[profiles.other.sample_prospects]]
"First Name" = "Grace"

[profiles.plain]
api_key = "k3"
"""


def test_sample_prospects_from_the_file_and_a_profiles_own(tmp_path: Path) -> None:
    # Issue 12 item 6: a real account's Preview samples come from [[sample_prospects]].
    path = tmp_path / "config.toml"
    path.write_text(SAMPLES, encoding="utf-8")
    path.chmod(0o600)
    loaded = load_config(path, env={})
    assert not loaded.problems, loaded.problems
    assert effective(loaded).sample_prospects == [{"First Name": "Ada", "Company": "Acme", "Employees": "250"}]
    assert effective(loaded, "other").sample_prospects == [{"First Name": "Grace"}]  # replaces the file's
    assert effective(loaded, "plain").sample_prospects == effective(loaded).sample_prospects


def test_a_bad_sample_prospect_is_reported_and_ignored(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[[sample_prospects]]\n"First Name" = ["not", "text"]\n', encoding="utf-8")
    loaded = load_config(path, env={})
    assert any("sample_prospects" in problem for problem in loaded.problems)
    assert effective(loaded).sample_prospects == []
