"""Issue 18 item 18: invisible and bidi characters are shown as ⟨U+202E⟩ wherever text is
reviewed (save review, diff, conflict), and validation warns about them (text.invisible)."""

from __future__ import annotations

from rich.text import Text
from test_app_snapshots import screen_text
from test_app_support import make_app, open_variant, settle
from textual.widgets import Input, Static

from tests.test_validation_support import email, first
from tui.api.channels import Channel
from tui.drafts import FieldChange
from tui.screens.diff_text import change_lines, word_diff_text
from tui.screens.review_screen import ReviewScreen
from tui.validation import RULES, validate

ACME = "Acme Robotics: Warehouse Managers"


def _invisible(findings) -> list:
    return [f for f in findings if f.rule_id == "text.invisible"]


def test_a_bidi_override_in_the_subject_is_a_warning_with_its_span() -> None:
    subject = "Invoice for \u202egnp.exe"
    [found] = _invisible(validate(email(subject), first()))
    assert found.severity.value == "W" and found.field == "payload.subject"
    assert "U+202E right-to-left override" in found.message
    assert found.span == (subject.index("\u202e"), subject.index("\u202e") + 1)
    assert "text.invisible" in RULES


def test_zero_width_characters_in_the_body_are_counted() -> None:
    body = "<p>Hi\u200b there, a word from us\ufeff about your release checks this week.</p>"
    [found] = _invisible(validate(email("Quick idea", body), first()))
    assert found.field == "payload.content" and found.message.startswith("2 invisible characters")


def test_joiners_inside_emoji_and_scripts_are_not_flagged() -> None:
    subject = "Team \U0001f469\u200d\U0001f4bb and \u0645\u200c\u0646"
    assert not _invisible(validate(email(subject), first()))


def test_the_diff_and_word_diff_show_invisible_characters() -> None:
    lines = change_lines([FieldChange("payload.subject", "Hello", "Hel\u202elo")])
    joined = "\n".join(line.plain for line in lines)
    assert "Hel⟨U+202E⟩lo" in joined
    diff: Text = word_diff_text("pay the invoice now " * 20, ("pay the invoice now " * 10) + "pay\u200b " + "x " * 3)
    assert "⟨U+200B⟩" in diff.plain


async def test_the_save_review_shows_the_override_in_the_body_and_the_diff(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        subject = app.screen.query_one("#field-subject", Input)
        subject.value = "Invoice \u202egnp.exe"
        await settle(pilot)
        assert app.workspace.edited(key).payload["subject"] == "Invoice \u202egnp.exe"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        body = screen_text(app)  # the PATCH body comes first, on screen
        app.screen.query_one("#review-scroll").scroll_to_widget(
            app.screen.query_one("#review-diff", Static), animate=False, top=True
        )
        await settle(pilot)
        diff = screen_text(app)
        findings = str(app.screen.query_one("#review-findings", Static).render())
        assert "⟨U+202E⟩" in body, body
        assert "Invoice ⟨U+202E⟩gnp.exe" in diff, diff
        assert "text.invisible" in findings
