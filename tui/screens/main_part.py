"""What every part of the main screen shares: the screen it belongs to, typed.

The main screen (:mod:`tui.screens.main_screen`) is the layout, the bindings and the message
handlers; what they do lives in parts, one module each: the tree side, the editing side, the
save flow, the live checks, A/B testing. A part is a plain object (no widget, no DOM node) that
the screen makes once and keeps; it holds its own state and works through the screen: its
widgets, its workers, its notifications. Parts call each other through the screen
(``self.screen.editing.open_variant(key)``), never through the screen stack.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from tui.widgets.app_access import seqedit_app

if TYPE_CHECKING:
    from textual.worker import Worker

    from tui.app import SeqEditApp
    from tui.screens.main_screen import MainScreen
    from tui.session.workspace import VariantKey, Workspace
    from tui.widgets.sequence_tree import SequenceTree
    from tui.widgets.variant_form import VariantForm


def error_text(exc: BaseException) -> str:
    """The server's message (or the error's own text) as one plain line."""
    from tui.text.safe_text import one_line

    return one_line(str(exc) or type(exc).__name__, 300)


class MainScreenPart:
    """A part of :class:`tui.screens.main_screen.MainScreen` (see the module docstring)."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    # What nearly every part reads; each is the screen's own.

    @property
    def app(self) -> SeqEditApp:
        return seqedit_app(self.screen)

    @property
    def workspace(self) -> Workspace:
        return self.app.workspace

    @property
    def tree(self) -> SequenceTree:
        return self.screen.tree

    @property
    def form(self) -> VariantForm:
        return self.screen.form

    @property
    def current_key(self) -> VariantKey | None:
        """The variant open in the form (the screen's; one for all its parts)."""
        return self.screen.current_key

    @current_key.setter
    def current_key(self, key: VariantKey | None) -> None:
        self.screen.current_key = key

    def notify(self, message: str, **kwargs: Any) -> None:
        self.screen.notify(message, **kwargs)

    def call_later(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        return self.screen.call_later(callback, *args, **kwargs)

    def call_after_refresh(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        return self.screen.call_after_refresh(callback, *args, **kwargs)

    def run_worker(self, work: Awaitable[Any], *, group: str, exclusive: bool = False) -> Worker[Any]:
        """A worker of the screen's (so it ends with the screen)."""
        return self.screen.run_worker(work, group=group, exclusive=exclusive)
