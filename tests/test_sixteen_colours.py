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
