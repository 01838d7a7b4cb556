"""Issue 13 item 1: after every rebuild of the form, focus is on a widget that is on screen.

From a fresh demo at 80×24, changing a Day in the form and saving rebuilt the form twice (the
save's redraw, then the re-read steps of the moved Day): the field focused by the first rebuild
had been removed by the second, and no key reached anything, not even ctrl+q.
"""

from __future__ import annotations

from test_app_support import make_app, open_variant, press_until, settle

from tui.api.channels import Channel

ACME = "Acme Robotics: Warehouse Managers"


def _on_screen(app) -> bool:
    focused = app.screen.focused
    return focused is not None and focused.is_attached and focused.screen is app.screen


async def test_saving_a_day_changed_in_the_form_leaves_focus_on_screen_and_keys_work(flavored_app) -> None:
    app = make_app(flavored_app)  # both flavors: the vendor's PATCH answer names the day too
    async with app.run_test(size=(80, 24)) as pilot:
        # The journey: a variant of a step with several, tab to the Day, change it, save.
        await open_variant(pilot, "Q4 Outbound: Heads of RevOps", Channel.EMAIL, step_index=1)
        await press_until(pilot, lambda: app.screen.focused.id == "field-absoluteDays", key="tab", limit=12)
        for key in ["backspace", "5"]:
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
        # The "Saved" notice names the step where it is now, not where it was.
        saved = [note for note in app._notifications if str(note.message).startswith("Saved variant")]
        assert saved and "Day 5 Email" in str(saved[-1].title), [(n.title, n.message) for n in saved]
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
        screen.call_later(screen.editing.show_current)
        screen.call_later(screen.editing.show_current)
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


async def test_enter_on_a_variant_leaves_the_keys_to_the_tree(sandbox_app) -> None:
    """Issue 13 item 12: a j after enter moves in the tree; it is not typed into Subject."""
    from test_app_support import press_until, tree
    from textual.widgets import Tabs

    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await press_until(
            pilot,
            lambda: (
                tree(pilot).cursor_node.data.sequence_id is not None
                and app.workspace.sequence(tree(pilot).cursor_node.data.sequence_id).title == ACME
            ),
        )
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("j", "l", "j")
        await settle(pilot)
        ref = tree(pilot).cursor_node.data
        assert ref.kind == "variant"
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert screen.current_key == ref.key and screen.tree.has_focus
        subject = screen.form.query_one("#field-subject")
        before = subject.value
        assert "enter or e to edit" in str(screen.form.query_one("#form-hint").render())
        await pilot.press("j")
        await settle(pilot)
        assert subject.value == before and tree(pilot).cursor_node.data != ref
        await pilot.press("k", "enter")  # back on the open variant: enter goes into the form
        await settle(pilot)
        assert screen.focused is subject

        # ctrl+b from the tree hides it and gives focus to the tabs, not to a field.
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert isinstance(screen.focused, Tabs)
        await pilot.press("j")
        await settle(pilot)
        assert subject.value == before
