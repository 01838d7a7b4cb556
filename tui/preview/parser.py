"""The HTML parser the preview renders with (selectolax's lexbor), loaded once on first use.

selectolax.lexbor imports the ``logging`` package only to name a logger it writes to when a
removed node is unwrapped, which the preview never does. In a process that has not loaded
``logging`` yet (``seqedit preview FILE.html``), that import is a third of the parser's load
(start-up, benchmarks: preview), so the parser is loaded with a stand-in whose logger loads the
real ``logging`` only if it is ever written to. The stand-in is in ``sys.modules`` only while
the parser loads; a process that has ``logging`` already (the app: httpx, Textual) loads the
parser as usual.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser


class _DeferredLogger:
    """A logger by name; the real one (and ``logging``) only when something is logged."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        import logging

        return getattr(logging.getLogger(self._name), attribute)


def _stand_in() -> types.ModuleType:
    module = types.ModuleType("logging", "Stands in for logging while selectolax.lexbor loads.")
    module.getLogger = _DeferredLogger  # type: ignore[attr-defined]  # the one name it uses at import

    def real(name: str) -> Any:
        if sys.modules.get("logging") is module:
            raise AttributeError(name)  # not while standing in: nothing else should see it
        import logging

        return getattr(logging, name)

    module.__getattr__ = real  # type: ignore[method-assign]  # PEP 562: any other name, from the real one
    return module


def parser_class() -> type[LexborHTMLParser]:
    """``selectolax.lexbor.LexborHTMLParser``."""
    if "selectolax.lexbor" not in sys.modules and "logging" not in sys.modules:
        stand_in = _stand_in()
        sys.modules["logging"] = stand_in
        try:
            import selectolax.lexbor  # noqa: F401  # loaded here, with the stand-in
        finally:
            if sys.modules.get("logging") is stand_in:
                del sys.modules["logging"]
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser
