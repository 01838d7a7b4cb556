"""The start of the editor (issue 7): the listing is asked for as soon as there is a client.

The app starts the main screen's unfiltered listing the moment it has a client, before the
screen has handled ClientReady; the handler must not ask a second time.
"""

from __future__ import annotations

from test_app_support import make_app, settle, tree


async def test_the_first_listing_is_asked_for_once_and_fills_the_tree(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        counts = sandbox_app.state.requests.snapshot()
        assert counts.get("GET /v1/sequences") == 1, counts
        titles = {sequence.title for sequence in app.workspace.sequences}
        shown = [node.data.sequence_id for node in tree(pilot).root.children]
        assert titles and len(shown) == len(titles)

