"""Newcomer QA at 80×24: the save review's footer offers "Send" only when sending is possible."""

from __future__ import annotations

from test_app_support import make_app, open_variant, settle, type_text
from tui.api.channels import Channel
from tui.screens.review_screen import ReviewScreen


def _footer_keys(app) -> dict[str, str]:
    """The keys the footer shows on the current screen, with their labels."""
    return {
        binding.key: binding.description
        for (_node, binding, _enabled, _tooltip) in app.screen.active_bindings.values()
        if binding.show
    }


async def test_refused_review_does_not_offer_send(sandbox_app) -> None:
    app = make_app(sandbox_app, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, "Founders intro", Channel.CUSTOM)
        await type_text(pilot, "x")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.screen.refusal
        assert "Send" not in _footer_keys(app).values()
        await pilot.press("enter")  # still explains rather than sending
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert any("read-only" in str(n.message) for n in app._notifications)  # noqa: SLF001


async def test_allowed_review_offers_send(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, "Founders intro", Channel.CUSTOM)
        await type_text(pilot, "x")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and not app.screen.refusal
        assert _footer_keys(app).get("enter") == "Send"
