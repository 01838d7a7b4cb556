"""The Findings tab: live while typing, counts in the tab label, enter jumps to the text, the
tree marks variants with errors, and the save review refuses while errors remain.

Driven by keys against the in-process sandbox. The only waits are for the panel's debounce
(``pilot.pause(WAIT)``), then for messages and workers (``settle``).
"""

from __future__ import annotations

from test_app_support import client_for, make_app, open_variant, prompt_text, settle, tree, type_text
from textual.widgets import Input, TabbedContent, TextArea

from tui.api.channels import Channel
from tui.screens.review_screen import ReviewScreen
from tui.session.live_refresh import DEBOUNCE
from tui.session.variant_checks import counts_label
from tui.validation import Severity
from tui.widgets import messages as m
from tui.widgets.findings_panel import FindingsList, FindingsPanel

WAIT = DEBOUNCE + 0.1


def _panel(app) -> FindingsPanel:
    return app.screen.query_one("#findings", FindingsPanel)


def _tab_label(app) -> str:
    return app.screen.query_one(TabbedContent).get_tab("tab-findings").label.plain


def _rules(findings, severity=None) -> list[str]:
    return [f.rule_id for f in findings if severity is None or f.severity is severity]


async def _after_typing(pilot) -> None:
    await pilot.pause(WAIT)
    await settle(pilot)


async def test_typing_a_301_character_connection_note_shows_the_error_live_and_the_save_is_refused(sandbox_app) -> None:
    seen: list = []
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 32), message_hook=seen.append) as pilot:
        key = await open_variant(pilot, "Q4 Outbound: Heads of RevOps", Channel.LINKEDIN_CONNECTION_REQUEST)
        note = app.screen.query_one("#field-connectionNote", TextArea)
        assert note.has_focus
        start = len(note.text)
        assert start < 300
        await pilot.press("ctrl+end")
        # Filled up to two short of the limit through the text area (as a paste would), then typed.
        note.insert("x" * (298 - start))
        await type_text(pilot, "xx")
        await _after_typing(pilot)
        assert len(app.workspace.edited(key).payload["connectionNote"]) == 300
        assert "api.limit" not in _rules(_panel(app).findings)
        assert "E " not in _tab_label(app)

        await type_text(pilot, "y")  # the 301st character
        await _after_typing(pilot)
        errors = [f for f in _panel(app).findings if f.severity is Severity.ERROR]
        assert [(f.rule_id, f.field) for f in errors] == [("api.limit", "payload.connectionNote")]
        assert errors[0].span == (300, 301)
        assert _tab_label(app).startswith("Findings E 1")
        assert any(
            isinstance(message, m.FindingsUpdated) and message.key == key and message.label.startswith("E 1")
            for message in seen
        )
        # The tree marks the variant: "A!" after the letter.
        assert "A!" in tree(pilot).variant_node(key).label.plain

        await pilot.press("ctrl+s")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.refusal and "1 error" in review.refusal and "api.limit (payload.connectionNote)" in review.refusal
        shown = review.query_one("#review-findings").render()
        assert "api.limit" in str(shown)
        await pilot.press("enter")  # refused: the screen stays, nothing is sent
        await settle(pilot)
        assert app.screen is review
        await pilot.press("escape")
        await settle(pilot)
        server = await client_for(sandbox_app).get_variant(*key)
        assert len(server.payload["connectionNote"]) == start
        assert app.workspace.is_dirty(key)

        # Undoing the edits clears the error and the tree's mark.
        await pilot.press("escape", "u")
        await settle(pilot)
        await pilot.press("y")
        await _after_typing(pilot)
        assert "A!" not in tree(pilot).variant_node(key).label.plain
        assert not _rules(_panel(app).findings, Severity.ERROR)


async def test_tab_label_counts_each_severity(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 32)) as pilot:
        key = await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        findings = app.checks.findings(key)
        # The marketing email: a long subject, layout-table images and more (see demo_content).
        assert "email.subject-length" in _rules(findings, Severity.WARNING)
        label = counts_label(findings)
        assert label and _tab_label(app) == f"Findings {label}"
        assert _panel(app).findings == findings
        listing = _panel(app).query_one(FindingsList)
        headings = [
            str(listing.get_option_at_index(i).prompt)
            for i in range(listing.option_count)
            if listing.get_option_at_index(i).disabled
        ]
        assert headings[0].startswith("Warnings (")


async def test_fields_from_the_account_drive_the_merge_tag_checks(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 32)) as pilot:
        # Webinar variant B misspells {{First Name}} as {{Frist Name}}.
        await open_variant(pilot, "Webinar invite: Data Leaders", Channel.EMAIL, letter_index=1)
        assert app.checks.fields, "the field list is loaded once, in a worker"
        unknown = [f for f in _panel(app).findings if f.rule_id == "tags.unknown"]
        assert unknown and "First Name" in unknown[0].message + unknown[0].hint


