"""Issue 13 item 2: ``s`` and ``p`` act on the variant row they are on, never on the variant open
in the form from a sequence or step row; their toasts name sequence › step › variant."""

from __future__ import annotations

from test_app_support import make_app, open_variant, press_until, settle, tree

from tui.api.channels import Channel, Status

ACME = "Acme Robotics: Warehouse Managers"


def _notes(app) -> list[tuple[str, str]]:
    return [(str(note.title or ""), str(note.message)) for note in app._notifications]


async def test_s_and_p_on_sequence_and_step_rows_leave_the_open_variant_alone(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, ACME, Channel.CALL_DEMO)
        status, priority = app.workspace.edited(key).status, app.workspace.edited(key).priority
        await pilot.press("escape")
        await settle(pilot)
        # To another sequence's row: the form still holds Acme's call.
        await pilot.press("g")
        await settle(pilot)
        ref = tree(pilot).cursor_node.data
        assert ref.kind == "sequence" and ref.sequence_id != key.sequence_id
        app.clear_notifications()
        await pilot.press("s")
        await pilot.press("p")
        await settle(pilot)
        assert app.workspace.edited(key).status == status
        assert app.workspace.edited(key).priority == priority
        assert not app.workspace.is_dirty(key)
        notes = _notes(app)
        assert any("sets a variant active or paused, not a sequence" in text for _, text in notes), notes

        # A step row of Acme itself: nothing happens to its variants either.
        await press_until(pilot, lambda: tree(pilot).cursor_node.data.sequence_id == key.sequence_id)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("j")
        step_ref = tree(pilot).cursor_node.data
        assert step_ref.kind == "step"
        step = app.workspace.step(step_ref.sequence_id, step_ref.step_id)
        app.clear_notifications()
        await pilot.press("s")
        await settle(pilot)
        assert not app.workspace.is_dirty(key)
        place = f"Day {step.absoluteDays} {step.type.label}"
        assert any("not a step: move to" in text and place in text for _, text in _notes(app)), _notes(app)


async def test_s_on_a_variant_row_acts_on_it_and_the_toast_names_where_it_is(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        await pilot.press("escape")
        await pilot.press("j")  # variant B of the same step
        await settle(pilot)
        other = tree(pilot).cursor_node.data.key
        assert other is not None and other != key
        app.clear_notifications()
        await pilot.press("s")
        await settle(pilot)
        assert app.workspace.edited(other).status == Status.PAUSED
        assert not app.workspace.is_dirty(key)
        assert (f"{ACME} › Day 1 Email", "Variant B: paused (unsaved)") in _notes(app), _notes(app)
