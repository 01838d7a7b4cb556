"""Newcomer QA at 80×24: clearing a filter keeps what was open, and the cursor on what was found."""

from __future__ import annotations

from test_app_support import make_app, open_variant, settle, tree, type_text

from tui.api.channels import Channel


async def test_clearing_the_filter_keeps_open_nodes_and_the_cursor(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Founders intro", Channel.EMAIL)
        await pilot.press("escape")
        await settle(pilot)
        assert tree(pilot).cursor_node.data.key == key
        await pilot.press("slash")
        await type_text(pilot, "acme")
        await settle(pilot)
        titles = [str(node.label) for node in tree(pilot).root.children]
        assert titles and all("Acme" in title for title in titles)
        found = tree(pilot).cursor_node.data.sequence_id
        await pilot.press("escape")  # closes the filter: every sequence again
        await settle(pilot)
        sequence = tree(pilot).sequence_node(key.sequence_id)
        step = tree(pilot).step_node(key.sequence_id, key.step_id)
        assert sequence is not None and sequence.is_expanded
        assert step is not None and step.is_expanded
        # The cursor stays on what the filter found, now among every sequence again.
        assert tree(pilot).cursor_node.data.sequence_id == found
        assert next(n for n in tree(pilot).root.children if n.data.sequence_id == found) is tree(pilot).cursor_node


async def test_a_sequence_folded_by_hand_stays_folded_after_the_filter(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Founders intro", Channel.EMAIL)
        await pilot.press("escape", "h", "h", "h")  # variant → step → fold step → sequence
        await settle(pilot)
        await pilot.press("h")  # fold the sequence
        await settle(pilot)
        assert not tree(pilot).sequence_node(key.sequence_id).is_expanded
        await pilot.press("slash")
        await type_text(pilot, "acme")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not tree(pilot).sequence_node(key.sequence_id).is_expanded
