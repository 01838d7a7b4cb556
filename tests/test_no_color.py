"""NO_COLOR: Textual drops colour itself; seqedit must stay usable, with meaning never in colour alone.

The screen is exported as SVG (what the terminal would show) and its colours are read back: with
NO_COLOR every text and background colour is a grey; without it the same screen has colour,
which shows the check can fail.
"""

from __future__ import annotations

import re

import pytest
from test_app_support import make_app, open_variant, settle, type_text
from textual.widgets import Input

from tui.api.channels import Channel

# Rich's SVG template adds the window's traffic lights; they are not part of the screen.
_CHROME = {"#ff5f57", "#febc2e", "#28c840"}


def screen_colours(svg: str) -> set[str]:
    """Text colours (style classes) and cell backgrounds (crisp rects) of an exported screen."""
    text = set(re.findall(r"\.terminal-\d+-r\d+ \{[^}]*?fill: (#[0-9a-fA-F]{6})", svg))
    backgrounds = set(re.findall(r'fill="(#[0-9a-fA-F]{6})"[^>]*shape-rendering="crispEdges"', svg))
    return {colour.lower() for colour in text | backgrounds} - _CHROME


def chroma(colour: str) -> int:
    red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    return max(red, green, blue) - min(red, green, blue)


async def _edited_email(pilot) -> None:
    await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
    assert isinstance(pilot.app.focused, Input)
    await pilot.press("end")
    await type_text(pilot, "!")
    await pilot.press("escape")
    await settle(pilot)


@pytest.mark.parametrize("theme", ["seqedit-dark", "seqedit-high-contrast", "seqedit-ansi", "textual-dark"])
async def test_no_color_leaves_only_greys_on_screen(sandbox_app, monkeypatch: pytest.MonkeyPatch, theme: str) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("SEQEDIT_THEME", theme)
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await _edited_email(pilot)
        assert app.theme == theme and app.no_color
        colours = screen_colours(app.export_screenshot())
        assert colours, "no colours found: the SVG format changed"
        coloured = sorted(colour for colour in colours if chroma(colour) > 6)
        assert coloured == [], f"{theme} under NO_COLOR still shows {coloured}"
        # ...and every word stays readable: under seqedit-ansi Textual's greys (picked for its
        # default theme) turned the terminal's own colours black, text and background (issue 13).
        unreadable = [
            segment.text
            for strip in app.screen._compositor.render_strips()
            for segment in strip
            if segment.style is not None
            and any(char.isalnum() for char in segment.text)
            and segment.style.color is not None
            and not segment.style.color.is_default  # the terminal's own text on its own background
            and segment.style.color == segment.style.bgcolor
        ]
        assert unreadable == [], unreadable[:5]
        if app.native_ansi_color:  # no colour left at all: the findings' cursor is underlined
            from textual.widgets import OptionList

            from tui.widgets.findings_panel import FindingsPanel

            options = app.screen.query_one(FindingsPanel).query_one(OptionList)
            assert options.get_component_rich_style("option-list--option-highlighted").underline


async def test_without_no_color_the_same_screen_has_colour(sandbox_app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("SEQEDIT_THEME", "seqedit-dark")
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await _edited_email(pilot)
        assert not app.no_color
        assert any(chroma(colour) > 40 for colour in screen_colours(app.export_screenshot()))


async def test_state_is_in_symbols_and_words_not_only_colour(sandbox_app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await _edited_email(pilot)
        tree_labels = [str(node.label) for node in app.screen.tree.root.children]
        assert tree_labels and all("●" in label or "○" in label for label in tree_labels), tree_labels
        key = app.screen.current_key
        assert app.workspace.is_dirty(key)
        # The unsaved variant is marked with a character, not only a colour.
        assert "*" in str(app.screen.tree.variant_node(key).label)
        assert "unsaved" in app.sub_title
        variant_label = str(app.screen.tree.variant_node(key).label)
        assert "●" in variant_label or "○" in variant_label
        # The form's status says it in words too.
        status = app.screen.query_one("#field-status SelectCurrent")
        assert str(status.label) in ("● Active", "○ Paused")


def _plain(renderable) -> str:
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


async def test_findings_carry_their_severity_letter_and_heading(sandbox_app, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import OptionList

    from tui.widgets.findings_panel import FindingsPanel

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        await pilot.press("end", "ctrl+u")  # an empty subject is an error
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        options = app.screen.query_one(FindingsPanel).query_one(OptionList)
        rows = [_plain(options.get_option_at_index(index).prompt).strip() for index in range(options.option_count)]
        headings = [row for row in rows if row.split(" (")[0] in ("Errors", "Warnings", "Advice")]
        findings = [row for row in rows if row not in headings]
        assert headings and headings[0].startswith("Errors (")
        assert findings and all(row[:1] in ("E", "W", "I") and row[1:2] == " " for row in findings), findings
        assert findings[0].startswith("E ")
        # Every badge stays readable with the list's cursor on it or not: under NO_COLOR a
        # selected warning's W was grey on the cursor's grey (issue 13).
        enabled = [index for index in range(options.option_count) if not options.get_option_at_index(index).disabled]
        assert len(enabled) >= 2
        for index in enabled:
            options.highlighted = index
            await settle(pilot)
            badges = _badge_contrasts(app)
            assert len(badges) >= 2, badges
            assert min(ratio for _row, ratio in badges) >= 3.0, (index, badges)


def _badge_contrasts(app) -> list[tuple[int, float]]:
    """(row, contrast of letter and box) of each severity badge on screen."""
    from tui.config.themes import contrast_ratio

    found = []
    for row, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            if segment.text.strip() in ("E", "W", "I") and len(segment.text) == 3 and segment.style is not None:
                style = segment.style
                colours = [c.get_truecolor().hex for c in (style.color, style.bgcolor)]
                found.append((row, contrast_ratio(*colours)))
    return found
