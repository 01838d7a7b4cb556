"""The config file behind tui.session.connect.resolve_account: profiles, precedence, key sources, demo."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from tui.config import config_path
from tui.sandbox import DEMO_API_KEY
from tui.session.connect import NoApiKey, resolve_account

ENV_KEY = "shk_env_SECRET_abcdef0123456789"
CMD_KEY = "shk_cmd_SECRET_9876543210fedcba"


def args(**given) -> argparse.Namespace:
    defaults = {"demo": False, "demo_reset": False, "base_url": None, "profile": None}
    return argparse.Namespace(**{**defaults, **given})


def write_config(text: str, mode: int = 0o600) -> Path:
    path = config_path()
    path.write_text(text)
    path.chmod(mode)
    return path


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "command-ran"


@pytest.fixture
def config(marker: Path) -> Path:
    return write_config(
        f"""
base_url = "https://file.example.com"
api_key = "file-level-key"
sequence_sort = "nonsense"
default_profile = "acme"

[profiles.acme]
base_url = "https://acme.example.com"
api_key_command = "touch {marker}; echo {CMD_KEY}"
read_only = true

[profiles.plain]
read_only = false
"""
    )


def test_default_profile_with_a_key_command(config: Path, marker: Path) -> None:
    account = resolve_account(args(), env={})
    assert (account.profile, account.base_url, account.read_only) == ("acme", "https://acme.example.com", True)
    assert account.api_key == CMD_KEY and account.key_source == "command" and marker.exists()
    assert CMD_KEY not in repr(account)
    assert len(account.config_problems) == 1 and "sequence_sort" in account.config_problems[0]


def test_base_url_precedence_cli_env_profile_file(config: Path) -> None:
    env = {"SEQEDIT_BASE_URL": "https://env.example.com"}
    assert resolve_account(args(base_url="https://cli.example.com"), env=env).base_url == "https://cli.example.com"
    assert resolve_account(args(), env=env).base_url == "https://env.example.com"
    assert resolve_account(args(), env={}).base_url == "https://acme.example.com"
    assert resolve_account(args(profile="plain"), env={}).base_url == "https://file.example.com"


def test_profile_switching_and_key_sources(config: Path) -> None:
    plain = resolve_account(args(profile="plain"), env={})
    assert (plain.profile, plain.api_key, plain.key_source, plain.read_only) == (
        "plain",
        "file-level-key",
        "config",
        False,
    )
    from_env = resolve_account(args(profile="plain"), env={"SALESHANDY_API_KEY": ENV_KEY, "SEQEDIT_READ_ONLY": "1"})
    assert (from_env.api_key, from_env.key_source, from_env.read_only) == (ENV_KEY, "env", True)
    assert resolve_account(args(), env={"SEQEDIT_PROFILE": "plain"}).profile == "plain"


def test_unknown_profile(config: Path) -> None:
    with pytest.raises(NoApiKey) as caught:
        resolve_account(args(profile="ghost"), env={"SALESHANDY_API_KEY": ENV_KEY})
    text = str(caught.value)
    assert "profile 'ghost'" in text and "no profile named 'ghost'" in text and "acme, plain" in text
    assert ENV_KEY not in text


def test_failing_key_command(marker: Path) -> None:
    write_config('api_key_command = "echo half-a-secret; exit 5"\n')
    with pytest.raises(NoApiKey) as caught:
        resolve_account(args(), env={})
    text = str(caught.value)
    assert "exit status 5" in text and "half-a-secret" not in text and "seqedit --demo" in text


def test_refused_world_readable_key() -> None:
    path = write_config('api_key = "readable-secret"\n', mode=0o644)
    with pytest.raises(NoApiKey) as caught:
        resolve_account(args(), env={})
    text = str(caught.value)
    assert f"chmod 600 {path}" in text and "readable-secret" not in text


def test_demo_stays_keyless(config: Path, marker: Path) -> None:
    account = resolve_account(args(demo=True), env={"SALESHANDY_API_KEY": ENV_KEY})
    assert account.demo and account.api_key == DEMO_API_KEY and account.key_source == "demo"
    assert not marker.exists()  # the password manager was not asked for a real key


def test_no_config_file_still_works() -> None:
    account = resolve_account(args(), env={"SALESHANDY_API_KEY": ENV_KEY})
    assert account.api_key == ENV_KEY and account.profile is None and account.read_only is False
    assert account.config_problems == ()


def test_the_account_carries_the_profiles_sample_prospects() -> None:
    write_config('api_key = "k"\n\n[[sample_prospects]]\n"First Name" = "Ada"\n')
    assert resolve_account(args(), env={}).sample_prospects == ({"First Name": "Ada"},)
