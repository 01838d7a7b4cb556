"""Every style tag the renderer puts on a segment has a look in the terminal theme."""

from __future__ import annotations

from pathlib import Path

from tui.preview import PreviewOptions, render_email
from tui.preview.terminal import DEFAULT_THEME

GOLDEN = Path(__file__).parent / "golden" / "preview"
EXTRA = (
    "<h1>T</h1><h2>T</h2><h3>T</h3><h4>T</h4><s>gone</s><code>x</code><blockquote>q</blockquote>"
    "<ul><li>a</li></ul><hr><img alt='logo'><a href='https://example.com'>link</a>"
    "<p>{{First Name|'there'}} {{Company}} {{Missing}} {spin}one|two{endspin}</p>"
)


def test_every_emitted_tag_is_in_the_terminal_theme() -> None:
    sources = [path.read_text(encoding="utf-8") for path in sorted(GOLDEN.glob("*.html"))] + [EXTRA]
    options = [PreviewOptions(), PreviewOptions(prospect={"Company": "Northwind"})]
    tags: set[str] = set()
    for html in sources:
        for option in options:
            for line in render_email(html, option).lines:
                for segment in line:
                    tags |= segment.tags
    assert {"tag", "filled", "fallback", "missing", "spin", "link", "image", "list-marker"} <= tags
    assert tags <= DEFAULT_THEME.keys(), tags - DEFAULT_THEME.keys()


def _through_rich(lines, *, no_color: bool) -> str:
    import io

    from rich.console import Console

    from tui.preview.terminal import segments_to_rich

    out = io.StringIO()
    console = Console(
        file=out, force_terminal=True, color_system="standard", no_color=no_color, soft_wrap=True, width=200
    )
    console.print(segments_to_rich(lines), markup=False, highlight=False, emoji=False)
    return out.getvalue()


def test_the_terminal_writer_prints_what_rich_printed() -> None:
    # seqedit preview on a terminal writes SGR styles itself (Rich's console is ~35 ms of
    # start-up); byte for byte what Rich printed, with and without NO_COLOR, for every golden
    # email and every style tag of the theme.
    from pathlib import Path

    from tui.preview import DEFAULT_THEME, PreviewOptions, Segment, render_email
    from tui.preview.terminal import segments_to_ansi

    golden = Path(__file__).parent / "golden" / "preview"
    cases = [
        render_email(path.read_text(encoding="utf-8"), PreviewOptions(width=60)).lines
        for path in sorted(golden.glob("*.html"))
    ]
    cases.append([[Segment(f"{tag} ", tag)] for tag in DEFAULT_THEME] + [[Segment("two", "bold link spin")], []])
    for lines in cases:
        for no_color in (False, True):
            assert segments_to_ansi(lines, colour=not no_color) == _through_rich(lines, no_color=no_color)
    assert segments_to_ansi([[Segment("x", "bold")]], styled=False) == "x\n"  # TERM=dumb
