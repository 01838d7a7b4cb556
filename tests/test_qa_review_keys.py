"""Newcomer QA: the save review's footer offers "Send" only when sending is possible;
j/k scroll the review; the findings' heading names what it lists."""

from __future__ import annotations

from test_app_support import make_app, open_variant, settle, type_text
from textual.containers import VerticalScroll
from textual.widgets import Static, TextArea

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
        assert any("read-only" in str(n.message) for n in app._notifications)


async def test_allowed_review_offers_send(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, "Founders intro", Channel.CUSTOM)
        await type_text(pilot, "x")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and not app.screen.refusal
        assert _footer_keys(app).get("enter") == "Send"


async def test_review_heads_an_error_finding_as_an_error(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_variant(pilot, "Q4 Outbound: Heads of RevOps", Channel.LINKEDIN_CONNECTION_REQUEST)
        note = app.screen.query_one("#field-connectionNote", TextArea)
        await pilot.press("ctrl+end")
        note.insert("x" * (300 - len(note.text)))  # as a paste would
        await type_text(pilot, "y")  # the 301st character
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.refusal and "1 error(s)" in review.refusal
        listed = str(review.query_one("#review-findings", Static).render())
        assert "E api.limit" in listed
        heading = str(list(review.query(".review-heading"))[-1].render())  # the one over the findings
        # The seeded note's tags also draw warnings: a mix, so neither "Errors" nor "Warnings".
        assert heading.startswith("Findings (1 error, ") and "warning" in heading


async def test_review_j_k_scroll_a_long_patch_body(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, "Founders intro", Channel.EMAIL)
        await type_text(pilot, "x")  # the PATCH carries the whole payload, HTML body included
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        scroll = app.screen.query_one("#review-scroll", VerticalScroll)
        assert scroll.max_scroll_y > 3
        assert scroll.scroll_y == 0
        await pilot.press("j", "j", "j")
        await settle(pilot)
        assert scroll.scroll_y == 3
        await pilot.press("k")
        await settle(pilot)
        assert scroll.scroll_y == 2
        assert isinstance(app.screen, ReviewScreen)  # j/k do not send or leave


def test_the_findings_heading_names_what_it_lists() -> None:
    from tui.validation.findings import Finding, Severity

    def heading(*severities: Severity) -> str:
        found = [Finding(f"rule.{i}", s, "payload.subject", "message", "") for i, s in enumerate(severities)]
        # Not mounted: the heading depends on the findings alone.
        return ReviewScreen(title="t", body={}, before=None, after=None, findings=found)._findings_heading()

    assert heading(Severity.ERROR) == "Errors (1)"
    assert heading(Severity.WARNING, Severity.WARNING) == "Warnings (2)"
    assert heading(Severity.INFO) == "Advice (1)"
    assert (
        heading(Severity.WARNING, Severity.ERROR, Severity.ERROR, Severity.INFO)
        == "Findings (2 errors, 1 warning, 1 advice)"
    )
    assert heading() == "Findings"  # read with the "none" under it
