"""Network faults while saving: each gives a plain message, keeps the edits and offers a retry.

Scripted faults go through the sandbox's own ``POST /v1/sandbox/faults`` (in-process); the
refused connection, the timeout and the server killed mid-PATCH use a real uvicorn server on
127.0.0.1 that the test stops and starts again on the same port.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Any

import httpx
import pytest
from test_app_support import client_for, open_variant, settle, tree, type_text
from test_drafts_app_support import add_faults, app_over, last_note, live_app, patch_count, review_and_send, store

from tui.api.channels import Channel
from tui.drafts import DraftKey
from tui.sandbox import DEMO_API_KEY
from tui.screens.confirm_screen import ConfirmScreen
from tui.widgets.connection_status import ConnectionStatus

TITLE = "Founders intro"


def indicator(app) -> str:
    return app.screen.query_one(ConnectionStatus).label


async def _edit(pilot) -> tuple[Any, str]:
    """Open the Founders intro email and append to its subject; returns (key, new subject)."""
    key = await open_variant(pilot, TITLE, Channel.EMAIL)
    subject = pilot.app.workspace.server_copy(key).payload["subject"] + " (edited)"
    await pilot.press("end")
    await type_text(pilot, " (edited)")
    await settle(pilot)
    return key, subject


async def _server_subject(sandbox_app, key) -> str:
    client = client_for(sandbox_app)
    try:
        return (await client.get_variant(*key)).payload["subject"]
    finally:
        await client.aclose()


async def _retry(pilot) -> None:
    await pilot.press("ctrl+r")
    await settle(pilot)


def _kept(app, key, subject: str) -> None:
    assert app.workspace.is_dirty(key)
    assert app.workspace.edited(key).payload["subject"] == subject
    assert "Your edits are kept." in last_note(app)


# -- scripted faults, in-process ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        ({"status": 503}, "Sandbox fault: HTTP 503"),
        ({"status": 500}, "Sandbox fault: HTTP 500"),
        ({"status": 429, "retryAfter": 120}, "Too many requests"),
    ],
    ids=["503", "500", "429"],
)
async def test_server_errors_on_the_patch(sandbox_app, fault, says) -> None:
    held: list[float] = []

    async def no_wait(seconds: float) -> None:
        # The client's (and its scheduler's) waits, recorded instead of slept: after the 429 the
        # retry is held for the server's retry-after, capped at 30 s, which the test need not sit out.
        held.append(seconds)

    app = app_over(httpx.ASGITransport(app=sandbox_app), sleep=no_wait)
    async with app.run_test(size=(100, 30)) as pilot:
        key, subject = await _edit(pilot)
        original = await _server_subject(sandbox_app, key)
        await add_faults(sandbox_app, [fault], method="PATCH")
        await review_and_send(pilot)
        assert says in last_note(app) and "Save failed" in last_note(app)
        assert "Press ^r to retry." in last_note(app)
        assert "/v1/" not in last_note(app)  # the title names the save; the endpoint is noise
        _kept(app, key, subject)
        assert indicator(app) == "! error"
        assert await _server_subject(sandbox_app, key) == original
        await _retry(pilot)
        assert "Saved variant A." in last_note(app)
        assert await _server_subject(sandbox_app, key) == subject
        assert not app.workspace.is_dirty(key)
        assert indicator(app) == "● online"
        if fault["status"] == 429:  # the retry waited for the rate limit first, at most the 30 s cap
            assert held and all(0 < seconds <= 30 for seconds in held), held
        else:
            assert held == []


@pytest.mark.parametrize(
    "body",
    ["<html>502 Bad Gateway</html>", '{"message": "ok", "payl'],
    ids=["malformed", "truncated"],
)
async def test_garbled_answer_to_the_patch_is_checked_by_a_re_read(sandbox_app, body) -> None:
    app = app_over(httpx.ASGITransport(app=sandbox_app))
    async with app.run_test(size=(100, 30)) as pilot:
        key, subject = await _edit(pilot)
        await add_faults(sandbox_app, [{"status": 200, "body": body}], method="PATCH")
        await review_and_send(pilot)
        # The sandbox answered garbage without applying: the re-read shows it, so a retry is offered.
        assert "does not have the change" in last_note(app)
        _kept(app, key, subject)
        await _retry(pilot)
        assert await _server_subject(sandbox_app, key) == subject
        assert "Saved variant A." in last_note(app)


async def test_truncated_json_on_the_re_read_sends_nothing(sandbox_app) -> None:
    app = app_over(httpx.ASGITransport(app=sandbox_app))
    async with app.run_test(size=(100, 30)) as pilot:
        key, subject = await _edit(pilot)
        before = await patch_count(sandbox_app)
        await add_faults(sandbox_app, [{"status": 200, "body": '{"message": "ok", "payload": [{"id"'}], method="GET")
        await review_and_send(pilot)
        assert "nothing was sent" in last_note(app)
        _kept(app, key, subject)
        assert await patch_count(sandbox_app) == before
        await _retry(pilot)
        assert await _server_subject(sandbox_app, key) == subject


async def test_dropped_after_the_server_applied_it_is_a_success(sandbox_app) -> None:
    app = app_over(httpx.ASGITransport(app=sandbox_app))
    async with app.run_test(size=(100, 30)) as pilot:
        key, subject = await _edit(pilot)
        before = await patch_count(sandbox_app)
        await add_faults(sandbox_app, [{"drop": "after"}], method="PATCH")
        await review_and_send(pilot)
        assert "Saved variant A." in last_note(app) and "the server has the change" in last_note(app)
        assert not app.workspace.is_dirty(key)
        assert await patch_count(sandbox_app) == before + 1
        assert await _server_subject(sandbox_app, key) == subject


async def test_dropped_before_the_server_applied_it_offers_a_retry(sandbox_app) -> None:
    app = app_over(httpx.ASGITransport(app=sandbox_app))
    async with app.run_test(size=(100, 30)) as pilot:
        key, subject = await _edit(pilot)
        await add_faults(sandbox_app, [{"drop": "before"}], method="PATCH")
        await review_and_send(pilot)
        assert "does not have the change" in last_note(app)
        _kept(app, key, subject)
        await _retry(pilot)
        assert await _server_subject(sandbox_app, key) == subject
        assert not app.workspace.is_dirty(key)


@pytest.mark.parametrize("applied", [True, False], ids=["applied", "not-applied"])
async def test_unknown_outcome_is_re_read_before_any_retry(sandbox_app, applied) -> None:
    app = app_over(httpx.ASGITransport(app=sandbox_app))
    async with app.run_test(size=(100, 30)) as pilot:
        key, subject = await _edit(pilot)
        before = await patch_count(sandbox_app)
        await add_faults(sandbox_app, [{"drop": "after" if applied else "before"}], method="PATCH")
        # The re-read before the PATCH passes; the one after the dropped PATCH fails too.
        await add_faults(sandbox_app, [{"delayMs": 0}, {"status": 503}], method="GET")
        await review_and_send(pilot)
        assert "Save not confirmed" in last_note(app) and "not known whether the save went through" in last_note(app)
        _kept(app, key, subject)
        assert await patch_count(sandbox_app) == before + 1
        await _retry(pilot)
        assert not app.workspace.is_dirty(key)
        assert await _server_subject(sandbox_app, key) == subject
        if applied:
            assert "already has these edits; nothing was sent" in last_note(app)
            assert await patch_count(sandbox_app) == before + 1
        else:
            assert "Saved variant A." in last_note(app)
            assert await patch_count(sandbox_app) == before + 2


class _UnresolvableHost(httpx.ASGITransport):
    """The in-process sandbox, except that while ``failing`` the host name does not resolve.

    Raises exactly what httpx raises when getaddrinfo fails, so the client's own handling runs.
    """

    failing = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.failing:
            raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)
        return await super().handle_async_request(request)


async def test_name_resolution_failure(sandbox_app) -> None:
    transport = _UnresolvableHost(app=sandbox_app)
    transport.failing = True  # from the start: nothing loads, nor the merge-tag checks' fields
    app = app_over(transport)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.checks.fields is None and not app.assignees and indicator(app) == "✕ offline"
        unreachable = [note for note in app._notifications if note.severity == "error"]
        assert unreachable and all("Name or service not known" in str(note.message) for note in unreachable)
        transport.failing = False
        await pilot.press("r")  # the listing again: the server answers, so the rest is read too
        await settle(pilot)
        assert app.checks.fields and app.checks.prospects and app.assignees
        # No toast says the server cannot be reached under an indicator that says online.
        assert indicator(app) == "● online"
        assert not [note for note in app._notifications if note in unreachable]
        key, subject = await _edit(pilot)
        transport.failing = True
        await review_and_send(pilot)
        note = last_note(app)
        assert "Name or service not known" in note and "nothing was sent" in note
        _kept(app, key, subject)
        assert indicator(app) == "✕ offline"
        transport.failing = False
        await _retry(pilot)
        assert await _server_subject(sandbox_app, key) == subject
        assert indicator(app) == "● online"


# -- a real server on 127.0.0.1, stopped and started again ----------------------------------------


class Server:
    """A uvicorn server for ``app`` on a fixed loopback port, which tests can kill and restart."""

    def __init__(self, app: Any) -> None:
        from tui.sandbox.testing import free_port

        self.app = app
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    def start(self) -> None:
        import uvicorn

        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="critical", lifespan="off", access_log=False
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._sock = sock
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            assert self._thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.01)

    def kill(self) -> None:
        """Stop at once: open connections are cut, requests in progress never finish."""
        if self._server is None:
            return
        self._server.should_exit = True
        self._server.force_exit = True
        self._thread.join(timeout=10)
        self._sock.close()
        self._server = None


@pytest.fixture
def server(sandbox_app):
    running = Server(sandbox_app)
    running.start()
    yield running
    running.kill()


class SandboxProcess:
    """``seqedit sandbox`` in a child process on a fixed port, over the test's sandbox DB file."""

    def __init__(self, db) -> None:
        from tui.sandbox.testing import free_port

        self.db = db
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "tui", "sandbox", "--port", str(self.port), "--db", str(self.db)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(
                    self.base_url + "/v1/sequences", headers={"x-api-key": DEMO_API_KEY}, timeout=1
                ).raise_for_status()
                return
            except httpx.HTTPError:
                assert self.process.poll() is None and time.monotonic() < deadline, "sandbox process did not start"
                time.sleep(0.05)

    def call(self, method: str, path: str, body: Any = None) -> Any:
        response = httpx.request(
            method, self.base_url + path, json=body, headers={"x-api-key": DEMO_API_KEY}, timeout=5
        )
        response.raise_for_status()
        return response.json()

    def kill(self) -> None:
        """SIGKILL: the kernel closes its sockets; nothing gets a chance to answer."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def sandbox_process(sandbox_app, sandbox_db):
    running = SandboxProcess(sandbox_db)
    running.start()
    yield running
    running.kill()


async def test_server_killed_in_the_middle_of_the_patch(sandbox_process) -> None:
    server = sandbox_process
    app = live_app(server.base_url, timeout=5.0)
    async with app.run_test(size=(100, 30)) as pilot:
        key, subject = await _edit(pilot)
        original = app.workspace.server_copy(key).payload["subject"]
        server.call("POST", "/v1/sandbox/faults", {"faults": [{"delayMs": 60000}], "method": "PATCH"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")
        # Wait until the PATCH has reached the server (it took the queued delay), then kill it.
        for _ in range(1000):
            if server.call("POST", "/v1/sandbox/faults", {"faults": []})["payload"]["queued"] == 0:
                break
            await pilot.pause(0.01)
        else:
            pytest.fail("the PATCH never reached the server")
        server.kill()
        for _ in range(1000):  # the client notices the cut connection, then the refused re-read
            if "Save not confirmed" in last_note(app) or "Save failed" in last_note(app):
                break
            await pilot.pause(0.02)
        note = last_note(app)
        assert "Save not confirmed" in note and "not known whether the save went through" in note
        _kept(app, key, subject)
        assert indicator(app) == "✕ offline"

        # Offline: browsing what is loaded and editing still work, and edits become drafts.
        await pilot.press("escape", "j", "l", "j", "enter")  # the next step's first variant
        await settle(pilot)
        if isinstance(app.screen, ConfirmScreen):  # leaving the unsaved variant asks first
            await pilot.press("y")
            await settle(pilot)
        other = app.screen.current_key
        assert other is not None and other != key
        await type_text(pilot, "offline ")
        await settle(pilot)
        app.drafts.flush()
        with store() as drafts:
            assert drafts.get_draft(DraftKey("demo", *other)) is not None
            assert drafts.get_draft(DraftKey("demo", *key)).edited.payload["subject"] == subject

        server.start()
        step = server.call("GET", f"/v1/sequences/{key.sequence_id}/steps/{key.step_id}")["payload"]
        assert next(v for v in step if v["id"] == key.variant_id)["payload"]["subject"] == original
        await _retry(pilot)  # re-reads first: not applied, so it sends again
        assert "Saved variant A." in last_note(app)
        step = server.call("GET", f"/v1/sequences/{key.sequence_id}/steps/{key.step_id}")["payload"]
        assert next(v for v in step if v["id"] == key.variant_id)["payload"]["subject"] == subject
        assert indicator(app) == "● online"


async def test_refused_connection_then_retry(sandbox_app, server) -> None:
    app = live_app(server.base_url, timeout=10.0)
    async with app.run_test(size=(100, 30)) as pilot:
        key, subject = await _edit(pilot)
        server.kill()
        await review_and_send(pilot)
        note = last_note(app)
        assert "could not connect to 127.0.0.1" in note and "nothing was sent" in note
        _kept(app, key, subject)
        assert indicator(app) == "✕ offline"
        server.start()
        await _retry(pilot)
        assert await _server_subject(sandbox_app, key) == subject
        assert indicator(app) == "● online"


async def test_timeout_on_the_re_read(sandbox_app, server) -> None:
    # Short only for the save: on a loaded machine a 0.5 s limit could fail the first listing.
    app = live_app(server.base_url, timeout=10.0)
    async with app.run_test(size=(100, 30)) as pilot:
        key, subject = await _edit(pilot)
        app.client.timeout = 0.5
        await add_faults(sandbox_app, [{"delayMs": 3000}], method="GET")
        await review_and_send(pilot)
        note = last_note(app)
        assert "did not answer in time" in note and "nothing was sent" in note
        _kept(app, key, subject)
        app.client.timeout = 10.0
        await _retry(pilot)
        assert await _server_subject(sandbox_app, key) == subject
        assert "*" not in str(tree(pilot).variant_node(key).label)
