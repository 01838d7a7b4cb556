"""A distinctive fake key goes through a whole session and every error path; no output holds it.

Searched: captured stdout/stderr, every log record (DEBUG, all loggers, httpx included), the
notifications, exported screenshots, the drafts file's bytes (with its WAL), and the text and
repr of every exception the client raised, including a server that echoes the key back.
"""

from __future__ import annotations

import json
import logging
from functools import partial

import pytest
from test_app_support import open_variant, settle, type_text
from test_drafts_app_support import add_faults as add_demo_faults
from test_drafts_app_support import review_and_send

from tui.api.channels import Channel
from tui.api.client import SaleshandyClient
from tui.api.errors import ApiError
from tui.api.models import VariantUpdate
from tui.app import SeqEditApp
from tui.cli import main
from tui.config.paths import state_dir
from tui.sandbox.testing import free_port, running_server
from tui.session.connect import Account

FAKE_KEY = "shk_live_ZZtop9SECRET8f7e6d5c4b3a2190"
add_faults = partial(add_demo_faults, api_key=FAKE_KEY)
ECHO = json.dumps({"message": f"Invalid token {FAKE_KEY}", "error": "Bad Request", "statusCode": 400})


@pytest.fixture
def keyed_server(tmp_path):
    """A sandbox on 127.0.0.1 that only accepts FAKE_KEY."""
    from tui.sandbox.app import create_app

    app = create_app(tmp_path / "keyed.sqlite3", api_key=FAKE_KEY)
    with running_server(app) as base_url:
        yield app, base_url
    app.state.store.close()


def _no_key(where: str, text: str | bytes) -> None:
    needle = FAKE_KEY.encode() if isinstance(text, bytes) else FAKE_KEY
    assert needle not in text, f"the key appears in {where}"
    # Nor the distinctive middle of it (a cut or wrapped copy).
    middle = FAKE_KEY[6:24]
    assert (middle.encode() if isinstance(text, bytes) else middle) not in text, f"part of the key appears in {where}"


async def test_a_session_and_its_failures_never_show_the_key(keyed_server, caplog, capsys, monkeypatch) -> None:
    sandbox_app, base_url = keyed_server
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("SALESHANDY_API_KEY", FAKE_KEY)
    account = Account(base_url=base_url, api_key=FAKE_KEY, profile="acme", key_source="env")
    _no_key("repr(account)", repr(account) + str(account))

    app = SeqEditApp(account)
    screenshots: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        key = await open_variant(pilot, "Founders intro", Channel.EMAIL)
        _no_key("repr(client)", repr(app.client))
        await pilot.press("end")
        await type_text(pilot, " ok")
        await review_and_send(pilot)  # a successful save: history written
        screenshots.append(app.export_screenshot())

        await type_text(pilot, " again")
        # A server that echoes the key in its error, on the save and then on the re-read.
        await add_faults(sandbox_app, [{"status": 400, "body": ECHO}], method="PATCH")
        await review_and_send(pilot)
        screenshots.append(app.export_screenshot())
        await add_faults(sandbox_app, [{"status": 200, "body": f"<html>{FAKE_KEY}"}], method="GET")
        await pilot.press("ctrl+r")
        await settle(pilot)
        screenshots.append(app.export_screenshot())
        await add_faults(sandbox_app, [{"drop": "before"}], method="PATCH")
        await pilot.press("ctrl+r")
        await settle(pilot)
        screenshots.append(app.export_screenshot())
        await pilot.press("escape", "D")
        await settle(pilot)
        screenshots.append(app.export_screenshot())
        await pilot.press("escape", "H")
        await settle(pilot)
        screenshots.append(app.export_screenshot())
        notes = [f"{n.title} {n.message}" for n in app._notifications]
        assert any("Invalid token [redacted]" in note for note in notes), notes
        assert app.drafts.account == "profile:acme"

    for index, shot in enumerate(screenshots):
        _no_key(f"screenshot {index}", shot)
    for note in notes:
        _no_key("a notification", note)

    # The drafts file (and its WAL) after the session: drafts and history, no key.
    files = sorted(state_dir().glob("drafts.sqlite3*"))
    assert files
    for path in files:
        _no_key(path.name, path.read_bytes())

    # Every error path of the client, raised directly.
    errors: list[BaseException] = []
    dead = SaleshandyClient(FAKE_KEY, f"http://127.0.0.1:{free_port()}", max_retries=0, timeout=10)
    echoing = SaleshandyClient(FAKE_KEY, base_url, max_retries=0, timeout=10)
    wrong = SaleshandyClient(FAKE_KEY + "x", base_url, max_retries=0, timeout=10)
    for client, before in (
        (dead, None),
        (echoing, [{"status": 500, "body": ECHO}]),
        (echoing, [{"status": 200, "body": FAKE_KEY}]),
        (echoing, [{"drop": "before"}]),
        (wrong, None),
    ):
        if before:
            await add_faults(sandbox_app, before)
        try:
            await client.update_variant(*key, VariantUpdate(status=1))
        except ApiError as exc:
            errors.append(exc)
    for client in (dead, echoing, wrong):
        await client.aclose()
    assert len(errors) == 5
    for exc in errors:
        _no_key(f"{type(exc).__name__}", f"{exc} {exc!r} {exc.messages} {exc.args}")
    try:
        SaleshandyClient(FAKE_KEY, "http://evil.example")
    except ValueError as exc:
        _no_key("an unsafe base URL error", str(exc))

    for record in caplog.records:
        _no_key(f"log record {record.name}", record.getMessage() + " " + str(record.args))
    _no_key("the log", caplog.text)


def test_headless_commands_never_show_the_key(keyed_server, caplog, capsys, monkeypatch) -> None:
    import httpx

    _sandbox_app, base_url = keyed_server
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("SALESHANDY_API_KEY", FAKE_KEY)
    sequences = httpx.get(base_url + "/v1/sequences", headers={"x-api-key": FAKE_KEY}).json()["payload"]
    sequence_id = sequences[0]["id"]
    assert main(["config", "show"]) == 0
    assert main(["lint", "--base-url", base_url, "--sequence", sequence_id]) in (0, 1)
    assert main(["preview", "--base-url", base_url, "--sequence", sequence_id]) in (0, 1)
    # Given before the subcommand, --base-url still counts (the key goes nowhere else).
    assert main(["--base-url", base_url, "lint", "--sequence", sequence_id]) in (0, 1)
    # A server that echoes the key in every error, past the client's retries (retry-after 0:
    # the client retries at once instead of backing off for seconds).
    httpx.post(
        base_url + "/v1/sandbox/faults",
        headers={"x-api-key": FAKE_KEY},
        json={"faults": [{"status": 503, "body": ECHO, "retryAfter": 0}] * 10},
    ).raise_for_status()
    assert main(["lint", "--base-url", base_url, "--sequence", sequence_id]) != 0
    httpx.delete(base_url + "/v1/sandbox/faults", headers={"x-api-key": FAKE_KEY}).raise_for_status()
    monkeypatch.setenv("SALESHANDY_API_KEY", FAKE_KEY + "x")  # a wrong key: the 401 path
    assert main(["lint", "--base-url", base_url, "--sequence", sequence_id]) != 0
    captured = capsys.readouterr()
    _no_key("stdout", captured.out)
    _no_key("stderr", captured.err)
    assert "[redacted]" in captured.out + captured.err
    for record in caplog.records:
        _no_key(f"log record {record.name}", record.getMessage() + " " + str(record.args))
    _no_key("the log", caplog.text)
