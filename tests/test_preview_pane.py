"""The Preview tab: sample prospects, fallbacks, spintax, views, other channels, live updates.

Driven by keys against the in-process sandbox; the pane renders in a thread worker, which
``settle`` waits for. ``compose_preview`` (what the worker runs) is also checked on its own.
"""

from __future__ import annotations

from test_app_support import make_app, open_variant, settle, type_text
from textual.widgets import Input, TextArea

from tui.api.channels import Channel
from tui.api.models import Prospect, Variant
from tui.session.live_refresh import DEBOUNCE, MIN_INTERVAL, THREAD_ABOVE
from tui.widgets import messages as m
from tui.widgets.preview_pane import PreviewPane, compose_preview, view_strips

Q4 = "Q4 Outbound: Heads of RevOps"


def _flat(pane: PreviewPane) -> str:
    """The preview's text with wrapping undone (the pane's width decides where lines break)."""
    return " ".join(pane.view.plain.split())


def _pane(app) -> PreviewPane:
    return app.screen.query_one("#preview", PreviewPane)


async def _open_preview(pilot, title: str, channel: Channel, letter_index: int = 0):
    key = await open_variant(pilot, title, channel, letter_index=letter_index)
    await pilot.press("escape", "v")
    await settle(pilot)
    pane = _pane(pilot.app)
    assert pane.has_focus and pane.view is not None
    return key, pane


