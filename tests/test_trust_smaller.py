"""Issue 13 item 17, the smaller ones: tree labels end in an ellipsis where the pane cuts them;
'The Custom task has no note'; `seqedit lint --bogus` answers with lint's usage."""

from __future__ import annotations

import pytest
from test_app_snapshots import screen_text
from test_app_support import make_app, settle, tree

from tests.test_validation_support import ctx, variant
from tui.api.channels import Channel
from tui.cli import main
from tui.validation import validate


async def test_tree_labels_cut_by_the_pane_end_in_an_ellipsis(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen.query_one("#tree-pane").region
        titles = [
            app.workspace.sequence(node.data.sequence_id).title
            for node in tree(pilot).root.children
            if node.data is not None and node.data.kind == "sequence"
        ]
        long = [title for title in titles if len(title) + 4 > pane.width - 1]
        assert long, (titles, pane.width)
        rows = [line[: pane.width] for line in screen_text(app).splitlines()]
        for title in long:
            row = next(row for row in rows if title[:12] in row)
            assert row.rstrip("▕ ").endswith("…"), row


def test_the_custom_task_finding_says_task_once() -> None:
    found = [
        f for f in validate(variant(Channel.CUSTOM, taskNote=""), ctx(Channel.CUSTOM)) if f.rule_id == "task.empty-note"
    ]
    assert found and found[0].message.startswith("The Custom task has no note;"), found
    call = [
        f
        for f in validate(variant(Channel.CALL_DEMO, taskNote=""), ctx(Channel.CALL_DEMO))
        if f.rule_id == "task.empty-note"
    ]
    assert call and call[0].message.startswith("The Call: demo task has no note;")


def test_an_unknown_option_of_lint_shows_lints_usage(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["lint", "--bogus"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: seqedit lint") and "seqedit lint: error: unrecognized arguments: --bogus" in err


async def test_a_calls_connection_note_says_it_is_kept_as_the_server_sent_it(sandbox_app) -> None:
    from test_app_support import open_variant

    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, "Re-engage closed-lost (Q2)", Channel.CALL_OTHER)
        field = app.screen.query_one("#field-connectionNote")
        assert field.border_title == "Connection note · kept as the server sent it"
