"""A local, Saleshandy-compatible API server backed by SQLite (the demo account and test target).

Pure: nothing here imports Textual. ``create_app`` (in :mod:`tui.sandbox.app`) builds the
Starlette app; :mod:`tui.sandbox.testing` runs it on loopback for tests.
"""

from __future__ import annotations

# Obviously fake on purpose: it only unlocks the local sandbox, never a real account.
DEMO_API_KEY = "sandbox-demo-key"

__all__ = ["DEMO_API_KEY"]
