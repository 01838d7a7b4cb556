"""A 16-colour terminal: under the seqedit-ansi theme every colour on screen is one of the
terminal's own ANSI colours (or its default), so the user's palette decides legibility and
nothing is approximated from 24-bit colour."""

from __future__ import annotations

import pytest
from rich.color import ColorType
from test_app_support import make_app, open_variant, settle

from tui.api.channels import Channel


def _colours(app) -> set:
    colours = set()
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            style = segment.style
            if style is None:
                continue
            colours.update(colour for colour in (style.color, style.bgcolor) if colour is not None)
    return colours


def _non_ansi(colours: set) -> list[str]:
    return sorted(str(colour) for colour in colours if colour.type not in (ColorType.DEFAULT, ColorType.STANDARD))


async def _walk(pilot) -> set:
    await settle(pilot)
    colours = _colours(pilot.app)
    await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
    await settle(pilot)
    colours |= _colours(pilot.app)
    await pilot.press("escape", "f")
    await settle(pilot)
    return colours | _colours(pilot.app)


async def test_ansi_theme_uses_only_the_terminals_16_colours(sandbox_app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEQEDIT_THEME", "seqedit-ansi")
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        colours = await _walk(pilot)
        assert app.theme == "seqedit-ansi"
        assert colours, "nothing coloured was found: the check would pass vacuously"
        assert _non_ansi(colours) == [], _non_ansi(colours)


async def test_a_truecolour_theme_is_caught_by_the_same_check(sandbox_app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEQEDIT_THEME", "seqedit-dark")
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        assert _non_ansi(await _walk(pilot))


# xterm's default 16 colours: what a 16-colour terminal shows for each ANSI number.
_XTERM = [
    "#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
    "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff",
]  # fmt: skip


def _on_sixteen(colour, default: str) -> str:
    """``colour`` as a 16-colour terminal shows it (Rich's downgrade, xterm's palette)."""
    from rich.color import ColorSystem

    if colour is None or colour.type is ColorType.DEFAULT:
        return default
    number = colour.downgrade(ColorSystem.STANDARD).number
    return _XTERM[number] if number is not None else colour.get_truecolor().hex


async def test_high_contrast_finding_badges_read_on_sixteen_colours(sandbox_app, monkeypatch) -> None:
    """Every severity badge, with the list's cursor on it or not, and every word on screen, as
    16 colours show them: the selected W was yellow on the cursor bar's yellow (issue 13)."""
    from textual.widgets import OptionList

    from tui.config.themes import contrast_ratio
    from tui.widgets.findings_panel import FindingsPanel

    monkeypatch.setenv("SEQEDIT_THEME", "seqedit-high-contrast")
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        await pilot.press("end", "ctrl+u", "escape", "f")  # an empty subject: an error too
        await settle(pilot)
        options = app.screen.query_one(FindingsPanel).query_one(OptionList)
        enabled = [index for index in range(options.option_count) if not options.get_option_at_index(index).disabled]
        assert len(enabled) >= 2
        for index in enabled:
            options.highlighted = index
            await settle(pilot)
            badges, words = [], []
            for strip in app.screen._compositor.render_strips():
                for segment in strip:
                    style = segment.style
                    if style is None or not any(char.isalnum() for char in segment.text):
                        continue
                    pair = (_on_sixteen(style.color, "#e5e5e5"), _on_sixteen(style.bgcolor, "#000000"))
                    seen = (segment.text, *pair, round(contrast_ratio(*pair), 2))
                    is_badge = segment.text.strip() in ("E", "W", "I") and len(segment.text) == 3
                    (badges if is_badge else words).append(seen)
            assert len(badges) >= 2, badges
            assert min(badge[-1] for badge in badges) >= 4.5, (index, badges)
            # The rest of the screen too: the selected finding's hint was dark yellow on yellow.
            assert [word for word in words if word[-1] < 4.5] == [], index
