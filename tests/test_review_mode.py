"""Review mode: every variant of a sequence in step order, status toggled and saved after a
confirm, each variant marked reviewed, and a summary; `seqedit review --sequence ID --demo`.

Driven by keys against the in-process sandbox (and, for the command, the demo sandbox that
``--demo`` opens under the test's private data directory).
"""

from __future__ import annotations

import pytest
from test_app_support import client_for, make_app, press_until, settle, tree

from tui.api.channels import Channel
from tui.cli import build_parser
from tui.screens.confirm_screen import ConfirmScreen
from tui.screens.main_screen import MainScreen
from tui.screens.review_mode import ReviewModeScreen
from tui.screens.review_summary import ReviewSummaryScreen
from tui.session.new_variants import is_new
from tui.validation import step_day
from tui.widgets.findings_panel import FindingsPanel
from tui.widgets.preview_pane import PreviewPane

Q4 = "Q4 Outbound: Heads of RevOps"


async def _expected_order(sandbox_app, sequence_id: str) -> list[tuple[str, str]]:
    """(step id, variant id) by day, then step number, then letter, read from the server."""
    listing = await client_for(sandbox_app).list_steps(sequence_id)
    steps = sorted(listing.items, key=lambda step: (step_day(step), step.number))
    return [(step.id, variant.id) for step in steps for variant in step.variants]


async def _review(pilot, title: str) -> ReviewModeScreen:
    """From the tree, put the cursor on the sequence and press R."""
    app = pilot.app
    await settle(pilot)
    await pilot.press("g")

    def on_sequence() -> bool:
        node = tree(pilot).cursor_node
        return (
            node is not None
            and node.data is not None
            and node.data.kind == "sequence"
            and app.workspace.sequence(node.data.sequence_id).title == title
        )

    await press_until(pilot, on_sequence)
    await pilot.press("R")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ReviewModeScreen)
    return screen


def _heading(screen: ReviewModeScreen) -> str:
    return str(screen.query_one("#review-heading").render())


