"""What the preview renderer produces: styled segments in lines, and the options it takes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tui.api.models import ProspectField

Mode = Literal["rendered", "plain", "source"]


@dataclass(frozen=True)
class Segment:
    """A run of text with a space-separated set of semantic style tags (never markup); the
    tags are the keys of ``tui.preview.terminal.DEFAULT_THEME``."""

    text: str
    style: str = ""

    @property
    def tags(self) -> frozenset[str]:
        return frozenset(self.style.split())


@dataclass
class Rendered:
    """A rendered preview: wrapped lines of segments and the numbered link targets.

    ``links[0]`` is reference ``[1]``. ``combinations`` counts the spintax versions and
    ``choice`` is the one shown (0-based). ``missing`` lists the merge tags (as written) that
    fell back or had no value. ``limit``/``soft_limit`` are the channel's character limits for
    text channels (``None`` for email).
    """

    lines: list[list[Segment]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    combinations: int = 1
    choice: int = 0
    word_count: int = 0
    char_count: int = 0
    missing: list[str] = field(default_factory=list)
    hidden_lead: str = ""  # email: the hidden preheader text, shown by mail clients in the inbox row
    limit: int | None = None
    soft_limit: int | None = None

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.char_count > self.limit


@dataclass
class PreviewOptions:
    """How to render: wrap ``width``; ``prospect`` (label → value) fills merge tags, or ``None``
    to highlight them; ``fields`` supply stored ``fallbackText``; ``spin_choice`` picks the
    spintax combination (wraps around); ``mode`` is ``rendered``, ``plain`` or ``source``."""

    width: int = 72
    prospect: dict[str, str] | None = None
    fields: list[ProspectField] | None = None
    spin_choice: int = 0
    mode: Mode = "rendered"


def to_plain(rendered: Rendered, *, references: bool = True) -> str:
    """The rendered lines as plain text, with the numbered link targets listed at the end."""
    out = ["".join(segment.text for segment in line).rstrip() for line in rendered.lines]
    if references and rendered.links:
        out.append("")
        out.extend(f"[{number}] {url}" for number, url in enumerate(rendered.links, 1))
    return "\n".join(out) + ("\n" if out else "")


def strip_styles(lines: list[list[Segment]]) -> list[list[Segment]]:
    """The same lines with every style removed (the ``plain`` mode)."""
    out = []
    for line in lines:
        text = "".join(segment.text for segment in line)
        out.append([Segment(text)] if text else [])
    return out
