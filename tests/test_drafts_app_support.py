"""Helpers for the drafts, conflict, fault, hostile-text and secret tests. Holds no tests.

Everything here talks to a real sandbox (in-process or over uvicorn on 127.0.0.1); nothing of
ours is replaced.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from test_app_support import BASE_URL, settle

from tui.api.client import SaleshandyClient
from tui.app import SeqEditApp
from tui.config.paths import state_dir
from tui.drafts import DraftStore
from tui.sandbox import DEMO_API_KEY


class DemoAccount:
    """The demo account as ``tui.session.connect`` describes it (label "demo", never a key)."""

    demo = True
    profile = None
    base_url = BASE_URL


def app_over(transport: httpx.AsyncBaseTransport, base_url: str = BASE_URL, **client_options: Any) -> SeqEditApp:
    """The editor whose client goes through ``transport`` (no retries unless asked)."""
    client_options.setdefault("max_retries", 0)

    def factory() -> SaleshandyClient:
        return SaleshandyClient(DEMO_API_KEY, base_url, transport=transport, **client_options)

    return SeqEditApp(DemoAccount(), client_factory=factory)


def live_app(base_url: str, **client_options: Any) -> SeqEditApp:
    """The editor talking over real HTTP to a sandbox on 127.0.0.1."""
    client_options.setdefault("max_retries", 0)

    def factory() -> SaleshandyClient:
        return SaleshandyClient(DEMO_API_KEY, base_url, **client_options)

    return SeqEditApp(DemoAccount(), client_factory=factory)


async def sandbox_call(
    sandbox_app: Any, method: str, path: str, body: Any = None, *, api_key: str = DEMO_API_KEY
) -> Any:
    """One request to the sandbox's own routes (faults, counters), in-process."""
    transport = httpx.ASGITransport(app=sandbox_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers={"x-api-key": api_key}) as http:
        response = await http.request(method, path, json=body)
        response.raise_for_status()
        return response.json() if response.content else None


async def add_faults(
    sandbox_app: Any,
    faults: list[dict[str, Any]],
    *,
    method: str | None = None,
    path: str | None = None,
    api_key: str = DEMO_API_KEY,
) -> None:
    """Queue scripted faults through ``POST /v1/sandbox/faults``."""
    body: dict[str, Any] = {"faults": faults}
    if method:
        body["method"] = method
    if path:
        body["path"] = path
    await sandbox_call(sandbox_app, "POST", "/v1/sandbox/faults", body, api_key=api_key)


async def patch_count(sandbox_app: Any) -> int:
    """PATCHes the sandbox has served so far."""
    counts = await sandbox_call(sandbox_app, "GET", "/v1/sandbox/requests")
    payload = counts.get("payload", counts) if isinstance(counts, dict) else {}
    if isinstance(payload, dict) and isinstance(payload.get("requests"), dict):
        payload = payload["requests"]
    return sum(n for k, n in payload.items() if isinstance(n, int) and k.startswith("PATCH "))


def store() -> DraftStore:
    """The drafts file the app uses (the test's private state directory)."""
    return DraftStore(state_dir() / "drafts.sqlite3")


def notes(app: SeqEditApp) -> list[str]:
    """The notifications shown so far, title and message."""
    return [f"{n.title}: {n.message}" for n in app._notifications]


def last_note(app: SeqEditApp) -> str:
    shown = notes(app)
    return shown[-1] if shown else ""


async def review_and_send(pilot: Any) -> dict[str, Any]:
    """ctrl+s, read the PATCH body off the review screen, send it."""
    from tui.screens.review_screen import ReviewScreen

    await pilot.press("ctrl+s")
    await settle(pilot)
    review = pilot.app.screen
    assert isinstance(review, ReviewScreen), type(review)
    body = json.loads(review.body_json())
    await pilot.press("enter")
    await settle(pilot)
    return body


def screen_text(app: SeqEditApp) -> str:
    """The characters on screen (the top-most screen, modals included), one line per row."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)
