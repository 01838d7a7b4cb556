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
