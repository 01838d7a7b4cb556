"""The terminal driver seqedit runs on: Textual's own, with pastes taken whole.

See :mod:`tui.terminal.paste` for why: Textual's parser broke a paste holding an escape sequence
into stray key presses. :class:`PasteParser` lets :class:`~tui.terminal.paste.PasteSplitter` cut
the pastes out first and gives the rest to Textual's parser unchanged.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder
from collections.abc import Iterable

from textual import events
from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from tui.terminal.paste import PasteSplitter


class PasteParser(XTermParser):
    """Textual's xterm parser behind a :class:`PasteSplitter`."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._splitter = PasteSplitter()

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # end of input: Textual's parser finishes what it holds
            return list(super().feed(data))
        return self._route(self._splitter.feed(data))

    def tick(self) -> Iterable[Message]:
        return [*self._route(self._splitter.flush()), *super().tick()]

    def _route(self, parts: list[tuple[str, str]]) -> list[Message]:
        messages: list[Message] = []
        for kind, text in parts:
            if kind == "paste":
                # Textual removes NUL from pastes too (its issue 1661); the field removes the rest.
                messages.append(events.Paste(text.replace("\x00", "")))
            else:
                messages.extend(super().feed(text))
        return messages


class PasteSafeDriver(LinuxDriver):
    """:class:`LinuxDriver` reading input through :class:`PasteParser`.

    ``run_input_thread`` is Textual 8.2's own, with only the parser's class changed: the driver
    names the class inside the method, so there is no narrower place to change it.
    """

    def _get_terminal_size(self) -> tuple[int, int]:
        """The size of the terminal the screen is drawn on (stderr).

        Textual's own asks stdout's. With stdout redirected (``seqedit > file``, or the start-up
        benchmarks, which read a marker from it) that is no terminal and reads as 80×24, while
        the screen is drawn at the real size: the main screen's width classes flipped between
        the two for ever and nothing was ever drawn. COLUMNS and LINES still win, as in Textual.
        """
        if "COLUMNS" not in os.environ and "LINES" not in os.environ and self._file is not None:
            try:
                size = os.get_terminal_size(self._file.fileno())
            except (AttributeError, ValueError, OSError):
                pass
            else:
                if size.columns > 0 and size.lines > 0:
                    return size.columns, size.lines
        return super()._get_terminal_size()

    def run_input_thread(self) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        EVENT_READ = selectors.EVENT_READ
        parser = PasteParser(self._debug)
        feed = parser.feed
        tick = parser.tick
        decode = getincrementaldecoder("utf-8")().decode
        read = os.read

        def process_selector_events(
            selector_events: list[tuple[selectors.SelectorKey, int]], final: bool = False
        ) -> None:
            for last, (_selector_key, mask) in loop_last(selector_events):
                if mask & EVENT_READ:
                    unicode_data = decode(read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        break
                    for event in feed(unicode_data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(0.1))
            selector.unregister(self.fileno)
            process_selector_events(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in feed(""):
                    pass
            except (EOFError, ParseError):
                pass
