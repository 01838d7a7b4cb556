"""The filter matches the client name the tree shows; the palette finds on the server the sequences
not loaded yet, marked as found there (issue 13, item 15). At 80×24, by keys, over the sandbox."""

from __future__ import annotations

from test_app_support import make_app, open_palette, settle, tree, type_text
from textual.command import CommandList, CommandPalette

from tui.screens.palette_provider import SERVER_MARK, SERVER_SEARCH_DEBOUNCE
from tui.widgets import messages as m


def _titles(pilot) -> list[str]:
    return [str(node.label) for node in tree(pilot).root.children]


async def _wait_for_server(pilot, seen: list, query: str) -> None:
    for _ in range(200):  # the debounced search starts once typing stops
        if any(isinstance(message, m.SequencesPageLoaded) and message.query == query for message in seen):
            break
        await pilot.pause(0.05)
    await settle(pilot)


async def test_the_filter_matches_the_client_name_shown_in_the_tree(sandbox_app) -> None:
    seen: list = []
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "northwind")  # a client's company, in no title
        await pilot.pause()
        titles = _titles(pilot)
        assert len(titles) == 1 and "Webinar invite: Data Leaders" in titles[0]
        # The server matches names only: its empty answer leaves the local match listed.
        await _wait_for_server(pilot, seen, "northwind")
        assert _titles(pilot) == titles

        for _ in range(9):
            await pilot.press("backspace")
        await type_text(pilot, "MARSH")  # a person client (no company): first and last name
        await pilot.pause()
        titles = _titles(pilot)
        assert len(titles) == 1 and "Re-engage closed-lost (Q2)" in titles[0]


async def _palette_prompts(pilot) -> list[str]:
    hits = pilot.app.screen.query_one(CommandList)
    return [str(hits.get_option_at_index(index).prompt) for index in range(hits.option_count)]


async def test_the_palette_finds_a_client_by_name(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_palette(pilot, "Northwind")
        for _ in range(20):
            await pilot.pause(0.05)
        assert any(
            prompt.startswith("Webinar invite: Data Leaders · Northwind") for prompt in await _palette_prompts(pilot)
        )


async def test_the_palette_searches_the_server_for_sequences_not_loaded(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Made after the listing: the app has not loaded it.
        made = sandbox_app.state.store.add_sequence("Zephyr renewals: finance leads", active=False)
        assert app.workspace.sequence(made.sequence_id) is None

        await open_palette(pilot, "zephyr")
        assert isinstance(app.screen, CommandPalette)
        server_hits: list[str] = []
        for _ in range(100):  # after the debounce and the server's answer
            server_hits = [prompt for prompt in await _palette_prompts(pilot) if SERVER_MARK.strip() in prompt]
            if server_hits:
                break
            await pilot.pause(SERVER_SEARCH_DEBOUNCE / 4)
        assert server_hits, await _palette_prompts(pilot)
        assert server_hits[0].startswith("Zephyr renewals: finance leads  (server)")
        assert "found on the server" in server_hits[0]

        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, CommandPalette)
        assert app.workspace.sequence(made.sequence_id) is not None
        node = tree(pilot).cursor_node
        assert node is not None and node.data.sequence_id == made.sequence_id
        assert "Zephyr renewals" in str(node.label)


async def test_the_palette_asks_the_server_once_typing_pauses_and_not_for_one_letter(sandbox_app) -> None:
    import httpx
    from test_app_support import BASE_URL

    from tui.api.client import SaleshandyClient
    from tui.app import SeqEditApp
    from tui.sandbox import DEMO_API_KEY

    asked: list[str] = []

    class Recording(httpx.ASGITransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path == "/v1/sequences" and "sequenceName" in request.url.params:
                asked.append(request.url.params["sequenceName"])
            return await super().handle_async_request(request)

    class Account:
        demo = True
        profile = None
        base_url = BASE_URL

    def client() -> SaleshandyClient:
        return SaleshandyClient(DEMO_API_KEY, BASE_URL, transport=Recording(app=sandbox_app), max_retries=0)

    app = SeqEditApp(Account(), client_factory=client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press("z")
        await pilot.pause(SERVER_SEARCH_DEBOUNCE * 3)
        await settle(pilot)
        assert asked == []  # one letter matches too much to be worth a request
        await type_text(pilot, "eph")
        for _ in range(100):
            if asked:
                break
            await pilot.pause(SERVER_SEARCH_DEBOUNCE / 4)
        await settle(pilot)
        assert asked and asked[-1] == "zeph"
