"""The app at the client's edges (issues 12.5, 18.1, 18.15): what the indicator and the tree say
for a refused key, a slow server and a hostile answer; read-only refuses uploads; a base URL
ending in /v1 is said once."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from test_app_support import make_app, open_variant, settle, type_text
from test_hostile_server_support import HostileServer, answer, deep_json, trickle
from textual.widgets import Input

from tui.api.channels import Channel
from tui.api.client import SaleshandyClient
from tui.app import SeqEditApp
from tui.widgets.connection_status import ConnectionStatus

KEY = "sk-live-app-edges-55aa"


class Account:
    demo = False
    profile = None
    base_url = "http://127.0.0.1"
    notices: tuple[str, ...] = ()


def hostile_app(server: HostileServer, **options: Any) -> SeqEditApp:
    options.setdefault("max_retries", 0)
    return SeqEditApp(Account(), client_factory=lambda: SaleshandyClient(KEY, server.base_url, **options))


def indicator(app: SeqEditApp) -> ConnectionStatus:
    return app.screen.query_one(ConnectionStatus)


def notes(app: SeqEditApp) -> list[str]:
    return [str(note.message) for note in app._notifications]


async def wait_for(pilot: Any, done, seconds: float = 30.0) -> None:
    """Wait (generously) for ``done()``: no timing is asserted, only that it happens."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while not done():
        assert loop.time() < end, "the condition never held"
        await pilot.pause(0.05)


async def test_a_400_invalid_token_shows_key_refused_and_the_hint() -> None:
    server = HostileServer()
    await server.start()
    server.default = answer(400, {"payload": [{"message": "Invalid token", "code": 1001, "httpStatus": 400}]})
    try:
        app = hostile_app(server)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: any("the API key was refused" in note for note in notes(app)))
            await settle(pilot)
            assert indicator(app).label == "✕ key refused"
            assert "Check SALESHANDY_API_KEY" in indicator(app).detail
            assert any("Check SALESHANDY_API_KEY" in note for note in notes(app))
    finally:
        await server.close()


async def test_a_slow_server_is_shown_slow_then_offline_at_the_deadline() -> None:
    server = HostileServer()
    await server.start()
    server.default = trickle(0.2)
    try:
        app = hostile_app(server, deadline=3.0, slow_after=0.3, timeout=10.0)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: indicator(app).state == "slow")
            assert indicator(app).label == "… slow server"
            await wait_for(pilot, lambda: indicator(app).state == "offline")
            assert "did not finish answering within 3 s" in indicator(app).detail
    finally:
        await server.close()


async def test_a_deeply_nested_listing_is_a_load_error_not_a_crash() -> None:
    server = HostileServer()
    await server.start()
    server.script("/v1/sequences", answer(200, deep_json()))
    server.default = answer(200, {"message": "ok", "payload": []})
    try:
        app = hostile_app(server)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: any("nested more than 64 levels" in note for note in notes(app)))
            await settle(pilot)
            assert not app.crashed
    finally:
        await server.close()


async def test_read_only_refuses_an_upload_before_any_request(sandbox_app, tmp_path: Path, monkeypatch) -> None:
    brochure = tmp_path / "brochure.pdf"
    brochure.write_bytes(b"%PDF-1.4 sandbox")
    monkeypatch.chdir(tmp_path)
    app = make_app(sandbox_app, read_only=True)
    async with app.run_test(size=(100, 40)) as pilot:
        key = await open_variant(pilot, "Founders intro", Channel.EMAIL)
        path = app.screen.query_one("#attach-path", Input)
        path.focus()
        await type_text(pilot, brochure.name)
        await pilot.press("enter")
        await settle(pilot)
        assert app.workspace.edited(key).attachmentIds == app.workspace.server_copy(key).attachmentIds
        assert any("--read-only" in note and "uploading" in note for note in notes(app))
        assert not any(note.startswith("Uploading") for note in notes(app))
    transport = httpx.ASGITransport(app=sandbox_app)
    from tui.sandbox import DEMO_API_KEY

    async with httpx.AsyncClient(
        transport=transport, base_url="http://sandbox.local", headers={"x-api-key": DEMO_API_KEY}
    ) as http:
        counted = (await http.get("/v1/sandbox/requests")).json()["payload"]
    assert "POST /v1/attachments" not in counted and counted  # counted: the sandbox did see the reads


async def test_a_base_url_ending_in_v1_is_said_once(monkeypatch) -> None:
    from argparse import Namespace

    from tui.session.connect import resolve_account

    monkeypatch.setenv("SALESHANDY_API_KEY", KEY)
    account = resolve_account(Namespace(base_url="https://open-api.saleshandy.com/v1/", profile=None))
    assert account.base_url == "https://open-api.saleshandy.com"
    assert len(account.notices) == 1 and "/v1" in account.notices[0]

    app = SeqEditApp(account, client_factory=lambda: SaleshandyClient(KEY, "http://127.0.0.1:9", max_retries=0))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        said = [note for note in notes(app) if "ended in /v1" in note]
        assert len(said) == 1
