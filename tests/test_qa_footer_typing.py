"""Newcomer QA at 80×24: while typing in a field the footer does not offer "/ Filter", since "/" is typed."""

from __future__ import annotations

from test_app_support import make_app, open_variant, settle, type_text
from textual.widgets import Input

from tui.api.channels import Channel


def _footer_actions(app) -> set[str]:
    return {binding.action for (_n, binding, _e, _t) in app.screen.active_bindings.values() if binding.show}


async def test_slash_typed_in_the_subject_is_not_offered_as_filter(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Founders intro", Channel.EMAIL)
        subject = app.screen.query_one("#field-subject", Input)
        subject.focus()
        await settle(pilot)
        assert "filter" not in _footer_actions(app)
        assert "save_variant" in _footer_actions(app)  # ctrl+s still shows: a field does not type it
        await pilot.press("end")
        await type_text(pilot, "/")
        await settle(pilot)
        assert app.workspace.edited(key).payload["subject"].endswith("/")
        await pilot.press("escape")  # back in the tree, / filters again
        await settle(pilot)
        assert "filter" in _footer_actions(app)
