"""The start of the editor (issue 7): the listing is asked for as soon as there is a client.

The app starts the main screen's unfiltered listing the moment it has a client, before the
screen has handled ClientReady; the handler must not ask a second time.
"""

from __future__ import annotations

from test_app_support import make_app, settle, tree


async def test_the_first_listing_is_asked_for_once_and_fills_the_tree(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        counts = sandbox_app.state.requests.snapshot()
        assert counts.get("GET /v1/sequences") == 1, counts
        titles = {sequence.title for sequence in app.workspace.sequences}
        shown = [node.data.sequence_id for node in tree(pilot).root.children]
        assert titles and len(shown) == len(titles)


async def test_the_tabs_come_after_the_first_sequences_and_hold_the_form(sandbox_app) -> None:
    from textual.widgets import TabbedContent

    from tui.widgets.variant_form import VariantForm

    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert not screen.query("#right-pending")
        tabs = screen.query_one("#right", TabbedContent)
        assert screen.query_one(VariantForm) is screen.form
        assert screen.form in tabs.query(VariantForm)
        # The assignees, fields and samples are asked for once the tabs are up.
        counts = sandbox_app.state.requests.snapshot()
        assert counts.get("GET /v1/sequences") == 1, counts
        assert any(key.startswith("GET /v1/fields") or key.startswith("GET /v1/prospect") for key in counts), counts


async def test_the_tabs_do_not_wait_for_a_slow_first_page(sandbox_app) -> None:
    from test_drafts_app_support import add_faults

    # The page is held far longer than the tabs may take on a loaded machine: the test proves
    # the order (tabs before the page), not a speed.
    await add_faults(sandbox_app, [{"delayMs": 30000}], method="GET", path="/v1/sequences")
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(500):
            await pilot.pause(0.02)
            if app.screen.query("#right"):
                break
        assert app.screen.query("#right"), "the tabs waited for the first page"
        assert not [node for node in tree(pilot).root.children if getattr(node.data, "kind", None) == "sequence"]
        app.exit()


async def test_a_key_for_the_tabs_pressed_at_the_first_instant_is_not_lost(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v")  # the preview tab: needs the tabs, which may not be there yet
        await settle(pilot)
        messages = [str(note.message) for note in app._notifications]
        assert "Choose a variant first (enter in the tree)." in messages
        assert app.screen.query("#right")


async def test_the_garbage_collector_paused_for_the_start_comes_back(sandbox_app) -> None:
    import gc

    app = make_app(sandbox_app)
    frozen = gc.get_freeze_count()
    gc.disable()  # as tui.cli does before starting the app
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert gc.isenabled()
            assert gc.get_freeze_count() > frozen
    finally:
        gc.enable()
        gc.unfreeze()


async def test_the_main_screen_keeps_its_class_and_holds_its_parts(sandbox_app) -> None:
    # It took on the tabs' behaviour by switching its class after the first frame; its parts are
    # now objects it holds (issue 14 item 4), made once each, each knowing its screen.
    from tui.screens.ab_testing import AbTesting
    from tui.screens.live_checks import LiveChecks
    from tui.screens.main_screen import MainScreen
    from tui.screens.safe_save import SaveSide

    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert type(screen) is MainScreen
        parts = [(screen.saving, SaveSide), (screen.live_checks, LiveChecks), (screen.ab_testing, AbTesting)]
        for part, kind in parts:
            assert isinstance(part, kind) and part.screen is screen
        assert screen.saving is screen.saving and screen.live_checks is screen.live_checks


async def test_the_first_frame_with_sequences_has_the_keys_in_the_footer(sandbox_app) -> None:
    from tui.widgets.key_footer import KeyFooter

    app = make_app(sandbox_app)
    frames: list[tuple[bool, int]] = []
    display = app._display

    def recording(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is not None and not app._batch_count:
            footers = screen.query(KeyFooter)
            keys = len(footers.first().children) if footers else 0
            frames.append((app._tree_shows_sequences(screen), keys))

    app._display = recording  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
    first = next(keys for shows, keys in frames if shows)
    assert first > 0, frames