async def test_enter_on_a_finding_focuses_its_field_and_selects_the_span(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 32)) as pilot:
        key = await open_variant(pilot, "Hiring managers: Engineering", Channel.EMAIL)
        await pilot.press("escape", "f")
        await settle(pilot)
        listing = app.screen.query_one(FindingsList)
        assert listing.has_focus
        panel = _panel(app)

        async def jump_to(rule_id: str, field: str):
            for _ in range(listing.option_count):
                finding = panel.finding_at(listing.highlighted)
                if finding is not None and finding.rule_id == rule_id and finding.field == field:
                    break
                await pilot.press("down")
            else:
                raise AssertionError(f"no {rule_id} on {field}")
            await pilot.press("enter")
            await settle(pilot)
            return finding

        spam = await jump_to("email.spam-words", "payload.content")
        assert app.screen.query_one(TabbedContent).active == "tab-edit"
        content = app.screen.query_one("#field-content", TextArea)
        assert content.has_focus
        start, end = spam.span
        assert content.selected_text == app.workspace.edited(key).payload["content"][start:end]
        assert content.selected_text.lower() == "guarantee"

        await pilot.press("f")  # in a TextArea f is text: go back through the tree
        await pilot.press("escape", "f")
        await settle(pilot)
        assert listing.has_focus
        tag = await jump_to("tags.no-fallback", "payload.subject")
        subject = app.screen.query_one("#field-subject", Input)
        assert subject.has_focus
        assert subject.selected_text == "{{Company}}"
        assert tag.span is not None


async def test_findings_panel_text_is_literal(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 32)) as pilot:
        key = await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.LINKEDIN_MESSAGE)
        await pilot.press("ctrl+home")
        await type_text(pilot, "{{[bold]Nope[/bold]}} ")
        await _after_typing(pilot)
        prompts = " ".join(
            prompt_text(option)
            for option in (
                _panel(app).query_one(FindingsList).get_option_at_index(i)
                for i in range(_panel(app).query_one(FindingsList).option_count)
            )
            if not option.disabled
        )
        assert "{{[bold]Nope[/bold]}}" in prompts  # markup stays literal
        assert app.workspace.is_dirty(key)


# --- the checks behind the panel (pure) -------------------------------------------------------


def _workspace_with_note(note: str):
    from tui.api.models import Step
    from tui.session.workspace import VariantKey, Workspace

    step = Step.model_validate(
        {
            "id": "st1",
            "type": "LinkedInConnectionRequest",
            "absoluteDays": 2,
            "variants": [{"id": "v1", "payload": {"connectionNote": note}}],
        }
    )
    workspace = Workspace()
    workspace.set_steps("seq1", [step])
    return workspace, VariantKey("seq1", "st1", "v1")


def test_checks_follow_edits_and_leave_the_live_variant_to_its_panel() -> None:
    from tui.session.variant_checks import VariantChecks

    workspace, key = _workspace_with_note("Hi")
    checks = VariantChecks(workspace)
    assert checks.error_count(key) == 0
    workspace.edit_payload(key, "connectionNote", "x" * 301)
    assert checks.error_count(key) == 1  # not live: validated again on the next read
    checks.live_key = key
    workspace.edit_payload(key, "connectionNote", "short")
    assert checks.error_count(key) == 1  # live: the tree keeps the last result until the pause
    assert _rules(checks.findings(key), Severity.ERROR) == []  # findings() is always current
    assert checks.error_count(key) == 0


async def test_a_huge_body_is_validated_in_a_worker_and_the_findings_still_arrive(sandbox_app) -> None:
    from tui.session.live_refresh import THREAD_ABOVE

    seen: list = []
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 32), message_hook=seen.append) as pilot:
        key = await open_variant(pilot, "Hiring managers: Engineering", Channel.EMAIL)
        paragraph = "<p>Saw that your team is hiring; we place senior engineers fast.</p>\n"
        body = paragraph * (THREAD_ABOVE // len(paragraph) + 10)
        app.workspace.edit_payload(key, "content", body)  # as a paste would
        await _after_typing(pilot)
        assert app.checks.current(key) is not None  # the worker's result was kept
        assert "email.size" in _rules(_panel(app).findings, Severity.WARNING)
        assert any(isinstance(message, m.FindingsUpdated) and message.key == key for message in seen)


async def test_the_chosen_finding_is_drawn_in_the_cursor_colours_and_headings_are_not_greyed(sandbox_app) -> None:
    # The rule id used to keep its severity colour on the cursor row: orange on light blue.
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        await pilot.press("escape", "f")
        await _after_typing(pilot)
        listing = _panel(app).query_one(FindingsList)
        chosen = _panel(app).findings[0]
        assert listing.has_focus and listing.highlighted is not None
        rows = [list(listing.render_line(y)) for y in range(listing.size.height)]
        # The chosen finding's rows: those drawn on the cursor's background.
        first = next(y for y, row in enumerate(rows) if any(chosen.rule_id in seg.text for seg in row))
        cursor_bg = next(seg.style.bgcolor for seg in rows[first] if chosen.rule_id in seg.text)
        message = next(seg for seg in rows[first + 1] if seg.text.strip() and seg.style.bgcolor == cursor_bg)
        rule = next(seg for seg in rows[first] if chosen.rule_id in seg.text)
        assert rule.style.color == message.style.color, (rule.style, message.style)
        # A heading is drawn in the text colour, as an unchosen finding's message is.
        heading = next(
            seg for row in rows for seg in row if seg.text.strip().startswith(("Errors", "Warnings", "Advice"))
        )
        other = next(
            seg
            for y, row in enumerate(rows)
            if y > first + 3
            for seg in row
            if seg.text.strip()
            and seg.style.bgcolor != cursor_bg
            and not seg.style.bold
            and not seg.style.dim
            and not seg.style.reverse
        )
        assert heading.style.color == other.style.color, (heading.style, other.style)
