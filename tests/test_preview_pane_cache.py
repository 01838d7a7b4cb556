"""The pane's PreviewCache: the view and strips after edits are those of a render from scratch."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_preview_incremental import FIELDS, _edit, edits, html_like

from tui.api.models import Prospect, Variant
from tui.preview import DEFAULT_THEME
from tui.widgets.preview_pane import PreviewCache, compose_preview, view_strips


def _variant(content: str) -> Variant:
    return Variant.model_validate(
        {"id": "v", "type": "Email", "payload": {"subject": "About {{Company}}", "preheader": "hi", "content": content}}
    )


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(html=html_like, steps=edits, width=st.integers(24, 100), prospect=st.booleans())
def test_the_pane_view_and_strips_match_a_render_from_scratch(html, steps, width, prospect) -> None:
    cache = PreviewCache()
    chosen = Prospect(id="p", name="Ana", fields={"First Name": "Ana"}) if prospect else None
    themes = [DEFAULT_THEME, {**DEFAULT_THEME, "tag": "bold magenta", "link": "red"}]
    for index, (where, remove, insert) in enumerate([(0.0, 0, "")] + steps):
        theme = themes[index // 2 % 2]  # the app's theme changes now and then
        html = _edit(html, where, remove, insert)
        variant = _variant(html)
        cached = compose_preview(variant, width=width, prospect=chosen, fields=FIELDS, cache=cache)
        fresh = compose_preview(variant, width=width, prospect=chosen, fields=FIELDS)
        assert cached == fresh
        assert [list(strip) for strip in view_strips(cached, width, theme, cache)] == [
            list(strip) for strip in view_strips(fresh, width, theme)
        ]


def test_the_inbox_snippet_of_a_long_body_is_cut_as_before() -> None:
    words = " ".join(f"word{number}" for number in range(3_000))
    variant = _variant(f"<p>{words}</p>")
    view = compose_preview(variant, width=60, cache=PreviewCache())
    inbox = view.plain.splitlines()[0]
    assert inbox.startswith("Inbox      You · About {{Company}} — hi word0 word1") and inbox.endswith("…")
    assert len(inbox) <= 60