async def test_review_mode_walks_every_variant_in_step_order_then_summarises(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _review(pilot, Q4)
        expected = await _expected_order(sandbox_app, screen.sequence_id)
        assert [(key.step_id, key.variant_id) for key in screen.keys] == expected
        assert len(expected) == 9  # 3 + 1 + 2 + 1 + 1 + 1 variants in the demo
        preview, panel = screen.query_one(PreviewPane), screen.query_one(FindingsPanel)
        visited = []
        for position, key in enumerate(screen.keys):
            assert screen.current == key and key in screen.reviewed
            assert preview.key == key and preview.view is not None
            assert panel.findings == app.checks.findings(key)
            assert f"{position + 1} of 9" in _heading(screen)
            visited.append(key)
            await pilot.press("j" if position % 2 else "right")
            await settle(pilot)
        summary_screen = app.screen
        assert isinstance(summary_screen, ReviewSummaryScreen)
        summary = summary_screen.summary
        assert summary.total == 9 and summary.not_reviewed == []
        assert summary.errors == []
        # The long connection note (day 4) is over the free-account limit: a warning.
        assert any(label.startswith("Day 4 · Step 4 · LinkedIn connection request · A") for label in summary.warnings)
        assert "9 of 9 variants reviewed" in str(summary_screen.query_one("#summary-text").render())

        await pilot.press("escape")  # back to the variants, still on the last one
        await settle(pilot)
        assert app.screen is screen and screen.current == visited[-1]
        await pilot.press("k", "left")
        await settle(pilot)
        assert screen.current == visited[-3]
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("q")  # leave review mode
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_status_is_toggled_after_a_confirm_and_saved_alone(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _review(pilot, Q4)
        await pilot.press("j")
        await settle(pilot)
        key = screen.current
        before = await client_for(sandbox_app).get_variant(*key)
        assert before.status == 1

        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert '"status": 0' in app.screen.question
        await pilot.press("n")  # cancelled: nothing changes
        await settle(pilot)
        assert (await client_for(sandbox_app).get_variant(*key)).status == 1

        await pilot.press("s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        after = await client_for(sandbox_app).get_variant(*key)
        assert after.status == 0
        assert after.payload == before.payload  # only the status was sent
        assert not app.workspace.is_dirty(key) and app.workspace.server_copy(key).status == 0
        assert "○ paused" in _heading(screen)

        await pilot.press("q")
        await settle(pilot)
        summary = app.screen.summary
        assert summary.paused == [label for label in summary.paused if "Day 1 · Step 1 · Email · B" in label]
        assert len(summary.paused) == 1
        # Leaving early: the rest are listed as not reviewed.
        assert len(summary.not_reviewed) == 9 - 2


async def test_the_summary_lists_a_variant_paused_on_the_server_whose_unsaved_edit_resumes_it(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _review(pilot, Q4)
        key = screen.current
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("y")  # paused and saved
        await settle(pilot)
        assert app.workspace.server_copy(key).status == 0
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("q")  # leave review mode
        await settle(pilot)
        app.workspace.edit(key, status=1)  # toggled back in the editor, not saved
        # And a new variant (a on the first step): not on the server, so not "paused on the server"
        # (its blank server copy has no status; the summary listed it as paused there).
        tree(pilot).focus()
        await pilot.press("g")
        await press_until(pilot, lambda: app.workspace.sequence(tree(pilot).cursor_node.data.sequence_id).title == Q4)
        await pilot.press("l")
        await settle(pilot)
        await press_until(pilot, lambda: tree(pilot).cursor_node.data.kind == "step")
        await pilot.press("a")
        await settle(pilot)
        added = app.screen.current_key
        assert is_new(added) and app.workspace.edited(added).active
        await pilot.press("escape")
        screen = await _review(pilot, Q4)
        assert added in screen.keys
        await pilot.press("q")
        await settle(pilot)
        summary = app.screen.summary
        paused = summary.paused
        assert len(paused) == 1 and paused[0].endswith("(paused on the server; your unsaved edit resumes it)"), paused
        assert len(summary.unsaved) == 2


async def test_a_variant_with_unsaved_edits_is_not_toggled_here(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _review(pilot, Q4)
        key = screen.current
        app.workspace.edit_payload(key, "subject", "Changed in the editor")
        await pilot.press("s")
        await settle(pilot)
        assert app.screen is screen  # no confirm: the edits would have gone with the status
        assert any("unsaved edits" in str(note.message) for note in app._notifications)
        assert (await client_for(sandbox_app).get_variant(*key)).status == 1


async def test_e_leaves_review_mode_with_the_variant_open(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _review(pilot, Q4)
        await pilot.press("j", "j", "j")
        await settle(pilot)
        key = screen.current
        assert app.workspace.channel(key) is Channel.LINKEDIN_VIEW_PROFILE
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.screen.current_key == key
        # On the Edit tab, with the keys in the form (issue 13: it landed on Preview, keys in the tree).
        from textual.widgets import TabbedContent

        assert app.screen.query_one(TabbedContent).active == "tab-edit"
        assert app.screen.focused is not None and app.screen.form in app.screen.focused.ancestors
        # Again, with that variant already open: the tree's focus (the cursor moved to the row)
        # landed after the form's, and the keys were in the tree.
        await pilot.press("escape", "R")
        await settle(pilot)
        assert isinstance(app.screen, ReviewModeScreen)
        await pilot.press("j", "j", "j")
        await settle(pilot)
        assert app.screen.current == key
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.screen.current_key == key
        assert app.screen.focused is not None and app.screen.form in app.screen.focused.ancestors


def _review_args(sequence_id: str):
    return build_parser().parse_args(["review", "--sequence", sequence_id, "--demo"])


async def test_seqedit_review_demo_opens_straight_into_review_mode() -> None:
    from tui.commands.review import build_app
    from tui.session.connect import open_client, resolve_account

    args = _review_args("placeholder")
    async with open_client(resolve_account(args)) as client:  # the demo sandbox the app will open
        sequences = await client.list_sequences()
    sequence = next(s for s in sequences.items if s.title == Q4)
    app = build_app(_review_args(sequence.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewModeScreen) and screen.sequence_id == sequence.id
        assert len(screen.keys) == 9 and screen.current == screen.keys[0]
        assert "Q4 Outbound" in _heading(screen) and "1 of 9" in _heading(screen)
        await pilot.press("q", "q")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_seqedit_review_with_an_unknown_sequence_says_so() -> None:
    from tui.commands.review import build_app

    app = build_app(_review_args("no-such-sequence"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewModeScreen) and screen.keys == []
        assert "could not load the sequence" in _heading(screen)
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


def test_seqedit_review_needs_a_sequence(capsys) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["review", "--demo"])
    assert "--sequence" in capsys.readouterr().err


def test_seqedit_review_honours_read_only_from_the_config(monkeypatch) -> None:
    from tui.commands.review import build_app

    monkeypatch.setenv("SALESHANDY_API_KEY", "review-read-only-key")
    monkeypatch.setenv("SEQEDIT_READ_ONLY", "1")
    args = build_parser().parse_args(["review", "--sequence", "s1", "--base-url", "http://127.0.0.1:9"])
    app = build_app(args)
    assert app.read_only is True and app.review_sequence == "s1"
