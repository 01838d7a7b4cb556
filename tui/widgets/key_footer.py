"""The key bar: Textual's Footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A Footer that skips rebuilds which would show the same keys.

    Textual's Footer recomposes (a new widget per key, each styled) on every focus or screen
    stack change, five times before the first sequences show; most change nothing on screen.
    Measured by ``benchmarks`` (startup): this is the largest cost after imports.
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
