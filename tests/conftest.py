"""Shared fixtures: a private data/state/config directory per test, and sandbox servers.

``sandbox_app``          a fresh in-process sandbox (demo data) on a temp-file SQLite DB
``sandbox_client_transport``  an ``httpx.ASGITransport`` over ``sandbox_app``
``sandbox_http``         an ``httpx.AsyncClient`` on that transport, sending the sandbox key
``live_sandbox``         the same app served by uvicorn on 127.0.0.1: ``.base_url``, ``.api_key``,
                         ``.app``, ``.store``
``flavored_app``         ``sandbox_app`` in each flavor, one test run per flavor: the contract's
                         own shapes, then the vendor's (:class:`tui.sandbox.vendor.VendorShapes`);
                         ``.state.store`` and ``.state.faults`` work on both, ``.flavor`` names it
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

LIVE_KEY_ENV = "SEQEDIT_LIVE_KEY"
LIVE_BASE_URL_ENV = "SEQEDIT_LIVE_BASE_URL"
LIVE_HOW = (
    "pytest -m live runs seqedit's contract checks (those of `seqedit doctor`) against a real "
    f"Saleshandy account, and needs its API key: {LIVE_KEY_ENV}='...' python -m pytest -m live "
    f"(optionally {LIVE_BASE_URL_ENV}=https://... for another endpoint, and SEQEDIT_LIVE_SCRATCH=ID, a "
    "sequence whose title starts with seqedit-scratch, for the write checks). They only read, unless "
    "SEQEDIT_LIVE_SCRATCH is set. See README, 'First run against your account'."
)


def pytest_itemcollected(item: pytest.Item) -> None:
    """Mark ``app`` every test of a module that drives the app (``run_test``): the slow part.

    ``pytest -m "not app and not live"`` then runs the quick unit tests alone. Marked here, by
    what the module does, so a new app test cannot forget its marker.
    """
    module = getattr(item, "module", None)
    path = getattr(module, "__file__", None)
    if path is None:
        return
    uses_app = _APP_MODULES.get(path)
    if uses_app is None:
        uses_app = _APP_MODULES[path] = "run_test(" in Path(path).read_text(encoding="utf-8")
    if uses_app:
        item.add_marker(pytest.mark.app)


_APP_MODULES: dict[str, bool] = {}


def _start_rank(item: pytest.Item) -> int:
    """``slow`` (a minute or more of subprocesses) first, then ``app``, then the quick rest."""
    if item.get_closest_marker("slow"):
        return 0
    return 1 if item.get_closest_marker("app") else 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest tests first; ``-m live`` without a key: say how to run them, once.

    Under ``-n 3`` xdist hands tests out in this order, so a long test never starts last while
    the other worker sits idle: the quick unit tests fill the end. The sort is stable (files stay
    whole and in order), so a module's expensive fixture is still built once per worker.
    """
    import os

    items.sort(key=_start_rank)
    if any(item.get_closest_marker("live") for item in items) and not os.environ.get(LIVE_KEY_ENV, "").strip():
        pytest.exit(f"{LIVE_KEY_ENV} is not set. {LIVE_HOW}", returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the real home: config, data and state live in a temp dir."""
    root = tmp_path_factory.mktemp("seqedit-home")
    for name in ("CONFIG", "DATA", "STATE"):
        monkeypatch.setenv(f"SEQEDIT_{name}_DIR", str(root / name.lower()))
    monkeypatch.delenv("SALESHANDY_API_KEY", raising=False)


@pytest.fixture
def sandbox_db(tmp_path: Path) -> Path:
    """Where the test's sandbox keeps its SQLite file."""
    return tmp_path / "sandbox.sqlite3"


@pytest.fixture
def sandbox_app(sandbox_db: Path):
    """A fresh sandbox app with the demo account (``app.state.store`` is its SandboxStore)."""
    from tui.sandbox.app import create_app

    app = create_app(sandbox_db)
    yield app
    app.state.store.close()


@pytest.fixture(params=["contract", "vendor"])
def flavored_app(request: pytest.FixtureRequest, sandbox_app):
    """``sandbox_app`` as each flavor serves it (see the module): journeys run against both."""
    from tui.sandbox.vendor import VendorShapes

    if request.param == "vendor":
        return VendorShapes(sandbox_app)
    sandbox_app.flavor = "contract"
    return sandbox_app


@pytest.fixture
def sandbox_client_transport(sandbox_app):
    """An httpx ASGI transport that talks to ``sandbox_app`` in-process."""
    import httpx

    return httpx.ASGITransport(app=sandbox_app)


@pytest.fixture
async def sandbox_http(sandbox_client_transport):
    """An async httpx client talking to ``sandbox_app`` in-process, with the demo key set."""
    import httpx

    from tui.sandbox import DEMO_API_KEY

    async with httpx.AsyncClient(
        transport=sandbox_client_transport, base_url="http://sandbox.local", headers={"x-api-key": DEMO_API_KEY}
    ) as client:
        yield client


@dataclass
class LiveSandbox:
    """A sandbox served over real HTTP on loopback."""

    base_url: str
    api_key: str
    app: Any
    store: Any


@pytest.fixture
def live_sandbox(sandbox_app) -> Iterator[LiveSandbox]:
    """``sandbox_app`` on a real uvicorn server at 127.0.0.1 on a free port."""
    from tui.sandbox import DEMO_API_KEY
    from tui.sandbox.testing import running_server

    with running_server(sandbox_app) as base_url:
        yield LiveSandbox(base_url=base_url, api_key=DEMO_API_KEY, app=sandbox_app, store=sandbox_app.state.store)
