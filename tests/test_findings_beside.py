"""Findings (and the preview) in view while typing (issue 13, item 10).

At 80×24 a one-line summary sits under the form and f8 / shift+f8 select the next / previous
finding's text; from 120 columns the findings panel stands beside the form, from 160 the preview
under it, both live. Driven by keys against the in-process sandbox.
"""

from __future__ import annotations

from test_app_support import make_app, open_variant, settle, type_text
from textual.widgets import Input, TextArea

from tui.api.channels import Channel
from tui.session.live_refresh import DEBOUNCE
from tui.widgets.findings_line import FindingsLine
from tui.widgets.findings_panel import FindingsPanel, in_panel_order
from tui.widgets.preview_pane import PreviewPane

WAIT = DEBOUNCE + 0.1
SEQUENCE = "Hiring managers: Engineering"  # its first email has three warnings, no errors
ADDED = " and a subject that runs on well past what any inbox shows"


def _line_text(app) -> str:
    line = app.screen.query_one("#findings-line", FindingsLine)
    return str(line.render())


def _shown(widget) -> bool:
    """On screen: displayed, inside the screen, with a size."""
    return widget.display and widget.region.area > 0 and all(ancestor.display for ancestor in widget.ancestors)


async def _type_in_subject(pilot) -> Input:
    subject = pilot.app.screen.query_one("#field-subject", Input)
    subject.focus()
    await pilot.pause()
    await pilot.press("end")
    await type_text(pilot, ADDED)
    await pilot.pause(WAIT)
    await settle(pilot)
    return subject


async def test_80x24_a_findings_line_under_the_form_follows_typing_and_f8_walks_the_findings(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, SEQUENCE, Channel.EMAIL)
        screen = app.screen
        line = screen.query_one("#findings-line", FindingsLine)
        form = screen.query_one("#form")
        assert _shown(line) and line.region.height == 1
        assert line.region.y >= form.region.bottom  # under the form, above the key bar
        assert line.region.bottom <= 23
        assert not _shown(screen.query_one("#side"))
        assert "W 3" in _line_text(app) and "f8 next" in _line_text(app)

        subject = await _type_in_subject(pilot)
        assert subject.has_focus  # typing went on undisturbed
        assert "email.subject-length" in [f.rule_id for f in screen.query_one("#findings", FindingsPanel).findings]
        assert "W 4" in _line_text(app)

        order = in_panel_order(app.checks.findings(key))
        await pilot.press("f8")
        await settle(pilot)
        first = order[0]
        assert _line_text(app).split("│")[1].lstrip().startswith(f"1/{len(order)}")
        focused = screen.focused
        assert focused is not None and focused.id == f"field-{first.field.removeprefix('payload.')}"
        if isinstance(focused, Input) and first.span:
            assert (focused.selection.start, focused.selection.end) == first.span

        for _ in range(len(order) - 1):
            await pilot.press("f8")
            await settle(pilot)
        last = order[-1]
        assert _line_text(app).split("│")[1].lstrip().startswith(f"{len(order)}/{len(order)}")
        assert screen.focused is not None and screen.focused.id == f"field-{last.field.removeprefix('payload.')}"
        if isinstance(screen.focused, TextArea) and last.span:
            selected = screen.focused.selected_text
            assert selected and selected == app.workspace.edited(key).payload["content"][last.span[0] : last.span[1]]

        await pilot.press("f8")  # after the last, the first again
        await settle(pilot)
        assert _line_text(app).split("│")[1].lstrip().startswith(f"1/{len(order)}")
        await pilot.press("shift+f8")  # and back
        await settle(pilot)
        assert _line_text(app).split("│")[1].lstrip().startswith(f"{len(order)}/{len(order)}")


async def test_120_columns_show_the_findings_beside_the_form_live(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        # Nothing open: no empty panel beside "choose a variant"; the tree keeps its room.
        assert not _shown(screen.query_one("#side")) and screen.query_one("#tree-pane").region.width >= 50
        key = await open_variant(pilot, SEQUENCE, Channel.EMAIL)
        side = screen.query_one("#side-findings", FindingsPanel)
        form = screen.query_one("#form")
        assert _shown(side) and not _shown(screen.query_one("#side-preview"))
        assert not _shown(screen.query_one("#findings-line"))
        assert side.region.x >= form.region.right and side.region.y < form.region.bottom  # beside it
        assert side.region.width >= 30 and form.region.width >= 50
        assert len(side.findings) == 3

        subject = await _type_in_subject(pilot)
        assert subject.has_focus
        assert "email.subject-length" in [f.rule_id for f in side.findings]
        listed = [option.id for option in side.query_one("#findings-list").options if option.id]
        assert len(listed) == 4

        # A panel told to show a variant before it has composed, or refreshed (a timer, a
        # thread's result, a screen's call) once removed, draws nothing and raises nothing: both
        # raised NoMatches '#findings-summary'. Composed, it shows what it missed.
        extra = FindingsPanel(id="extra-findings")
        mounting = screen.mount(extra)
        extra.show(key)
        await mounting
        await settle(pilot)
        assert len([option for option in extra.query_one("#findings-list").options if option.id]) == 4
        await extra.remove()
        extra.refresh_findings()
        assert extra.finding_at(1) is None


async def test_160_columns_add_the_preview_beside_the_form_live(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(160, 45)) as pilot:
        await open_variant(pilot, SEQUENCE, Channel.EMAIL)
        screen = app.screen
        preview = screen.query_one("#side-preview", PreviewPane)
        form = screen.query_one("#form")
        assert _shown(preview) and _shown(screen.query_one("#side-findings"))
        assert preview.region.x >= form.region.right
        subject = await _type_in_subject(pilot)
        assert subject.has_focus
        assert preview.view is not None and "runs on well past" in " ".join(preview.view.plain.split())


async def test_narrowing_the_terminal_hides_the_side_panes_and_takes_focus_out_of_them(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(160, 45)) as pilot:
        key = await open_variant(pilot, SEQUENCE, Channel.EMAIL)
        screen = app.screen
        side_list = screen.query_one("#side-findings").query_one("#findings-list")
        side_list.focus()
        await settle(pilot)
        assert side_list.has_focus

        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert not _shown(screen.query_one("#side"))
        focused = screen.focused
        assert focused is not None and _shown(focused) and screen.query_one("#form") in focused.ancestors
        # Hidden, the side panes follow nothing (they would check and render each keystroke).
        assert screen.query_one("#side-findings", FindingsPanel).key is None
        assert screen.query_one("#side-preview", PreviewPane).key is None

        await pilot.resize_terminal(130, 40)
        await settle(pilot)
        assert screen.query_one("#side-findings", FindingsPanel).key == key
        assert screen.query_one("#side-preview", PreviewPane).key is None


def test_a_long_heading_wraps_under_the_rule_id_not_under_the_badge() -> None:
    """Beside the form the panel is about 30 columns: "Content (HTML)" fell back to column 0."""
    from rich.console import Console

    from tui.validation import Finding, Severity
    from tui.widgets.findings_panel import finding_prompt

    finding = Finding("email.images", Severity.WARNING, "payload.content", "The email is mostly images", "")
    console = Console(width=26, record=True, color_system=None)
    console.print(finding_prompt(finding, colour=False))
    lines = console.export_text().splitlines()
    assert lines[0].startswith(" W  email.images"), lines
    assert "(HTML)" in "".join(lines), lines
    assert all(line.startswith("  ") for line in lines[1:]), lines
