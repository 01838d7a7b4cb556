"""NO_COLOR: Textual drops colour itself; seqedit must stay usable, with meaning never in colour alone.

The screen is exported as SVG (what the terminal would show) and its colours are read back: with
NO_COLOR every text and background colour is a grey; without it the same screen has colour,
which shows the check can fail.
"""

from __future__ import annotations

import re

import pytest
from textual.widgets import Input

from test_app_support import make_app, open_variant, settle, type_text
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
