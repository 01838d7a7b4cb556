"""The key bar shows whole keys only: those that do not fit are hidden, from the right, and return."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from tui.widgets.key_footer import PALETTE_CLASS, KeyFooter, key_width

DESCRIPTIONS = ["Save", "Status", "Priority", "Filter", "Reload", "Edit", "Tree", "Spintax", "Prospect"]


class FooterApp(App):
    BINDINGS = [
        Binding(f"f{index + 2}", f"noop({index})", text, id=f"key-{index}") for index, text in enumerate(DESCRIPTIONS)
    ]
    BINDINGS.append(Binding("f1", "help", "Help", id="help"))

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield KeyFooter()

    def action_noop(self, index: int) -> None:
        pass

    def action_help(self) -> None:
        pass


def _keys(app: App) -> tuple[list, object]:
    footer = app.screen.query_one(KeyFooter)
    keys = [child for child in footer.children if not child.has_class(PALETTE_CLASS) and child.description != "Help"]
    palette = [child for child in footer.children if child.has_class(PALETTE_CLASS)]
    return keys, palette[0]


def _help(app: App):
    return next(child for child in app.screen.query_one(KeyFooter).children if child.description == "Help")


async def _settle(pilot) -> None:
    for _ in range(4):
        await pilot.pause()


async def test_keys_that_do_not_fit_are_hidden_whole_and_come_back() -> None:
    app = FooterApp()
    async with app.run_test(size=(60, 10)) as pilot:
        await _settle(pilot)
        keys, palette = _keys(app)
        assert len(keys) == len(DESCRIPTIONS)
        shown = [key.display for key in keys]
        assert shown[0] and not shown[-1], shown
        # The shown ones come first, and each ends before the palette key begins (but for its
        # last cell, blank padding, which the palette key's border may cover).
        assert shown == sorted(shown, reverse=True)
        for key in keys:
            if key.display:
                assert key.region.right - 1 <= palette.region.x, (key.description, key.region, palette.region)
        # One more key would not have fitted whole.
        first_hidden = keys[shown.index(False)]
        used = sum(key.outer_size.width for key in [*keys, _help(app)] if key.display)
        assert used + key_width(first_hidden) - 1 > palette.region.x
        # The widths the fitting counts are the widths Textual lays the keys out at.
        assert all(key_width(key) == key.outer_size.width for key in [*keys, palette] if key.display)

        await pilot.resize_terminal(200, 10)
        await _settle(pilot)
        keys, palette = _keys(app)
        assert all(key.display for key in keys)

        await pilot.resize_terminal(40, 10)
        await _settle(pilot)
        keys, palette = _keys(app)
        narrow = [key.display for key in keys]
        assert 0 < narrow.count(True) < shown.count(True)
        assert all(key.region.right - 1 <= palette.region.x for key in [*keys, _help(app)] if key.display)
        # The help key, last of all, is never the one dropped.
        assert _help(app).display and _help(app).region.x > max(key.region.x for key in keys if key.display)


async def test_seqedit_at_80_columns_shows_whole_keys_and_help(sandbox_app) -> None:
    from test_app_support import make_app, settle

    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        palette = next(child for child in footer.children if child.has_class(PALETTE_CLASS))
        shown = [child for child in footer.children if child.display and child is not palette]
        assert [key.description for key in shown][:2] == ["Save", "Status"]
        assert "Help" in [key.description for key in shown]
        assert any(not child.display for child in footer.children)
        assert all(key.region.right - 1 <= palette.region.x for key in shown)
