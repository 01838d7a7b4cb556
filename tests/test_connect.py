"""Choosing the account (demo or real) and opening a client for it.

conftest points SEQEDIT_DATA_DIR at a temp directory, so the demo database made here never
touches the real home.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest

from tui.api.client import DEFAULT_BASE_URL, SaleshandyClient
from tui.api.errors import ServerError
from tui.api.models import VariantUpdate
from tui.sandbox import DEMO_API_KEY
from tui.session.connect import (
    API_KEY_ENV,
    DEMO_BASE_URL,
    Account,
    NoApiKey,
    SandboxTransport,
    demo_db_path,
    open_client,
    resolve_account,
)

KEY = "sk-live-feedc0ffee1234567890"


def args(**given) -> argparse.Namespace:
    defaults = {"demo": False, "demo_reset": False, "base_url": None, "profile": None}
    return argparse.Namespace(**{**defaults, **given})


def test_key_from_the_environment():
    account = resolve_account(args(), env={API_KEY_ENV: f"  {KEY}\n"})
    assert account.api_key == KEY and account.base_url == DEFAULT_BASE_URL
    assert not account.demo and account.key_source == "env"


def test_base_url_from_the_command_line_wins_over_config():
    account = resolve_account(
        args(base_url="https://eu.proxy.example/"), env={}, config={"api_key": KEY, "base_url": "https://other.example"}
    )
    assert account.base_url == "https://eu.proxy.example"
    assert account.key_source == "config"


def test_environment_key_wins_over_config():
    account = resolve_account(args(), env={API_KEY_ENV: KEY}, config={"api_key": "from-config-file", "name": "work"})
    assert account.api_key == KEY and account.profile == "work"


def test_missing_key_explains_how_to_get_one():
    with pytest.raises(NoApiKey) as caught:
        resolve_account(args(profile="work"), env={})
    text = str(caught.value)
    assert "Settings → API Key" in text
    assert API_KEY_ENV in text
    assert "seqedit --demo" in text
    assert "'work'" in text


def test_unsafe_base_url_is_refused_before_anything_is_sent():
    with pytest.raises(ValueError, match="plain http"):
        resolve_account(args(base_url="http://open-api.saleshandy.com"), env={API_KEY_ENV: KEY})


def test_account_repr_never_shows_the_key():
    account = resolve_account(args(), env={API_KEY_ENV: KEY})
    assert KEY not in repr(account) and KEY not in str(account) and KEY not in f"{account}"


def test_demo_wins_and_needs_no_key():
    account = resolve_account(args(demo=True), env={})
    assert account.demo and account.api_key == DEMO_API_KEY and account.key_source == "demo"
    assert resolve_account(args(demo_reset=True), env={API_KEY_ENV: KEY}).demo


def test_demo_db_lives_in_the_data_dir():
    path = demo_db_path()
    assert path.parent == Path(os.environ["SEQEDIT_DATA_DIR"])
    assert path.parent.is_dir()


async def test_open_client_for_a_real_account_points_at_its_base_url():
    client = open_client(Account(base_url="https://open-api.saleshandy.com", api_key=KEY))
    async with client:
        assert client.base_url == "https://open-api.saleshandy.com"
        assert KEY not in repr(client)


async def test_demo_client_works_offline_and_keeps_edits_until_reset():
    account = resolve_account(args(demo=True), env={})
    async with open_client(account) as client:
        sequences = await client.list_sequences()
        assert sequences.items and not sequences.errors
        first = next(item for item in sequences.items if item.steps)
        step_id = first.steps[0].id
        variant = (await client.list_variants(first.id, step_id)).items[0]
        await client.update_variant(first.id, step_id, variant.id, VariantUpdate(status=1 - variant.status))
    assert demo_db_path().exists()

    async with open_client(account) as client:  # reopened: the edit persisted
        again = await client.get_variant(first.id, step_id, variant.id)
        assert again.status == 1 - variant.status

    async with open_client(account, reset_demo=True) as client:  # reset: the demo data is back
        restored = await client.get_variant(first.id, step_id, variant.id)  # same seed, same ids
    assert restored.status == variant.status


async def test_demo_sandbox_crash_is_a_server_error_not_a_stray_exception(tmp_path: Path):
    from tui.sandbox.app import create_app

    app = create_app(tmp_path / "broken.sqlite3")
    app.state.store.close()  # the sandbox's database goes away under it
    async with SaleshandyClient(
        DEMO_API_KEY, DEMO_BASE_URL, transport=SandboxTransport(app=app), max_retries=0
    ) as client:
        with pytest.raises(ServerError) as caught:
            await client.list_sequences()
    assert "demo sandbox failed" in str(caught.value)