async def _keys(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def test_prospects_fill_tags_and_fallbacks_are_marked(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(110, 40)) as pilot:
        _key, pane = await _open_preview(pilot, Q4, Channel.EMAIL)
        # No prospect: the tags are shown as written, highlighted.
        assert "Hi {{First Name|'there'}}," in pane.view.plain
        assert "tag" in pane.view.styles and "filled" not in pane.view.styles
        assert pane.view.plain.splitlines()[0].startswith("Inbox      Maya Chen · Quick question about {{Company}}")

        await _keys(pilot, "n")  # Dana Whitfield: every value present
        assert "Hi Dana," in pane.view.plain
        assert "Quick question about Brightline Analytics's pipeline" in _flat(pane)
        assert "forecast accuracy is spread across three tools" in _flat(pane)
        assert "filled" in pane.view.styles and "fallback" not in pane.view.styles
        assert pane.view.missing == []

        await _keys(pilot, "n", "n", "n")  # the fourth prospect has no name and no custom fields
        assert pane.prospect is not None and pane.prospect.name.startswith("(no name)")
        assert "Hi there," in pane.view.plain  # the inline fallback
        assert "pipeline visibility is spread" in _flat(pane)  # the field's stored fallback
        assert "fallback" in pane.view.styles
        assert pane.view.missing == ["First Name", "Pain Point"]
        assert "No value   First Name, Pain Point" in pane.view.plain

        await _keys(pilot, "n")  # wraps to the first prospect
        assert "Hi Dana," in pane.view.plain
        await _keys(pilot, "N")
        assert pane.prospect is None and "{{First Name|'there'}}" in pane.view.plain
        await _keys(pilot, "n", "0")
        assert pane.prospect is None and "tag" in pane.view.styles


def _subject_and_greeting(plain: str) -> tuple[str, str]:
    lines = plain.splitlines()
    subject = next(line for line in lines if line.startswith("Subject "))
    rule = next(index for index, line in enumerate(lines) if line.startswith("───"))
    return subject, lines[rule + 1]


async def test_spintax_combinations_cycle_and_wrap(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(110, 40)) as pilot:
        _key, pane = await _open_preview(pilot, Q4, Channel.EMAIL, letter_index=1)
        # Subject {spin}Idea|A thought|Question{endspin}, greeting {spin}Hi|Hey|Hello{endspin}.
        assert pane.view.combinations == 9 and pane.view.choice == 0
        assert "combination 1 of 9" in pane.view.plain
        assert "Subject    Idea for {{First Name}}" in pane.view.plain
        await _keys(pilot, "x")
        assert "combination 2 of 9" in pane.view.plain
        assert "Subject    A thought for {{First Name}}" in pane.view.plain
        assert "spin" in pane.view.styles
        seen = {_subject_and_greeting(pane.view.plain)}
        for _ in range(8):
            await _keys(pilot, "x")
            seen.add(_subject_and_greeting(pane.view.plain))
        assert pane.view.choice == 0  # wrapped around after 9
        assert len(seen) == 9


async def test_views_cycle_rendered_plain_source(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(110, 40)) as pilot:
        # The marketing email: layout tables, a link whose text differs from its target.
        _key, pane = await _open_preview(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        rendered = pane.view
        assert rendered.mode == "rendered" and "<table" not in rendered.plain
        assert "Read the case study[1]" in rendered.plain
        assert "[1] https://acme-robotics.example.com/case-study?utm_source=saleshandy" in rendered.plain
        await _keys(pilot, "v")
        assert pane.view.mode == "plain" and pane.view.styles == set()
        await _keys(pilot, "v")
        assert pane.view.mode == "source" and '<table role="presentation"' in pane.view.plain
        await _keys(pilot, "v")
        assert pane.view.mode == "rendered"
        ids = {active.binding.id for active in app.screen.active_bindings.values()}
        assert {"preview-cycle-view", "preview-next-prospect", "preview-no-prospect", "preview-next-spin"} <= ids


async def test_the_preview_follows_typing(sandbox_app) -> None:
    seen: list = []
    app = make_app(sandbox_app)
    async with app.run_test(size=(110, 40), message_hook=seen.append) as pilot:
        key = await open_variant(pilot, Q4, Channel.EMAIL)
        subject = app.screen.query_one("#field-subject", Input)
        assert subject.has_focus
        await pilot.press("end")
        await type_text(pilot, " today")
        await pilot.pause(DEBOUNCE + 0.1)
        await settle(pilot)
        assert "Subject    Quick question about {{Company}}'s pipeline today" in _pane(app).view.plain
        assert any(isinstance(message, m.PreviewUpdated) and message.key == key for message in seen)


async def test_a_keystroke_is_previewed_at_once_and_the_last_of_a_burst_too(sandbox_app) -> None:
    seen: list = []
    app = make_app(sandbox_app)
    async with app.run_test(size=(110, 40), message_hook=seen.append) as pilot:
        key = await open_variant(pilot, Q4, Channel.EMAIL)
        pane = _pane(app)
        await pilot.press("end")
        await pilot.pause(MIN_INTERVAL)  # a quiet moment: the next change renders at once
        await pilot.press("!")
        await pilot.pause()  # no waiting for a pause in typing
        assert "Subject    Quick question about {{Company}}'s pipeline!" in pane.view.plain
        # A burst: one render per change at most, and the last change is always shown.
        seen.clear()
        await pilot.press("a", "b", "c", "d", "e")
        await pilot.pause(MIN_INTERVAL * 2)
        await settle(pilot)
        assert "Subject    Quick question about {{Company}}'s pipeline!abcde" in pane.view.plain
        # Counted once however far each message bubbles.
        updates = {id(message) for message in seen if isinstance(message, m.PreviewUpdated) and message.key == key}
        assert 1 <= len(updates) <= 5


async def test_a_very_large_email_renders_in_a_thread_and_follows_edits(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(110, 40)) as pilot:
        key = await open_variant(pilot, Q4, Channel.EMAIL)
        area = app.screen.query_one("#field-content", TextArea)
        area.focus()
        paragraph = "<p>" + "word " * 200 + "</p>\n"
        area.load_text(paragraph * (THREAD_ABOVE // len(paragraph) + 1) + "<p>the end</p>")
        await pilot.pause(MIN_INTERVAL)
        await settle(pilot)
        pane = _pane(app)
        assert pane.view.plain.rstrip().endswith("the end")
        area.move_cursor(area.document.end)
        await type_text(pilot, "X")
        await pilot.pause(MIN_INTERVAL)
        await settle(pilot)
        assert pane.view.plain.endswith("the end\n\nX\n")  # typed after the last paragraph
        assert app.workspace.edited(key).payload["content"].endswith("X")


async def test_other_channels_show_the_text_with_its_count(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(110, 40)) as pilot:
        key, pane = await _open_preview(pilot, Q4, Channel.LINKEDIN_CONNECTION_REQUEST)
        note = app.workspace.edited(key).payload["connectionNote"]
        assert pane.view.limit == 300 and pane.view.char_count == len(note)
        assert f"{len(note)} / 300 characters (over 200 on some accounts)" in pane.view.plain
        assert "Channel    LinkedIn connection request" in pane.view.plain
        await _keys(pilot, "n")
        assert "Hi Dana, I've been following how Brightline Analytics" in _flat(pane)
        assert "Task note" in pane.view.plain


def test_compose_preview_keeps_hostile_text_literal() -> None:
    variant = Variant.model_validate(
        {
            "id": "v1",
            "type": "Email",
            "payload": {
                "subject": "[bold]Hi[/bold] \x1b]52;c;aGk=\x07{{First Name}}",
                "content": "<p>[red]x[/red] \x1b[2J{{Company|'your team'}}</p><script>alert(1)</script>",
            },
        }
    )
    view = compose_preview(
        variant, width=60, prospect=Prospect(id="p", name="\x1b[31mEve", fields={"First Name": "[i]Eve[/i]"})
    )
    assert "\x1b" not in view.plain and "\x07" not in view.plain
    assert "[bold]Hi[/bold]" in view.plain and "[i]Eve[/i]" in view.plain and "[red]x[/red]" in view.plain
    assert "your team" in view.plain and "alert" not in view.plain
    strips = view_strips(view, 60)
    assert strips[0].text.startswith("Prospect") and all("\x1b" not in strip.text for strip in strips)
    source = compose_preview(variant, width=60, mode="source")
    assert any("<script>alert(1)</script>" in strip.text for strip in view_strips(source, 60))


async def test_v_on_another_variant_in_the_tree_opens_it_then_previews_it(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(110, 40)) as pilot:
        first = await open_variant(pilot, Q4, Channel.EMAIL)
        await pilot.press("escape", "j", "v")  # the cursor on variant B, not opened yet
        await settle(pilot)
        second = app.screen.current_key
        assert second != first and second.step_id == first.step_id
        pane = _pane(app)
        assert pane.has_focus and pane.key == second
        assert "Subject    Idea for {{First Name}}" in pane.view.plain
