"""Issue 15 in the app at 80×24 against the sandbox: add a variant, duplicate one, the one-active
rule on a LinkedIn step, and a new variant that survives a crash (a real process, SIGKILLed)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from test_app_support import make_app, open_variant, press_until, settle, tree, type_text
from test_drafts_app_support import notes, screen_text, store

from tui.api.channels import Channel
from tui.screens.review_screen import ReviewScreen
from tui.session.new_variants import is_new

SIZE = (80, 24)


def _steps(sandbox_app: Any, title: str) -> tuple[str, list[dict[str, Any]]]:
    store_ = sandbox_app.state.store
    sequence = next(sid for sid, t in store_.sequence_ids() if t == title)
    return sequence, store_.steps_of(sequence)


def _label(pilot: Any, key: Any) -> str:
    node = tree(pilot).variant_node(key)
    assert node is not None, key
    return node.label.plain


async def _review(pilot: Any) -> ReviewScreen:
    await pilot.press("ctrl+s")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen), screen
    return screen


async def test_add_b_edit_review_the_exact_post_and_see_it_in_tree_and_server(sandbox_app) -> None:
    title = "Hiring managers: Engineering"
    sequence, steps = _steps(sandbox_app, title)
    email = steps[0]
    assert len(email["variants"]) == 1
    app = make_app(sandbox_app)
    async with app.run_test(size=SIZE) as pilot:
        await open_variant(pilot, title, Channel.EMAIL)
        await pilot.press("escape")  # to the tree, on variant A
        await pilot.press("a")
        await settle(pilot)
        key = app.screen.current_key
        assert key is not None and is_new(key)
        assert _label(pilot, key).startswith("+ B")
        await type_text(pilot, "Shorter B")
        app.screen.query_one("#field-content").focus()
        await type_text(pilot, "<p>Hi {{First Name}}, one line.</p>")
        await settle(pilot)
        review = await _review(pilot)
        assert review.body == {
            "type": "Email",
            "payload": {"subject": "Shorter B", "content": "<p>Hi {{First Name}}, one line.</p>"},
        }
        assert "POST" in review.query_one("#review-verdict").render().plain  # type: ignore[union-attr]
        # Its list of changes is of what the POST sends: no empty preheader (it is not sent).
        assert review.after.payload == review.body["payload"]
        await pilot.press("enter")
        await settle(pilot)
        after = sandbox_app.state.store.variants_of(sequence, email["id"])
        assert [v["payload"]["subject"] for v in after][1] == "Shorter B"
        real = app.screen.current_key
        assert real is not None and not is_new(real) and real.variant_id == after[1]["id"]
        assert app.workspace.new_keys() == []
        assert _label(pilot, real).startswith("B")
        assert not app.workspace.dirty_keys()
        await settle(pilot)
        assert _cursor_key(pilot) == real  # the tree is on the server's B, its step open
        # a on a collapsed step: the new variant's row shows, and esc comes back to it, so u
        # throws it away (before: the cursor stayed on the step, or on A, and u said "No edits
        # to undo." of A; a collapsed step hid the new row).
        last = steps[2]
        await pilot.press("escape")  # from the form, to the tree
        await press_until(pilot, lambda: _cursor_step(pilot) == last["id"])
        assert not tree(pilot).cursor_node.is_expanded
        await pilot.press("a")
        await settle(pilot)
        (fresh,) = app.workspace.new_keys()
        await pilot.press("escape")
        await settle(pilot)
        assert _cursor_key(pilot) == fresh
        await pilot.press("u")
        await settle(pilot)
        assert "Throw away the new variant B" in screen_text(app)
        assert "y  Throw it away    n / esc  Keep it" in screen_text(app)  # one variant: not "Keep them"
        await pilot.press("y")
        await settle(pilot)
        assert app.workspace.new_keys() == []
    assert store().drafts() == []


def _cursor_key(pilot: Any) -> Any:
    node = tree(pilot).cursor_node
    return node.data.key if node is not None and node.data is not None and node.data.kind == "variant" else None


def _cursor_step(pilot: Any) -> str | None:
    node = tree(pilot).cursor_node
    return node.data.step_id if node is not None and node.data is not None and node.data.kind == "step" else None


async def test_duplicate_copies_the_content_into_a_new_variant(sandbox_app) -> None:
    title = "Q4 Outbound: Heads of RevOps"
    sequence, steps = _steps(sandbox_app, title)
    source = steps[0]["variants"][1]  # B
    app = make_app(sandbox_app)
    async with app.run_test(size=SIZE) as pilot:
        await open_variant(pilot, title, Channel.EMAIL, letter_index=1)
        await pilot.press("escape")
        await pilot.press("A")
        await settle(pilot)
        key = app.screen.current_key
        assert key is not None and is_new(key)
        assert app.workspace.letter(key) == "D"
        assert app.workspace.edited(key).payload == source["payload"]
        review = await _review(pilot)
        sent = review.body
        assert sent["type"] == "Email"
        assert sent["payload"] == {k: v for k, v in source["payload"].items() if v}
        assert ("attachmentIds" in sent) == bool(source["attachmentIds"])
        await pilot.press("enter")
        await settle(pilot)
    after = sandbox_app.state.store.variants_of(sequence, steps[0]["id"])
    assert len(after) == 4 and after[3]["payload"]["subject"] == source["payload"]["subject"]


async def test_a_linkedin_step_gets_a_paused_variant_or_pauses_the_other_in_the_same_save(sandbox_app) -> None:
    from tui.screens.confirm_screen import ConfirmScreen

    title = "Q4 Outbound: Heads of RevOps"
    sequence, steps = _steps(sandbox_app, title)
    step = next(s for s in steps if s["type"] == "LinkedInConnectionRequest")
    assert [v["status"] for v in step["variants"]] == [1]
    app = make_app(sandbox_app)
    async with app.run_test(size=SIZE) as pilot:
        await open_variant(pilot, title, Channel.LINKEDIN_CONNECTION_REQUEST)
        await pilot.press("escape")
        await pilot.press("a")
        await settle(pilot)
        key = app.screen.current_key
        assert key is not None and is_new(key)
        assert app.workspace.edited(key).status == 0
        assert any("holds one active variant" in note for note in notes(app))
        await type_text(pilot, "Hi, a second note")
        await settle(pilot)
        review = await _review(pilot)  # paused: no question, the POST says so
        assert review.body["status"] == 0 and review.refusal is None
        await pilot.press("escape")
        # Switched on beside the active A: asked first; "no" adds it paused after all.
        app.workspace.toggle_status(key)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.screen.body["status"] == 0
        await pilot.press("escape")
        # "yes" pauses A in the same save: the review says so, and A is paused before the POST.
        app.workspace.toggle_status(key)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert "status" not in review.body and review.refusal is None
        assert any('{"status": 0} pauses variant A' in note for note in review.notes)
        await pilot.press("enter")
        await settle(pilot)
    after = sandbox_app.state.store.variants_of(sequence, step["id"])
    assert [(v["status"], v["payload"]["connectionNote"]) for v in after][1] == (1, "Hi, a second note")
    assert after[0]["status"] == 0


_CRASHING_WINDOW = textwrap.dedent(
    """
    import asyncio, sys
    sys.path.insert(0, sys.argv[2])
    from test_app_support import make_app, open_variant, settle, type_text
    from tui.api.channels import Channel
    from tui.sandbox.app import create_app

    async def main():
        app = make_app(create_app(sys.argv[1]))
        async with app.run_test(size=(80, 24)) as pilot:
            await open_variant(pilot, "Hiring managers: Engineering", Channel.EMAIL)
            await pilot.press("escape")
            await pilot.press("a")
            await settle(pilot)
            await type_text(pilot, "Unsaved B survives")
            await settle(pilot)
            app.drafts.flush()
            print("written", flush=True)
            await asyncio.sleep(600)  # killed here, the new variant never saved

    asyncio.run(main())
    """
)


async def test_an_unsaved_new_variant_is_back_after_a_crash(sandbox_app, sandbox_db: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _CRASHING_WINDOW, str(sandbox_db), str(Path(__file__).parent)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "written", child.stderr.read() if child.stderr else ""
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
    title = "Hiring managers: Engineering"
    sequence, steps = _steps(sandbox_app, title)
    assert len(steps[0]["variants"]) == 1  # nothing reached the server
    app = make_app(sandbox_app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Marked before its step is opened: the sequence's row and the title count it.
        node = tree(pilot).sequence_node(sequence)
        assert node is not None and node.label.plain.startswith("* ")
        assert "1 unsaved" in str(app.screen.sub_title) + str(app.sub_title) + str(app.title)
        await open_variant(pilot, title, Channel.EMAIL)
        (key,) = app.workspace.new_keys()
        assert app.workspace.edited(key).payload["subject"] == "Unsaved B survives"
        assert (key.sequence_id, key.step_id) == (sequence, steps[0]["id"])
        assert _label(pilot, key).startswith("+ B")


async def test_compare_a_and_b_then_one_key_picks_c(sandbox_app) -> None:
    from test_app_snapshots import screen_text

    from tui.screens.compare_screen import CompareScreen

    title = "Q4 Outbound: Heads of RevOps"
    _sequence, steps = _steps(sandbox_app, title)
    variants = steps[0]["variants"]
    app = make_app(sandbox_app)
    async with app.run_test(size=SIZE) as pilot:
        await open_variant(pilot, title, Channel.EMAIL)
        await pilot.press("escape")
        await pilot.press("C")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        comparison = screen.comparison
        assert (comparison.left.letter, comparison.right.letter) == ("A", "B")
        fields = {label: (a, b) for label, a, b in comparison.fields}
        assert fields["subject"] == (variants[0]["payload"]["subject"], variants[1]["payload"]["subject"])
        assert comparison.right.combinations > 1  # B's subject and body spin
        text = screen_text(app)
        assert "Compare A and B" in text and "words" in text and "spintax combination" in text
        await pilot.press("n")
        await settle(pilot)
        assert screen.comparison.right.letter == "C"
        assert "Compare A and C" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CompareScreen)


async def test_a_test_email_arrives_as_the_preview_shows_it_even_read_only(sandbox_app) -> None:
    from tui.screens.test_email_screen import TestEmailScreen
    from tui.widgets.preview_pane import PreviewPane

    title = "Q4 Outbound: Heads of RevOps"
    sequence, _ = _steps(sandbox_app, title)
    app = make_app(sandbox_app, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_variant(pilot, title, Channel.EMAIL, letter_index=1)  # B: spintax and tags
        await pilot.press("escape")
        await pilot.press("v")  # the Preview: first prospect, second combination
        await settle(pilot)
        await pilot.press("n", "x")
        await settle(pilot)
        pane = app.screen.query_one(PreviewPane)
        assert pane.prospect is not None and pane.spin == 1
        await pilot.press("escape")
        await pilot.press("T")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TestEmailScreen)
        assert screen.letter.prospect == pane.prospect.name
        assert (screen.letter.combination, screen.letter.subject) == (2, "A thought for Dana")
        await type_text(pilot, "not-an-address")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TestEmailScreen)  # refused, still asking
        assert sandbox_app.state.store.outbox() == []
        for _ in range(len("not-an-address")):
            await pilot.press("backspace")
        await type_text(pilot, "me@example.com")
        senders = screen.query_one("#test-email-senders")
        senders.highlighted = 1  # the sequence's second sender
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, TestEmailScreen)
        await pilot.press("T")  # the sender chosen last for this sequence comes first
        await settle(pilot)
        again = app.screen
        assert isinstance(again, TestEmailScreen)
        assert again.preferred == screen.accounts[1].id
        await pilot.press("escape")
        await settle(pilot)
    (sent,) = sandbox_app.state.store.outbox()
    assert sent["fromEmail"] == "sales@northpeak.example.com"
    assert sent["sequenceId"] == sequence and sent["to"] == ["me@example.com"]
    assert sent["subject"] == "A thought for Dana"
    assert "{{" not in sent["content"] and "Dana" in sent["content"]
    assert "{spin}" not in sent["content"]


async def test_a_sequence_without_senders_says_so(sandbox_app) -> None:
    title = "Partner programme: agencies"
    app = make_app(sandbox_app)
    async with app.run_test(size=SIZE) as pilot:
        await open_variant(pilot, title, Channel.EMAIL)
        await pilot.press("escape")
        await pilot.press("T")
        await settle(pilot)
        assert any("no sending account" in note for note in notes(app))
