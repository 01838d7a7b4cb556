"""Toasts wait while a dialog is up (issue 13).

Textual draws notifications on the current screen's own toast rack, above everything on it: over
a modal dialog they covered its text and keys (the quit dialog's "Stay", the drafts list's
entries). While a :class:`~textual.screen.ModalScreen` is current (quit and other questions, the
drafts list, the save review, help, history, the command palette) no toast is drawn (app.tcss
hides them there) and every notification's clock stops: when the last dialog closes, each comes
back with the time it had left, and one raised meanwhile with all of its time. So nothing said
while a dialog was up is lost, and nothing covers the dialog. A dialog says what concerns it
inside itself.

A notification with the same title, words and severity as one still showing (or waiting)
replaces it rather than stacking a second toast: a key repeated against a wall ("This is the
first variant.") piled up one per press (issue 13).
"""

from __future__ import annotations

from time import time
from typing import Any

from textual.notifications import Notification, Notify
from textual.screen import ModalScreen, Screen


def holds_toasts(screen: Screen[Any]) -> bool:
    """Whether toasts wait while ``screen`` is the current one: a dialog over another screen."""
    return isinstance(screen, ModalScreen)


class ToastHold:
    """Pauses the app's notifications while a dialog is up; the app calls :meth:`screen_changed`
    on every change of screen and :meth:`raised` for every notification it creates."""

    def __init__(self, app: Any) -> None:
        self.app = app
        # While a dialog is up: each notification's identity → (it, seconds it had left).
        self._paused: dict[str, tuple[Notification, float]] | None = None
        # The latest notification of each (title, message, severity).
        self._latest: dict[tuple[str, str, str], Notification] = {}

    @property
    def holding(self) -> bool:
        return self._paused is not None

    def screen_changed(self, screen: Screen[Any]) -> None:
        if holds_toasts(screen):
            if self._paused is None:
                self._paused = {n.identity: (n, max(0.0, n.time_left)) for n in self.app._notifications}
            return
        paused, self._paused = self._paused, None
        if not paused:
            return
        now = time()
        for notification, left in paused.values():
            if left <= 0 or notification.timeout <= 0:  # expired, or replaced meanwhile
                continue
            notification.raised_at = now + left - notification.timeout
            # Shown again (or still) on this screen's rack with the time it had left.
            self.app.post_message(Notify(notification))

    def raised(self, notification: Notification) -> None:
        """A new notification: it replaces one with the same words, and while a dialog is up it
        waits with all of its time."""
        same = (notification.title, notification.message, notification.severity)
        earlier = self._latest.get(same)
        if earlier is not None and not earlier.has_expired:
            # Expired now, whether shown or still on its way: Textual drops expired ones.
            earlier.timeout = 0
        if len(self._latest) > 100:
            self._latest = {key: n for key, n in self._latest.items() if not n.has_expired}
        self._latest[same] = notification
        if self._paused is not None:
            self._paused[notification.identity] = (notification, notification.timeout)
