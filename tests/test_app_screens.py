"""The editor's other screens and keys: no key, hostile text, confirmations, help, filter, palette."""

from __future__ import annotations

import json

from test_app_support import client_for, make_app, open_palette, open_variant, settle, tree, type_text
from textual.widgets import Input

from tui.api.channels import Channel
from tui.app import SeqEditApp
from tui.screens.confirm_screen import ConfirmScreen
from tui.screens.help_screen import HelpScreen
from tui.screens.no_key_screen import NoKeyScreen
from tui.session.connect import NoApiKey
from tui.widgets.attachment_list import AttachmentList

HOSTILE = "[bold red]pwned[/] \x1b[31mred\x1b[0m [link=https://evil.example]x[/link]"


def _notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _screen_text(app) -> str:
    """Every character on screen, without styles."""
    from test_app_snapshots import screen_text

    return screen_text(app)


async def test_no_key_screen_explains_instead_of_a_traceback() -> None:
    app = SeqEditApp(None, no_key_message=str(NoApiKey()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoKeyScreen)
        text = _screen_text(app)
        assert "SALESHANDY_API_KEY" in text and "--demo" in text and "--base-url" in text
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_hostile_titles_and_subjects_render_literally(sandbox_app) -> None:
    store = sandbox_app.state.store
    store.add_sequence(
        HOSTILE,
        steps=[
            {
                "channel": "Email",
                "day": 1,
                "variants": [{"payload": {"subject": "[b]bold?[/b]", "content": "<p>x</p>"}}],
            }
        ],
    )
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        key = await open_variant(pilot, HOSTILE, Channel.EMAIL)
        text = _screen_text(app)
        assert "[bold red]pwned[/]" in text
        assert "\x1b" not in text and "[31m" not in text
        assert "[b]bold?[/b]" in str(tree(pilot).variant_node(key).label)
        assert app.screen.query_one("#field-subject", Input).value == "[b]bold?[/b]"


async def test_quit_with_unsaved_edits_asks_first(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, "Founders intro", Channel.EMAIL)
        await type_text(pilot, "x")
        await pilot.press("escape", "q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "1 variant(s) have unsaved edits" in _screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen) and app.is_running
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
    assert not app.is_running


async def test_quit_without_edits_just_quits(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_leaving_a_dirty_variant_asks_and_keeps_the_edits(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        first = await open_variant(pilot, "Event follow-up: SaaStr", Channel.EMAIL)
        await type_text(pilot, "x")
        await pilot.press("escape", "j", "enter")  # variant B of the same step
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.current_key == first
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.current_key != first
        assert app.workspace.dirty_keys() == [first]
        assert "*" in str(tree(pilot).variant_node(first).label)


async def test_help_lists_every_binding_with_its_id_and_follows_the_keymap(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.set_keymap({"save-variant": "ctrl+w"})
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        ids = {ident: keys for _, keys, _, ident in app.screen.rows}
        for ident in (
            "save-variant",
            "toggle-status",
            "cycle-priority",
            "filter",
            "reload",
            "help",
            "quit",
            "focus-tree",
            "focus-form",
            "toggle-tree",
            "tree-down",
            "tree-top",
        ):
            assert ident in ids, ident
        assert ids["save-variant"] == "^w"
        # Scrolled to: the remapped binding is listed last of the screen's, below the fold at 40 rows.
        for _ in range(40):
            if "Review the PATCH" in _screen_text(app):
                break
            await pilot.press("j")
            await settle(pilot)
        assert "Review the PATCH" in _screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_filter_narrows_locally_and_on_the_server(sandbox_app) -> None:
    from tui.widgets.messages import SequencesPageLoaded

    seen: list = []
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await settle(pilot)
        total = len(tree(pilot).root.children)
        await pilot.press("slash")
        assert app.screen.query_one("#filter", Input).has_focus
        await type_text(pilot, "acme")
        await pilot.pause()
        labels = [str(node.label) for node in tree(pilot).root.children]
        assert len(labels) == 1 and "Acme Robotics" in labels[0]  # local, before any answer

        def server_answered() -> bool:
            return any(isinstance(m, SequencesPageLoaded) and m.query == "acme" for m in seen)

        for _ in range(100):  # the debounced search starts once typing stops
            if server_answered():
                break
            await pilot.pause(0.05)
        assert server_answered()
        await settle(pilot)
        labels = [str(node.label) for node in tree(pilot).root.children]
        assert len(labels) == 1 and "Acme Robotics" in labels[0]
        # Only the last query went to the server: "a", "ac", "acm" were superseded while typing.
        assert {m.query for m in seen if isinstance(m, SequencesPageLoaded)} == {"", "acme"}
        await pilot.press("enter")
        assert tree(pilot).has_focus and app.screen.has_class("-filtering")
        # esc in the tree, where enter left the filtered list, ends the filter too.
        await pilot.press("escape")
        await settle(pilot)
        assert not app.screen.has_class("-filtering") and app.screen.query_one("#filter", Input).value == ""
        assert len(tree(pilot).root.children) == total
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert len(tree(pilot).root.children) == total


async def test_failed_load_shows_on_its_node_and_reload_retries(sandbox_app, sandbox_http) -> None:
    fault = {"status": 404, "body": json.dumps({"message": "Sequence gone", "statusCode": 404})}
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        # The last sequence, which prefetch has not read at start-up; both reads of its steps fail:
        # prefetch's (silent) and the open's own.
        last = tree(pilot).root.children[-1].data.sequence_id
        answer = await sandbox_http.post(
            "/v1/sandbox/faults", json={"method": "GET", "path": f"/v1/sequences/{last}/", "faults": [fault] * 2}
        )
        assert answer.status_code < 300, answer.text
        await pilot.press("G", "l")
        await settle(pilot)
        first = tree(pilot).root.children[-1]
        assert "Sequence gone" in str(first.children[0].label)
        assert "r to retry" in str(first.children[0].label)
        await pilot.press("r")
        await settle(pilot)
        assert first.children and first.children[0].data.kind == "step"


async def test_palette_jumps_to_a_variant(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.LINKEDIN_INMAIL)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "Acme Day 3 LinkedIn message A Thanks")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        key = app.screen.current_key
        assert app.workspace.channel(key) is Channel.LINKEDIN_MESSAGE
        assert tree(pilot).cursor_node.data.key == key


async def test_palette_runs_actions(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_palette(pilot, "Tree on/off")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.has_class("-tree-hidden")


async def _palette_hits(pilot, query: str) -> list[str]:
    """The palette's hits for ``query``, each as its text (title, then the help line)."""
    from textual.command import CommandList

    await open_palette(pilot, query)
    for _ in range(20):  # the palette gathers hits in the background
        await pilot.pause(0.05)
    hits = pilot.app.screen.query_one(CommandList)
    return [str(hits.get_option_at_index(index).prompt) for index in range(hits.option_count)]


async def test_palette_lists_quit_once(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        titles = [prompt.split("\n")[0] for prompt in await _palette_hits(pilot, "quit")]
        assert sum(title.strip() == "Quit" for title in titles) == 1, titles


async def test_palette_actions_show_their_key_not_their_internal_name(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        prompts = await _palette_hits(pilot, "Tree on/off")
        shown = next(prompt for prompt in prompts if prompt.startswith("Tree on/off"))
        assert "toggle_tree" not in shown and "^b" in shown and "Show or hide the tree pane" in shown, shown


async def test_attachment_upload_and_remove(sandbox_app, tmp_path, monkeypatch) -> None:
    brochure = tmp_path / "brochure.pdf"
    brochure.write_bytes(b"%PDF-1.4 sandbox")
    monkeypatch.chdir(tmp_path)  # a short relative path to type, not the whole temp path
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 40)) as pilot:
        key = await open_variant(pilot, "Founders intro", Channel.EMAIL)
        path = app.screen.query_one("#attach-path", Input)
        path.focus()
        await type_text(pilot, brochure.name)
        await pilot.press("enter")
        await settle(pilot)
        ids = app.workspace.edited(key).attachmentIds
        assert len(ids) == 1
        assert "brochure.pdf" in str(app.screen.query_one(AttachmentList).get_option_at_index(0).prompt)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert (await client_for(sandbox_app).get_variant(*key)).attachmentIds == ids

        listing = app.screen.query_one(AttachmentList)
        listing.focus()
        await pilot.press("x")  # the only attachment: x needs no Down first
        await settle(pilot)
        assert app.workspace.update_for(key).body() == {"attachmentIds": []}


async def test_narrow_screen_gives_the_form_the_width(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, "Founders intro", Channel.EMAIL)
        pane = app.screen.query_one("#tree-pane")
        assert not pane.display or pane.region.width == 0
        await pilot.press("escape")
        await settle(pilot)
        assert pane.region.width > 0
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert pane.region.width == 0


def test_html_highlights_cover_tags_attributes_and_multibyte_text() -> None:
    from tui.widgets.html_text_area import html_highlights

    spans = html_highlights('<p class="x">Hé</p>\n<!-- note -->')
    names = {name for _, _, name in spans[0]}
    assert {"tag", "keyword", "string"} <= names
    # Byte columns: "é" takes two bytes, so the closing tag starts at byte 17, not 16.
    assert (17, 18, "punctuation.bracket") in spans[0]
    assert spans[1] == [(0, 13, "comment")]


async def test_email_content_is_highlighted_as_html(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_variant(pilot, "Founders intro", Channel.EMAIL)
        area = app.screen.query_one("#field-content")
        segments = [seg for seg in area.render_line(0) if seg.text.strip()]
        tag = next(seg for seg in segments if seg.text == "p")
        text = next(seg for seg in segments if len(seg.text) > 3)
        assert tag.style.color != text.style.color


async def test_a_large_account_arrives_page_by_page(tmp_path) -> None:
    from tui.sandbox.app import create_app
    from tui.widgets.messages import SequencesPageLoaded

    sandbox = create_app(tmp_path / "large.sqlite3", sequences=1200)
    seen: list = []
    app = make_app(sandbox)
    try:
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            for _ in range(20):  # chunks are added one refresh at a time
                await pilot.pause()
            # Each message is seen by the screen and again by the app it bubbles to.
            pages = list({id(m): m for m in seen if isinstance(m, SequencesPageLoaded) and m.sequences}.values())
            assert len(pages) == 2 and len(pages[0].sequences) == 1000
            assert len(tree(pilot).root.children) == 1200
            await pilot.press("G")
            assert tree(pilot).cursor_node is tree(pilot).root.children[-1]
    finally:
        sandbox.state.store.close()


async def test_a_failed_connection_is_shown_and_reload_connects_again(sandbox_app) -> None:
    attempts: list[int] = []

    def factory():
        attempts.append(1)
        if len(attempts) == 1:
            raise ValueError("The API key contains spaces or characters that cannot be sent in a header.")
        return client_for(sandbox_app)

    app = SeqEditApp(None, client_factory=factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = [str(node.label) for node in tree(pilot).root.children]
        label = " ".join(lines)
        assert label.startswith("Could not connect: The API key contains spaces") and "r to retry" in label
        # The whole message is there to read, wrapped to the pane at 80 columns, not cut.
        assert len(lines) > 1 and all(len(line) <= tree(pilot).size.width - 4 for line in lines), lines
        await pilot.press("r")
        await settle(pilot)
        assert len(attempts) == 2
        assert any(
            app.workspace.sequence(n.data.sequence_id)
            for n in tree(pilot).root.children
            if n.data and n.data.sequence_id
        )


async def test_the_cursor_starts_on_the_first_sequence(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")  # no key is wasted finding the tree's first line
        await settle(pilot)
        assert tree(pilot).root.children[0].is_expanded
