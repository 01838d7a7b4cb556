"""Issue 13 item 7: the config's sequence_sort orders the listing, and o changes the order."""

from __future__ import annotations

from test_app_support import make_app, settle, tree

from tui.config import config_path


def _titles(pilot) -> list[str]:
    app = pilot.app
    return [
        app.workspace.sequence(node.data.sequence_id).title
        for node in tree(pilot).root.children
        if node.data is not None and node.data.kind == "sequence"
    ]


def _config(text: str) -> None:
    path = config_path()
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)


async def _wait_for(pilot, done) -> None:
    for _ in range(100):
        await settle(pilot)
        if done():
            return
    assert done()


async def test_sequence_sort_title_asc_lists_by_title(sandbox_app) -> None:
    _config('sequence_sort = "title-asc"\n')
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_for(pilot, lambda: len(_titles(pilot)) > 3)
        titles = _titles(pilot)
        assert titles == sorted(titles, key=str.casefold), titles


async def test_o_cycles_the_order_and_says_which(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_for(pilot, lambda: len(_titles(pilot)) > 3)
        newest = _titles(pilot)
        assert newest != sorted(newest, key=str.casefold)  # the default: newest first
        await pilot.press("o")  # oldest first
        await _wait_for(pilot, lambda: _titles(pilot) == newest[::-1])
        await pilot.press("o")  # title A→Z
        await _wait_for(pilot, lambda: _titles(pilot) == sorted(newest, key=str.casefold))
        await pilot.press("o")  # title Z→A
        await _wait_for(pilot, lambda: _titles(pilot) == sorted(newest, key=str.casefold, reverse=True))
        notes = [str(note.message) for note in app._notifications]
        assert "Sequences: title Z→A" in notes, notes
