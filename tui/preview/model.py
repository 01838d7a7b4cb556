"""What the preview renderer produces: styled segments in lines, and the options it takes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from tui.api.models import ProspectField

Mode = Literal["rendered", "plain", "source"]

# NamedTuples and a plain class, not dataclasses: `seqedit preview FILE.html` would import
# dataclasses (with inspect: ~6 ms) and build each class (~0.3 ms) for these alone (start-up,
# benchmarks: preview).


class Segment(NamedTuple):
    """A run of text with a space-separated set of semantic style tags (never markup); the
    tags are the keys of ``tui.preview.terminal.DEFAULT_THEME``."""

    text: str
    style: str = ""

    @property
    def tags(self) -> frozenset[str]:
        return frozenset(self.style.split())


class Rendered:
    """A rendered preview: wrapped lines of segments and the numbered link targets.

    ``links[0]`` is reference ``[1]``. ``combinations`` counts the spintax versions and
    ``choice`` is the one shown (0-based). ``missing`` lists the merge tags (as written) that
    fell back or had no value. ``hidden_lead`` (email) is the hidden preheader text, shown by
    mail clients in the inbox row. ``limit``/``soft_limit`` are the channel's character limits
    for text channels (``None`` for email).
    """

    __slots__ = (
        "char_count",
        "choice",
        "combinations",
        "hidden_lead",
        "limit",
        "lines",
        "links",
        "missing",
        "soft_limit",
        "word_count",
    )

    def __init__(
        self,
        lines: list[list[Segment]] | None = None,
        links: list[str] | None = None,
        combinations: int = 1,
        choice: int = 0,
        word_count: int = 0,
        char_count: int = 0,
        missing: list[str] | None = None,
        hidden_lead: str = "",
        limit: int | None = None,
        soft_limit: int | None = None,
    ) -> None:
        self.lines: list[list[Segment]] = [] if lines is None else lines
        self.links: list[str] = [] if links is None else links
        self.combinations = combinations
        self.choice = choice
        self.word_count = word_count
        self.char_count = char_count
        self.missing: list[str] = [] if missing is None else missing
        self.hidden_lead = hidden_lead
        self.limit = limit
        self.soft_limit = soft_limit

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return type(other) is Rendered and self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return "Rendered(" + ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__) + ")"

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.char_count > self.limit


class PreviewOptions(NamedTuple):
    """How to render: wrap ``width``; ``prospect`` (label → value) fills merge tags, or ``None``
    to highlight them; ``fields`` supply stored ``fallbackText``; ``spin_choice`` picks the
    spintax combination (wraps around); ``mode`` is ``rendered``, ``plain`` or ``source``.
    ``options._replace(spin_choice=1)`` is a copy with one option changed."""

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
