"""Newcomer QA: the drafts, history and conflict lists take the vim keys (j/k/g/G) and show
their enter key in the key bar."""

from __future__ import annotations

from test_app_support import client_for, make_app, open_variant, settle, type_text
from test_drafts_app_support import review_and_send
from textual.widgets import OptionList

from tui.api.channels import Channel
from tui.api.models import VariantUpdate
from tui.screens.conflict_screen import ConflictScreen, default_choice
from tui.screens.drafts_screen import DraftsScreen, draft_key
from tui.screens.history_screen import HistoryScreen
from tui.screens.review_screen import ReviewScreen

TITLE = "Founders intro"


def _footer_keys(app) -> dict[str, str]:
    """The keys the footer shows on the current screen, with their labels."""
    return {
        binding.key: binding.description
        for (_node, binding, _enabled, _tooltip) in app.screen.active_bindings.values()
        if binding.show
    }


def flipped(side: str) -> str:
    return "theirs" if side == "mine" else "mine"


def _highlighted(app) -> int | None:
    return app.screen.query_one(OptionList).highlighted


async def test_drafts_j_k_g_G_move_and_enter_opens_the_second_draft(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        first = await open_variant(pilot, "Event follow-up: SaaStr", Channel.EMAIL)
        await type_text(pilot, "x")
        await pilot.press("escape", "j", "enter")  # variant B of the same step
        await settle(pilot)
        await pilot.press("y")  # leave it, keeping the edit as a draft
        await settle(pilot)
        assert app.screen.current_key != first
        await pilot.press("enter")  # into the form (enter opened it beside the tree: issue 13 item 12)
        await settle(pilot)
        await type_text(pilot, "x")
        await pilot.press("escape", "D")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DraftsScreen) and len(screen.drafts) == 2
        assert _footer_keys(app).get("enter") == "Open"
        assert _highlighted(app) == 0
        await pilot.press("j")
        assert _highlighted(app) == 1
        await pilot.press("k")
        assert _highlighted(app) == 0
        await pilot.press("G")
        assert _highlighted(app) == 1
        await pilot.press("g")
        assert _highlighted(app) == 0
        second = draft_key(screen.drafts[1])
        await pilot.press("j", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, DraftsScreen)
        assert app.screen.current_key == second


async def test_history_shows_restore_in_the_key_bar_and_takes_j_k(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, TITLE, Channel.EMAIL)
        original = app.workspace.server_copy(key).payload["subject"]
        for word in (" one", " two"):
            await pilot.press("end")
            await type_text(pilot, word)
            await review_and_send(pilot)
        await pilot.press("escape", "H")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen) and len(app.screen.versions) == 2
        assert _footer_keys(app).get("enter") == "Restore"
        await pilot.press("j")
        assert _highlighted(app) == 1
        await pilot.press("k", "G")
        assert _highlighted(app) == 1
        await pilot.press("enter")  # still restores: the copy from before the older save
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert '"subject": ' + repr(original).replace("'", '"') in review.body_json()


async def test_conflict_takes_j_k_and_shows_send_in_the_key_bar(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        key = await open_variant(pilot, TITLE, Channel.EMAIL)
        await pilot.press("end")
        await type_text(pilot, " MINE")
        client = client_for(sandbox_app)
        current = await client.get_variant(*key)
        payload = {**current.payload, "subject": "Theirs", "content": "<p>theirs</p>"}
        await client.update_variant(*key, VariantUpdate(payload=payload))  # a teammate's save
        await client.aclose()
        await review_and_send(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictScreen) and len(screen.conflicts) == 2
        assert _footer_keys(app).get("enter") == "Send"
        await pilot.press("g", "j", "space")  # the second field flips
        first, second = screen.conflicts
        assert screen.choices == {first.path: default_choice(first), second.path: flipped(default_choice(second))}
        await pilot.press("k", "space")
        assert screen.choices == {
            first.path: flipped(default_choice(first)),
            second.path: flipped(default_choice(second)),
        }
