"""The connection indicator in the header's right corner: online, slow, retrying, offline, a
refused key or another error.

Fed by the API client's request events (:class:`tui.api.events.ApiEvent`). The state is shown
in words with a symbol, so it reads the same without colour (NO_COLOR, monochrome terminals).
"""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui.api.events import ApiEvent, EventKind
from tui.text.safe_text import one_line

State = Literal["connecting", "online", "slow", "retrying", "offline", "key", "error"]

# The server answered, but refused this request: the connection itself is fine.
_ANSWERED = {"ValidationFailed", "NotFoundError", "ValueError"}
_NO_CONNECTION = {"NetworkError", "GatewayError"}
# The key was refused (401/403, or the vendor's 400 "1001: Invalid token"): nothing works until
# it is fixed, so the indicator says so rather than a general "error".
_KEY_REFUSED = {"AuthError"}

_SHOWN: dict[str, str] = {
    "connecting": "… connecting",
    "online": "● online",
    "slow": "… slow server",
    "retrying": "↻ retrying",
    "offline": "✕ offline",
    "key": "✕ key refused",
    "error": "! error",
}


def state_after(event: ApiEvent, current: State) -> tuple[State, str]:
    """The indicator's state (and a plain detail line) after ``event``."""
    if event.kind is EventKind.SUCCEEDED:
        return "online", ""
    if event.kind is EventKind.SLOW:
        return "slow", one_line(f"{event.method} {event.path}: no answer yet; still waiting", 200)
    if event.kind is EventKind.RETRYING:
        wait = f" in {event.wait:.0f}s" if event.wait else ""
        return "retrying", one_line(
            f"{event.method} {event.path}: retrying{wait} ({event.message or event.error})", 200
        )
    if event.kind is EventKind.FAILED:
        error = event.error or ""
        if error in _ANSWERED or error.endswith("CancelledError"):
            return ("online" if current != "connecting" else current), ""
        detail = one_line(f"{event.method} {event.path}: {event.message or error}", 200)
        if error in _KEY_REFUSED:
            return "key", detail
        return ("offline" if error in _NO_CONNECTION else "error"), detail
    return current, ""


class ConnectionStatus(Widget):
    """One line, ten cells: where the connection stands. The tooltip holds the last problem."""

    DEFAULT_CSS = """
    ConnectionStatus {
        layer: connection;
        dock: right;
        width: 14;
        height: 1;
        padding: 0 1 0 0;
        background: $panel;
        text-align: right;
    }
    ConnectionStatus.-online { color: $success; }
    ConnectionStatus.-retrying, ConnectionStatus.-slow { color: $warning; }
    ConnectionStatus.-offline, ConnectionStatus.-key, ConnectionStatus.-error { color: $error; text-style: bold; }
    ConnectionStatus.-connecting { color: $text-muted; }
    """

    state: reactive[State] = reactive("connecting")

    def __init__(self, state: State = "connecting", **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_reactive(ConnectionStatus.state, state)
        self.detail = ""

    def on_mount(self) -> None:
        self._restyle()

    def show(self, state: State, detail: str = "") -> None:
        """Change the state; ``detail`` (plain text) becomes the tooltip."""
        self.detail = detail
        self.tooltip = Text(detail) if detail else None
        self.state = state

    def watch_state(self) -> None:
        self._restyle()

    def _restyle(self) -> None:
        for name in _SHOWN:
            self.set_class(name == self.state, f"-{name}")
        self.refresh()

    @property
    def label(self) -> str:
        """The words on screen."""
        return _SHOWN[self.state]

    def render(self) -> Text:
        return Text(self.label)
