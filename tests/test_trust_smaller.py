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


def test_the_diff_names_attachments_by_file() -> None:
    from tui.api.models import Attachment, Variant
    from tui.drafts import FieldChange
    from tui.screens.diff_text import attachment_names, change_lines

    before = Variant(
        id="v", type="Email", payload={}, attachmentIds=["a1"], attachments=[Attachment(id="a1", name="deck.pdf")]
    )
    after = Variant(
        id="v",
        type="Email",
        payload={},
        attachmentIds=["a1", "a2"],
        attachments=[Attachment(id="a1", name="deck.pdf"), Attachment(id="a2", name="case-study.pdf")],
    )
    lines = change_lines([FieldChange("attachmentIds", ["a1"], ["a1", "a2"])], attachment_names(before, after))
    text = "\n".join(line.plain for line in lines)
    assert "- deck.pdf (a1)" in text and "+ deck.pdf (a1), case-study.pdf (a2)" in text


async def test_a_failed_reload_keeps_the_loaded_variants_and_says_so(sandbox_app) -> None:
    from test_app_support import open_variant
    from test_drafts_app_support import add_faults

    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        await pilot.press("escape")
        await settle(pilot)
        assert tree(pilot).cursor_node.data.key == key
        await add_faults(sandbox_app, [{"status": 500}] * 6, method="GET")
        app.clear_notifications()
        await pilot.press("r")  # re-read this step's variants: the server fails
        await settle(pilot)
        assert tree(pilot).variant_node(key) is not None  # still in the tree, not an error node
        assert app.screen.form.key == key
        notes = [(str(n.title), str(n.message)) for n in app._notifications]
        assert any(title.startswith("Reload failed: Acme Robotics") for title, _ in notes), notes


@pytest.mark.parametrize("reset", [False, True])
async def test_the_demo_says_its_data_is_kept_or_rebuilt(reset: bool) -> None:
    from argparse import Namespace

    from tui.app import SeqEditApp
    from tui.session.connect import resolve_account

    account = resolve_account(Namespace(demo=True, demo_reset=reset, base_url=None, profile=None))
    app = SeqEditApp(account, reset_demo=reset)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            await settle(pilot)
            if app.client is not None:
                break
        notes = [str(note.message) for note in app._notifications]
        expected = "Demo data rebuilt from scratch in " if reset else "Demo data is kept between runs in "
        assert any(note.startswith(expected) for note in notes), notes
        assert app.sub_title.startswith("demo sandbox (rebuilt)" if reset else "demo sandbox (saves kept)")


async def test_a_refused_key_is_said_once(sandbox_app) -> None:
    """...and drafts restored under a refused key count in the title and are said at once (not
    after the 8 s fallback: their sequences cannot load)."""
    import httpx
    from test_app_support import BASE_URL, client_for
    from test_drafts_app_support import store

    from tui.api.client import SaleshandyClient
    from tui.app import SeqEditApp
    from tui.drafts import DraftKey, account_label

    # A draft left by an earlier session of this account (its window is gone).
    client = client_for(sandbox_app)
    sequence = (await client.list_sequences()).items[0]
    step = (await client.list_steps(sequence.id)).items[0]
    variant = step.variants[0]
    edited = variant.model_copy(update={"payload": {**variant.payload, "subject": "changed"}})
    with store() as drafts:
        key = DraftKey(account_label(base_url=BASE_URL), sequence.id, step.id, variant.id)
        drafts.save_draft(key, base=variant, edited=edited)

    class Account:
        demo = False
        profile = None
        base_url = BASE_URL

    app = SeqEditApp(
        Account(),
        client_factory=lambda: SaleshandyClient(
            "wrong-key", BASE_URL, transport=httpx.ASGITransport(app=sandbox_app), max_retries=0
        ),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(4):
            await settle(pilot)
        refused = [str(note.message) for note in app._notifications if "API key was refused" in str(note.message)]
        assert len(refused) == 1, refused
        assert "* 1 unsaved" in app.sub_title, app.sub_title
        back = [str(note.message) for note in app._notifications if str(note.title) == "Drafts"]
        assert back and back[0].startswith("1 unsaved draft(s) from an earlier session are back (1 not compared"), back
        assert "could not be read" in back[0] and "Press D" in back[0]
