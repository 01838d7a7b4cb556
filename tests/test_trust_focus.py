"""Issue 13 item 1: after every rebuild of the form, focus is on a widget that is on screen.

From a fresh demo at 80×24, changing a Day in the form and saving rebuilt the form twice (the
save's redraw, then the re-read steps of the moved Day): the field focused by the first rebuild
had been removed by the second, and no key reached anything, not even ctrl+q.
"""

from __future__ import annotations

from test_app_support import make_app, open_variant, settle

from tui.api.channels import Channel

ACME = "Acme Robotics: Warehouse Managers"


def _on_screen(app) -> bool:
    focused = app.screen.focused
    return focused is not None and focused.is_attached and focused.screen is app.screen


async def test_saving_a_day_changed_in_the_form_leaves_focus_on_screen_and_keys_work(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # The keys: first sequence, third step (Email, 2 variants), its first variant, to Day.
        for key in ["enter", "j", "j", "enter", "j", "enter", "tab", "tab", "tab", "tab", "backspace", "3"]:
            await pilot.press(key)
            await settle(pilot)
        assert app.screen.focused.id == "field-absoluteDays"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        assert _on_screen(app), app.screen.focused
        assert app.screen.focused.id == "field-absoluteDays"  # the field the person was in, rebuilt
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.tree.has_focus  # keys reach the screen again


def _field_ids(app) -> list[str]:
    return [w.id for w in app.screen.form.query("*") if w.focusable and w.id]


async def _rebuild_twice_from_each_field(pilot) -> list[str]:
    app = pilot.app
    screen = app.screen
    ids = _field_ids(app)
    assert ids
    for field_id in ids:
        screen.set_focus(screen.form.query_one(f"#{field_id}"))
        await settle(pilot)
        # Two rebuilds back to back, as a save's redraw and a reload landing together.
        screen.call_later(screen._show_current)
        screen.call_later(screen._show_current)
        await settle(pilot)
        assert _on_screen(app), (field_id, screen.focused)
        assert screen.focused.id == field_id
    return ids


async def test_every_field_of_an_email_keeps_focus_through_rebuilds(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, ACME, Channel.EMAIL)
        ids = await _rebuild_twice_from_each_field(pilot)
        assert {"field-subject", "field-content", "field-status", "field-absoluteDays", "attach-path"} <= set(ids)


async def test_every_field_of_a_call_task_keeps_focus_through_rebuilds(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, ACME, Channel.CALL_DEMO)
        ids = await _rebuild_twice_from_each_field(pilot)
        assert {"field-taskNote", "field-priority", "field-assigneeId"} <= set(ids)


async def test_focus_left_on_a_removed_widget_is_moved_before_the_next_key(sandbox_app) -> None:
    """The net under any rebuild that does not put focus back itself."""
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, ACME, Channel.EMAIL)
        screen = app.screen
        old = screen.form.query_one("#field-subject")
        await screen.form.show(
            screen.current_key,
            app.workspace.edited(screen.current_key),
            step=None,
            letter="A",
            assignees=[],
        )
        screen.focused = old  # as the deferred focus of an earlier rebuild left it
        assert not old.is_attached
        before = screen.form.query_one("#field-subject").value
        await pilot.press("x")
        await settle(pilot)
        assert _on_screen(app)
        assert screen.focused.id == "field-subject"
        assert screen.focused.value.count("x") == before.count("x") + 1  # the key was typed, not lost
