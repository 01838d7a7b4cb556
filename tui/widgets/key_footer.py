"""The key bar: Textual's Footer, rebuilt only when the keys it shows change, showing whole keys only."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import events
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

PALETTE_CLASS = "-command-palette"
TRAILING_PADDING = 1
HELP_ACTION = "help"


def _is_key(widget: Widget) -> bool:
    # Textual's FooterKey has no public name; a key is what carries a key display and an action.
    return hasattr(widget, "key_display") and hasattr(widget, "action")


class KeyFooter(Footer):
    """A Footer that skips rebuilds which would show the same keys, and drops keys that do not fit.

    Textual's Footer recomposes (a new widget per key, each styled) on every focus or screen
    stack change, five times before the first sequences show; most change nothing on screen.
    Measured by ``benchmarks`` (startup): this is the largest cost after imports.

    On a narrow terminal Textual's Footer cuts the last key short ("x Spintax  s▏"); here the
    keys that do not fit whole before the palette key are hidden, from the right (the first keys
    are the ones that matter most), and come back when there is room. The help key always stays,
    and every key is listed in the help screen and the command palette.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None
        self._pending = False

    def _signature(self) -> tuple:
        """What the footer would show: every visible binding's key, label, state and tooltip."""
        return tuple(
            (binding.key, self.app.get_key_display(binding), binding.description, binding.action, enabled, tooltip)
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen or self._pending:
            return
        self._pending = True
        # On the next turn of the loop, not after the next refresh: at start-up that refresh is
        # the first frame, which would then go out with an empty key bar. Changes made in the
        # same turn still coalesce into one rebuild.
        self.call_later(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        signature = self._signature()
        if signature != self._shown:
            self._shown = signature
            await self.recompose()
            self.fit_keys()

    def on_resize(self, event: events.Resize) -> None:
        self.fit_keys()

    def fit_keys(self) -> None:
        """Show the keys, in order, while each fits whole; hide the rest.

        Widths come from each key's text and styles, as Textual's FooterKey renders them, so the
        keys are fitted before a frame shows them (a test checks them against the layout).
        """
        if not self.is_attached or not all(_is_key(child) for child in self.children):
            return  # binding groups: Textual's own arrangement, left as it is
        width = self.content_size.width
        if width <= 0:
            return  # not laid out yet: the first Resize fits them
        room = width - sum(key_width(child) for child in self.children if child.has_class(PALETTE_CLASS))
        keys = [child for child in self.children if not child.has_class(PALETTE_CLASS)]
        # The help key is kept whatever else goes: it is how a newcomer finds every other key.
        kept = [key for key in keys if str(getattr(key, "action", "")).rpartition(".")[2] == HELP_ACTION]
        used = sum(key_width(key) for key in kept)
        for key in keys:
            if key in kept:
                continue
            used += key_width(key)
            # A key's last cell is blank padding, which the palette key's border may cover.
            key.display = used - TRAILING_PADDING <= room
        for key in kept:
            key.display = True


def key_width(key: Widget) -> int:
    """The cells a footer key takes: what FooterKey.render draws, plus its gutter and margin."""
    display, description = str(getattr(key, "key_display", "")), str(getattr(key, "description", ""))
    if description:
        key_padding = key.get_component_styles("footer-key--key").padding
        text_padding = key.get_component_styles("footer-key--description").padding
        cells = key_padding.width + cell_len(display) + text_padding.width + cell_len(description)
    else:
        cells = cell_len(display)
    return cells + key.styles.gutter.width + key.styles.margin.width
