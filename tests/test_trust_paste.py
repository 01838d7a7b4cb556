"""Issue 13 item 5: a bracketed paste holding escape sequences reaches the field whole, cleaned,
with a warning; a paste of several lines into a one-line field says what it left out."""

from __future__ import annotations

import time

from test_app_support import make_app, open_variant, settle
from textual import events
from textual.constants import ESCAPE_DELAY
from textual.widgets import Input

from tui.api.channels import Channel
from tui.paste_driver import PasteParser
from tui.terminal.paste import PasteSplitter

ACME = "Acme Robotics: Warehouse Managers"
START, END = "\x1b[200~", "\x1b[201~"


def _feed(parser: PasteParser, *reads: str) -> list:
    got: list = []
    for data in reads:
        got.extend(parser.feed(data))
    got.extend(parser.tick())
    return got


def test_textuals_parser_takes_an_escape_sequence_in_a_paste_whole() -> None:
    got = _feed(PasteParser(), "a" + START + "\x1b[31mred\x1b[0m plain" + END + "b")
    keys = [e.key for e in got if isinstance(e, events.Key)]
    pastes = [e.text for e in got if isinstance(e, events.Paste)]
    assert pastes == ["\x1b[31mred\x1b[0m plain"]  # one event, in order, nothing typed as keys
    assert keys == ["a", "b"]
    assert [type(e) for e in got] == [events.Key, events.Paste, events.Key]


def test_markers_cut_between_reads_still_make_one_paste() -> None:
    text = START + "x\x1b[1my" + END
    # From 2: a read of ESC alone goes to Textual's parser at once, or the escape key would
    # wait for the next tick (a terminal writes the start marker in one piece anyway).
    for cut in range(2, len(text)):
        got = _feed(PasteParser(), text[:cut], text[cut:])
        assert [e.text for e in got if isinstance(e, events.Paste)] == ["x\x1b[1my"], cut
        assert not [e for e in got if isinstance(e, events.Key)], cut


def test_a_lone_escape_key_still_arrives() -> None:
    parser = PasteParser()
    got = list(parser.feed("\x1b"))
    time.sleep(ESCAPE_DELAY + 0.05)
    got.extend(parser.tick())
    assert [e.key for e in got if isinstance(e, events.Key)] == ["escape"]
    splitter = PasteSplitter()
    assert splitter.feed("q\x1b[") == [("input", "q")]
    assert splitter.flush() == [("input", "\x1b[")]  # held for a marker that never came


def _notes(app) -> list[str]:
    return [str(note.message) for note in app._notifications]


async def test_a_parsed_paste_with_colour_codes_lands_cleaned_with_a_warning(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        subject = app.screen.query_one("#field-subject", Input)
        assert subject.has_focus
        await pilot.press("end")
        before = subject.value
        for event in _feed(PasteParser(), START + " \x1b[31mred\x1b[0m" + END):
            app.post_message(event)
        await settle(pilot)
        assert subject.value == before + " red"
        assert app.workspace.edited(key).payload["subject"] == before + " red"
        assert any("Subject: removed control characters (ESC)" in note for note in _notes(app)), _notes(app)


async def test_several_lines_pasted_into_the_subject_say_what_was_left_out(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, ACME, Channel.EMAIL)
        subject = app.screen.query_one("#field-subject", Input)
        await pilot.press("end")
        before = subject.value
        app.post_message(events.Paste("\n first line\nsecond line\nthird"))
        await settle(pilot)
        assert subject.value == before + " first line"
        assert any("kept the first of the 3 pasted lines" in note for note in _notes(app)), _notes(app)

        app.clear_notifications()
        app.post_message(events.Paste("!\n"))  # a copied line's own line end: nothing to say
        await settle(pilot)
        assert subject.value == before + " first line!"
        assert not any("pasted lines" in note for note in _notes(app))


def test_the_driver_takes_the_size_of_the_terminal_it_draws_on_not_stdouts(monkeypatch) -> None:
    """With stdout redirected (``seqedit > file``; the start-up benchmarks read a marker from it)
    Textual's driver read stdout's size, 80×24, beside the real one: the main screen's width
    classes flipped between the two for ever and nothing was drawn (seen as 'stalled' starts)."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    from tui.paste_driver import PasteSafeDriver

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    master, slave = pty.openpty()
    try:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        driver = PasteSafeDriver.__new__(PasteSafeDriver)  # only the size is asked: no app needed
        with os.fdopen(os.dup(slave), "w") as terminal:
            driver._file = terminal
            assert driver._get_terminal_size() == (120, 40)  # not pytest's captured stdout's 80×24
            monkeypatch.setenv("COLUMNS", "100")  # as in Textual, the environment still wins
            assert driver._get_terminal_size()[0] == 100
    finally:
        os.close(master)
        os.close(slave)
