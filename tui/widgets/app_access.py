"""The running app, typed: screens and widgets ask here rather than reading ``self.app`` with a
``# type: ignore`` for each of seqedit's own attributes (workspace, client, checks)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.app import App

if TYPE_CHECKING:
    from tui.app import SeqEditApp


class _InApp(Protocol):
    """A screen, a widget or a command palette provider: anything that knows its app."""

    @property
    def app(self) -> App[Any]: ...


def seqedit_app(node: _InApp) -> SeqEditApp:
    """``node.app`` as the SeqEditApp it is (every screen, widget and provider runs inside one)."""
    return cast("SeqEditApp", node.app)
