"""The cached start's first frame (issue 16, benchmarks: network): the titles of the last known
listing are drawn before pydantic, httpx and the API models are imported, and read into models
right after that frame, with nothing on screen changing and the cursor where it was.

The start is run in a fresh interpreter: this one imported all of them long ago.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tui.api.models import Sequence
from tui.session.listing_cache import ListingCache

HEAVY = ("pydantic", "httpx", "tui.api.models", "tui.api.client")
BASE_URL = "https://api.example.invalid"
KEY = "k-first-frame-0123456789"

# Runs the app headless over the cache: at the first frame that shows sequences, which of the
# heavy modules are loaded and what the tree shows; after that frame, what it shows once the
# rows are models (the same labels), and then it quits.
_START = """
import json, sys

from tui.app import SeqEditApp
from tui.session.account import Account


def labels(app):
    return [str(node.label) for node in app.screen.tree.root.children]


def offline():
    # Built after the first frame, as the app builds its client: every request fails to connect.
    import httpx

    from tui.api.client import SaleshandyClient

    def refuse(request):
        raise httpx.ConnectError("offline", request=request)

    return SaleshandyClient(sys.argv[2], sys.argv[1], transport=httpx.MockTransport(refuse), max_retries=0)


app = SeqEditApp(Account(sys.argv[1], sys.argv[2]), client_factory=offline)
seen = {}
display = app._display


def first_frame(screen, renderable):
    display(screen, renderable)
    if renderable is not None and "loaded" not in seen and getattr(screen, "tree_side", None) is not None:
        if any(getattr(node.data, "kind", "") == "sequence" for node in screen.tree.root.children):
            seen["loaded"] = sorted(name for name in sys.argv[3].split(",") if name in sys.modules)
            seen["first"] = labels(app)


app._display = first_frame


async def main():
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(500):
            await pilot.pause(0.01)
            if "first" in seen and (app.workspace.sequences or not app.listing_refresh.showing_cached):
                break
        await pilot.pause(0.05)
        seen["after"] = labels(app)
        seen["models"] = [sequence.id for sequence in app.workspace.sequences]
        seen["cursor"] = app.screen.tree.cursor_line
        seen["title"] = app.sub_title


import asyncio

asyncio.run(main())
print(json.dumps(seen))
"""


def _start(state: Path) -> dict:
    env = {**os.environ, "SEQEDIT_STATE_DIR": str(state), "HOME": str(state), "XDG_CONFIG_HOME": str(state / "cfg")}
    env.pop("SALESHANDY_API_KEY", None)
    done = subprocess.run(
        [sys.executable, "-c", _START, BASE_URL, KEY, ",".join(HEAVY)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_cached_titles_are_drawn_before_the_models_are_imported(tmp_path) -> None:
    state = tmp_path / "state"
    (state / "cache").mkdir(parents=True)
    state.chmod(0o700)
    (state / "cache").chmod(0o700)
    sequences = [
        Sequence.model_validate(
            {"id": "s1", "title": "Spring outreach", "active": True, "client": {"companyName": "Acme"}}
        ),
        Sequence.model_validate({"id": "s2", "title": "[b]Not markup[/b]", "active": "paused"}),
        Sequence.model_validate({"id": "s3", "title": "Follow-up", "client": {"firstName": "Ada", "lastName": "L"}}),
    ]
    ListingCache(BASE_URL, KEY, None, directory=state / "cache").remember_sequences(sequences)

    seen = _start(state)

    assert seen["loaded"] == [], f"imported before the first frame: {seen['loaded']}"
    assert seen["first"] == ["● Spring outreach · Acme", "○ [b]Not markup[/b]", "○ Follow-up · Ada L"]
    # Right after that frame the rows are models, drawn the same (the server unreachable: the
    # cached titles stay), the cursor where it was.
    assert seen["models"] == ["s1", "s2", "s3"]
    assert seen["after"] == seen["first"]
    assert seen["cursor"] == 0
    assert "cached" in seen["title"]  # until the server's listing comes (it never does here)


def test_rows_whose_sequences_no_longer_read_are_taken_away_after_the_first_frame(tmp_path) -> None:
    # A file whose rows are fine but whose server copies no longer read as sequences (no id):
    # the rows show in the first frame, then go; nothing claims to be cached any more.
    state = tmp_path / "state"
    (state / "cache").mkdir(parents=True)
    state.chmod(0o700)
    (state / "cache").chmod(0o700)
    path = ListingCache(BASE_URL, KEY, None, directory=state / "cache").path
    body = {
        "version": 2,
        "savedAt": 0,
        "sequences": [{"title": "Lost"}],
        "rows": [["s9", "Lost", True, ""]],
        "steps": {},
    }
    path.write_text(json.dumps(body))
    path.chmod(0o600)

    seen = _start(state)

    assert seen["first"] == ["● Lost"]
    assert seen["models"] == [] and "● Lost" not in seen["after"]
    assert "cached" not in seen["title"]
