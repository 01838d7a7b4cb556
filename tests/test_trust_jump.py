"""Issue 13 item 4: enter on a finding selects its text and scrolls it into view (near the middle
of the field), whatever the field and the terminal's size; typing then replaces what is seen."""

from __future__ import annotations

import pytest
from test_app_support import make_app, open_variant, prompt_text, settle
from textual.widgets import Input, TextArea

from tui.api.channels import Channel

ACME = "Acme Robotics: Warehouse Managers"
SIZES = [(80, 24), (120, 40), (60, 20), (200, 50), (80, 16), (100, 14)]


async def _jump_to(pilot, rule_id: str) -> None:
    app = pilot.app
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)
    panel = app.screen.query_one("#findings")
    options = panel.query_one("FindingsList")
    for _ in range(200):
        for index, option in enumerate(options._options):
            finding = getattr(option, "id", None)
            if finding is not None and rule_id in prompt_text(option):
                options.highlighted = index
                options.focus()
                await settle(pilot)
                await pilot.press("enter")
                await settle(pilot)
                await settle(pilot)
                return
        await pilot.pause(0.05)
    raise AssertionError(f"no {rule_id} finding")


def _visible_in_form(app, widget, row_in_widget: int) -> bool:
    """Whether the widget's row ``row_in_widget`` (0 = first content row) is on screen."""
    form = app.screen.form
    region = widget.content_region
    y = region.y + row_in_widget
    return form.content_region.y <= y < form.content_region.bottom


@pytest.mark.parametrize("size", SIZES)
async def test_enter_on_a_finding_deep_in_a_long_body_shows_the_selection(sandbox_app, size) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=size) as pilot:
        await open_variant(pilot, ACME, Channel.EMAIL)
        content = app.screen.query_one("#field-content", TextArea)
        # Paragraphs one line each, as bodies come from the web editor: they wrap in the field.
        lines = [
            f"<p>Paragraph {n}: " + "pick, pack and ship faster with fewer errors. " * 6 + "</p>" for n in range(60)
        ]
        lines[50] = lines[50].replace("fewer errors.", "fewer {{Bogus Tag}} errors.", 4)
        content.load_text("\n".join(lines))
        content.post_message(TextArea.Changed(content))
        await _jump_to(pilot, "tags.unknown")
        assert app.screen.focused is content
        selection = content.selection
        assert content.document.get_text_range(*sorted([selection.start, selection.end])) == "{{Bogus Tag}}"
        row = content.wrapped_document.location_to_offset(selection.end).y  # the row on screen, wrapped
        # Inside the field's own scrolled view, near its middle …
        top = content.scroll_offset.y
        height = content.scrollable_content_region.height
        assert top <= row < top + height, (row, top, height)
        assert abs((row - top) - height // 2) <= 1, (row, top, height)
        # … and the field's rows there are on screen in the form.
        assert _visible_in_form(app, content, row - top), (content.region, app.screen.form.content_region)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_enter_on_a_subject_finding_shows_the_subject_selection(sandbox_app, size) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=size) as pilot:
        await open_variant(pilot, ACME, Channel.EMAIL)
        subject = app.screen.query_one("#field-subject", Input)
        subject.value = "A long subject about the warehouse managers we met at the show {{Bogus Tag}} ok"
        await _jump_to(pilot, "tags.unknown")
        assert app.screen.focused is subject
        assert subject.selected_text == "{{Bogus Tag}}"
        assert _visible_in_form(app, subject, 0)
        # The selection is inside the input's visible width.
        assert subject.scroll_offset.x <= subject.selection.end <= subject.scroll_offset.x + subject.content_size.width


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_body_rebuilt_while_the_findings_tab_is_shown_still_scrolls_to_the_finding(sandbox_app, size) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=size) as pilot:
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        await pilot.press("f")
        await settle(pilot)
        lines = [
            f"<p>Paragraph {n}: " + "pick, pack and ship faster with fewer errors. " * 6 + "</p>" for n in range(60)
        ]
        lines[50] = lines[50].replace("fewer errors.", "fewer {{Bogus Tag}} errors.", 1)
        app.workspace.edit_payload(key, "content", "\n".join(lines))
        await app.screen.editing.show_current()  # the form rebuilt while hidden (a reload, a restored draft)
        await pilot.resize_terminal(size[0] - 2, size[1] - 1)
        await settle(pilot)
        await _jump_to(pilot, "tags.unknown")
        content = app.screen.query_one("#field-content", TextArea)
        assert app.screen.focused is content
        row = content.wrapped_document.location_to_offset(content.selection.end).y
        top = content.scroll_offset.y
        height = content.scrollable_content_region.height
        assert top <= row < top + height, (row, top, height)
        assert _visible_in_form(app, content, row - top), (content.region, app.screen.form.content_region)
