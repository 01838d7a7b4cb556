"""Starting from the last known listing (issue 16 item 1): the cache file (private, per account,
never the key), the cached titles drawn before the first answer of a slow sandbox, a sequence
deleted meanwhile leaving the tree without moving the cursor, a conflict at save for an open
variant that changed on the server, and the ways to turn it off or clear it.
"""

from __future__ import annotations

import asyncio
import json
import stat
from pathlib import Path

import httpx
import pytest
from test_app_support import BASE_URL, open_variant, settle, tree, type_text
from test_drafts_app_support import last_note, patch_count, review_and_send

from tui.api.channels import Channel
from tui.api.client import SaleshandyClient
from tui.api.models import VariantUpdate
from tui.app import SeqEditApp
from tui.cli import main
from tui.config.paths import state_dir
from tui.sandbox import DEMO_API_KEY
from tui.sandbox.faults import parse_faults
from tui.screens.conflict_screen import ConflictScreen
from tui.session.account import Account
from tui.session.listing_cache import ListingCache, ListingRefresh, PageUpdate, cache_dir

LISTING = "GET /v1/sequences"


def cached_app(base_url: str, transport: httpx.AsyncBaseTransport | None = None, **options) -> SeqEditApp:
    def factory() -> SaleshandyClient:
        return SaleshandyClient(DEMO_API_KEY, base_url, transport=transport, max_retries=0)

    # A real account, not the demo: only those are cached.
    return SeqEditApp(Account(base_url, DEMO_API_KEY), client_factory=factory, **options)


async def until(pilot, condition, what: str) -> None:
    for _ in range(1500):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never happened: {what}")


def titles(pilot) -> list[str]:
    return [str(node.label) for node in tree(pilot).root.children if node.data and node.data.kind == "sequence"]


def listed(pilot) -> bool:
    return bool(titles(pilot)) and not pilot.app.listing_refresh.showing_cached


def cache_files() -> list[Path]:
    return sorted(cache_dir().glob("*.json"))


# -- the file -------------------------------------------------------------------------------------


def test_the_file_is_private_per_account_and_never_holds_the_key(sandbox_app) -> None:
    from tui.api.models import Sequence, Step

    key = "sk-live-cache-SECRET-0123456789"
    cache = ListingCache("https://open-api.saleshandy.com", key, "acme")
    sequence = Sequence.model_validate({"id": "s1", "title": "Hello", "active": True, "extraField": 7})
    step = Step.model_validate({"id": "t1", "type": 1, "absoluteDays": 1, "variants": []})
    cache.remember_steps("s1", [step])
    cache.remember_sequences([sequence])
    path = cache.path
    assert path.parent == state_dir() / "cache"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text()
    assert key not in text and key not in path.name and "SECRET" not in text
    assert "saleshandy" not in path.name  # the base URL is in the digest, not the name
    loaded = ListingCache("https://open-api.saleshandy.com", key, "acme").load()
    assert loaded is not None and [s.id for s in loaded.sequences] == ["s1"]
    assert loaded.sequences[0].model_extra == {"extraField": 7}  # as the server sent it
    assert [s.id for s in loaded.steps["s1"]] == ["t1"]
    # Another key on the same host, or another host, is another account: not this file.
    assert ListingCache("https://open-api.saleshandy.com", key + "x", "acme").load() is None
    assert ListingCache("https://other.example", key, "acme").load() is None
    # A damaged file is no cache, not a crash.
    path.write_text("{not json")
    assert ListingCache("https://open-api.saleshandy.com", key, "acme").load() is None


def test_an_unsafe_state_directory_means_no_cache_not_a_crash(tmp_path, monkeypatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("SEQEDIT_STATE_DIR", str(shared))
    cache = ListingCache("https://open-api.saleshandy.com", "k-123456", None)
    cache.remember_sequences([])
    assert cache.load() is None
    assert list(shared.iterdir()) == []


def test_a_fresh_listing_merges_into_the_cached_one_and_removes_only_once_complete(tmp_path) -> None:
    from tui.api.models import Sequence

    def seqs(*idents: str) -> list[Sequence]:
        return [Sequence.model_validate({"id": ident, "title": ident.upper()}) for ident in idents]

    cache = ListingCache("https://a.example", "k-merge", None, directory=tmp_path)
    cache.remember_sequences(seqs("a", "b", "c", "d", "e"))
    refresh = ListingRefresh(ListingCache("https://a.example", "k-merge", None, directory=tmp_path))
    # The rows come first, as the tree shows them; the models when asked for.
    assert [(row.id, row.title) for row in refresh.start().rows] == [(i, i.upper()) for i in "abcde"]
    assert [s.id for s in refresh.cached.sequences] == ["a", "b", "c", "d", "e"]

    # Page one of the server's listing ("n" is new, "d" was deleted, "e" is on page two): the
    # cached sequences not listed yet stay, after it.
    first = refresh.fresh_page(seqs("n", "a", "b"), query="", first=True, last=False)
    assert [s.id for s in first.rebuild] == ["n", "a", "b", "c", "d", "e"] and first.gone == []
    assert refresh.showing_cached and refresh.marker()  # still partly the cached listing
    second = refresh.fresh_page(seqs("c", "e"), query="", first=False, last=False)
    assert second.rebuild is None and [s.id for s in second.add] == ["c", "e"] and second.gone == []
    # Only the complete listing says what went; the order shown already is the server's.
    last = refresh.fresh_page([], query="", first=False, last=True)
    assert last.gone == ["d"] and last.rebuild is None
    assert not refresh.showing_cached and refresh.marker() is None
    assert [s.id for s in cache.load().sequences] == ["n", "a", "b", "c", "e"]

    # The next start: a later page brings a sequence the cached listing did not have, above
    # one shown from the cache: once complete the tree takes the server's order.
    refresh = ListingRefresh(ListingCache("https://a.example", "k-merge", None, directory=tmp_path))
    refresh.start()
    assert [s.id for s in refresh.fresh_page(seqs("n", "a"), query="", first=True, last=False).rebuild] == [*"nabce"]
    assert refresh.fresh_page(seqs("b", "x", "c", "e"), query="", first=False, last=False).rebuild is None
    last = refresh.fresh_page([], query="", first=False, last=True)
    assert [s.id for s in last.rebuild] == [*"nabxce"] and last.gone == []
    # Without a cached listing on screen, pages replace and append as they come.
    plain = refresh.fresh_page(seqs("q"), query="", first=True, last=False)
    assert [s.id for s in plain.rebuild] == ["q"]
    assert refresh.fresh_page(seqs("r"), query="r", first=True, last=True) == PageUpdate()


class HeldSecondPage(httpx.ASGITransport):
    """The sandbox in-process, with page 2 of the sequence listing held until ``release``."""

    def __init__(self, app) -> None:
        super().__init__(app=app)
        self.hold = False
        self.held = asyncio.Event()
        self.release = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.hold and request.url.path == "/v1/sequences" and request.url.params.get("page") == "2":
            self.held.set()
            await self.release.wait()
        return await super().handle_async_request(request)


async def test_an_account_of_two_pages_keeps_the_cached_second_page_until_its_fresh_one_comes(tmp_path):
    from tui.sandbox.app import create_app

    sandbox = create_app(tmp_path / "two-pages.sqlite3", sequences=1100)  # a page holds 1,000
    transport = HeldSecondPage(sandbox)
    first = cached_app(BASE_URL, transport)
    async with first.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: listed(pilot) and len(titles(pilot)) == 1100, "the first listing")
        await until(pilot, lambda: bool(cache_files()), "the cache file")
        ids = [node.data.sequence_id for node in tree(pilot).root.children]
    renamed, deleted, last = ids[5], ids[1050], ids[-1]
    with sandbox.state.store.transaction() as conn:
        conn.execute("UPDATE sequences SET title = 'Renamed meanwhile' WHERE id = ?", (renamed,))
        conn.execute("DELETE FROM sequences WHERE id = ?", (deleted,))

    transport.hold = True
    second = cached_app(BASE_URL, transport)
    async with second.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: len(titles(pilot)) == 1100, "the cached listing")
        await pilot.press("G")  # onto the last sequence: on page two
        await until(pilot, lambda: tree(pilot).cursor_node.data.sequence_id == last, "the cursor at the bottom")
        # Page one is in (the rename shows); page two is held back.
        await until(pilot, lambda: "Renamed meanwhile" in str(tree(pilot).sequence_node(renamed).label), "page one")
        assert transport.held.is_set()
        await pilot.pause()  # (not settle: it waits for the listing's worker, held up)
        assert len(titles(pilot)) == 1100  # page two's cached sequences are all still there
        assert tree(pilot).sequence_node(deleted) is not None  # gone only once the listing is complete
        assert tree(pilot).cursor_node.data.sequence_id == last
        assert "cached" in second.sub_title
        transport.release.set()
        await until(pilot, lambda: listed(pilot), "the whole fresh listing")
        await settle(pilot)
        assert len(titles(pilot)) == 1099 and tree(pilot).sequence_node(deleted) is None
        assert second.workspace.sequence(deleted) is None
        assert tree(pilot).cursor_node.data.sequence_id == last
        assert "cached" not in second.sub_title
    sandbox.state.store.close()


# -- the app --------------------------------------------------------------------------------------


@pytest.fixture
def slow_sandbox(tmp_path):
    from tui.sandbox.app import create_app
    from tui.sandbox.testing import running_server

    # Slow enough that a start on a loaded machine draws its cached titles before any answer.
    app = create_app(tmp_path / "slow.sqlite3", latency_ms=2000)
    with running_server(app) as base_url:
        yield app, base_url
    app.state.store.close()


def served(sandbox_app, name: str) -> int:
    return int(sandbox_app.state.requests.snapshot().get(name, 0))


async def test_a_second_start_against_a_slow_server_draws_the_cached_titles_before_any_answer(slow_sandbox):
    sandbox_app, base_url = slow_sandbox
    first = cached_app(base_url)
    async with first.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: listed(pilot), "the first listing")
        shown = titles(pilot)
        await until(pilot, lambda: bool(cache_files()), "the cache file")
    answered = served(sandbox_app, LISTING)

    second = cached_app(base_url)
    async with second.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: bool(titles(pilot)), "the cached titles")
        assert titles(pilot) == shown
        assert served(sandbox_app, LISTING) == answered  # the server has not answered this start yet
        assert "cached" in second.sub_title and " ago" in second.sub_title
        await until(pilot, lambda: listed(pilot), "the fresh listing")
        assert "cached" not in second.sub_title
        assert titles(pilot) == shown

    # --no-cache (and cache = false) shows nothing until the server answers.
    third = cached_app(base_url, cache=False)
    async with third.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert titles(pilot) == []
        await until(pilot, lambda: bool(titles(pilot)), "the listing")


async def test_a_sequence_deleted_meanwhile_leaves_the_tree_without_moving_the_cursor(slow_sandbox):
    sandbox_app, base_url = slow_sandbox
    first = cached_app(base_url)
    async with first.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: listed(pilot), "the first listing")
        await until(pilot, lambda: bool(cache_files()), "the cache file")
        ids = [node.data.sequence_id for node in tree(pilot).root.children]
    deleted, kept = ids[1], ids[3]
    store = sandbox_app.state.store
    with store.transaction() as conn:
        conn.execute("DELETE FROM sequences WHERE id = ?", (deleted,))

    second = cached_app(base_url)
    async with second.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert second.listing_refresh.showing_cached
        for _ in range(3):  # onto the fourth sequence, past the one that is gone
            await pilot.press("j")
        assert tree(pilot).cursor_node.data.sequence_id == kept
        await until(pilot, lambda: listed(pilot), "the fresh listing")
        await settle(pilot)
        now = [node.data.sequence_id for node in tree(pilot).root.children]
        assert deleted not in now and kept in now
        assert tree(pilot).cursor_node.data.sequence_id == kept
        assert second.workspace.sequence(deleted) is None  # not found by a filter either
    # The cache now holds the server's listing.
    assert deleted not in cache_files()[0].read_text()


async def test_an_open_variant_changed_on_the_server_gives_the_conflict_screen_on_save(sandbox_app):
    transport = httpx.ASGITransport(app=sandbox_app)
    first = cached_app(BASE_URL, transport)
    async with first.run_test(size=(120, 40)) as pilot:
        key = await open_variant(pilot, "Founders intro", Channel.EMAIL)
        base = first.workspace.server_copy(key)
    assert key.sequence_id in json.loads(cache_files()[0].read_text())["steps"]

    # A teammate changes the variant; this start's fresh reads of that sequence's steps fail, so
    # the cached copy is what opens and what the edit starts from.
    async with SaleshandyClient(DEMO_API_KEY, BASE_URL, transport=transport) as client:
        await client.update_variant(*key, VariantUpdate(payload={**base.payload, "content": "<p>theirs</p>"}))
    faults = sandbox_app.state.faults
    faults.extend(parse_faults({"faults": [{"status": 503}] * 30, "path": f"/v1/sequences/{key.sequence_id}/"}))

    second = cached_app(BASE_URL, transport)
    async with second.run_test(size=(120, 40)) as pilot:
        opened = await open_variant(pilot, "Founders intro", Channel.EMAIL)
        assert opened == key
        assert second.workspace.server_copy(key).payload["content"] == base.payload["content"]  # cached
        await pilot.press("end")
        await type_text(pilot, " MINE")
        faults.clear()  # the server answers again: the save's re-read sees the teammate's change
        sent_before = await patch_count(sandbox_app)
        await review_and_send(pilot)
        await settle(pilot)
        assert isinstance(second.screen, ConflictScreen), last_note(second)
        assert await patch_count(sandbox_app) == sent_before  # nothing sent before a choice
        assert second.workspace.edited(key).payload["subject"] == base.payload["subject"] + " MINE"


def test_cache_clear_removes_every_cached_listing(capsys) -> None:
    ListingCache("https://a.example", "k-aaaaaa", None).remember_sequences([])
    ListingCache("https://b.example", "k-bbbbbb", "work").remember_sequences([])
    assert len(cache_files()) == 2
    assert main(["cache", "clear"]) == 0
    assert cache_files() == []
    assert "Removed 2 cached listings" in capsys.readouterr().out


async def test_cache_false_in_the_config_turns_it_off(slow_sandbox, monkeypatch, tmp_path) -> None:
    from tui.config.paths import config_dir

    (config_dir() / "config.toml").write_text("cache = false\n")
    _sandbox_app, base_url = slow_sandbox
    app = cached_app(base_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: bool(titles(pilot)), "the listing")
        await asyncio.sleep(0.1)
    assert app.listing_refresh.cache is None
    assert cache_files() == []


def test_an_invalid_cache_setting_reads_as_false_and_says_so() -> None:
    from tui.config import effective, load_config
    from tui.config.paths import config_dir

    (config_dir() / "config.toml").write_text('cache = "yes please"\n[profiles.work]\ncache = false\n')
    config = load_config()
    assert effective(config).cache is False
    assert any("cache" in message and "false" in message for message in config.messages), config.messages
    (config_dir() / "config.toml").write_text("[profiles.work]\ncache = false\n")
    config = load_config()
    assert effective(config).cache is True and effective(config, "work").cache is False


async def test_an_unsaved_edit_comes_back_on_a_cached_start(sandbox_app):
    # After a cached start's first frame the client is built while the right side mounts; the
    # client came while the drafts were not open yet, and the restored draft's sequence was never
    # loaded: the title counted "1 unsaved" and the tree never showed it.
    transport = httpx.ASGITransport(app=sandbox_app)
    first = cached_app(BASE_URL, transport)
    async with first.run_test(size=(120, 40)) as pilot:
        key = await open_variant(pilot, "Founders intro", Channel.EMAIL)
        await pilot.press("end")
        await type_text(pilot, " KEPT")
        await until(pilot, lambda: first.workspace.is_dirty(key), "the edit")
        await settle(pilot)

    second = cached_app(BASE_URL, transport)
    async with second.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: second.workspace.has(key) and second.workspace.is_dirty(key), "the draft back")
        assert second.workspace.edited(key).payload["subject"].endswith(" KEPT")
        await until(pilot, lambda: "*" in str(tree(pilot).sequence_node(key.sequence_id).label), "the tree's mark")
        assert "1 unsaved" in second.sub_title


async def test_a_sequence_opened_before_the_client_is_built_loads_once_it_is(sandbox_app):
    # A key typed ahead of a cached start can be handled before the client exists (it is built
    # after the first frame): the open used to be dropped, and the sequence stayed "loading…".
    from tui.widgets import messages as m

    transport = httpx.ASGITransport(app=sandbox_app)
    first = cached_app(BASE_URL, transport)
    async with first.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: listed(pilot), "the first listing")
        await until(pilot, lambda: bool(cache_files()), "the cache file")

    second = cached_app(BASE_URL, transport)
    async with second.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: listed(pilot) and second.client is not None, "the fresh listing")
        await settle(pilot)
        client, second.client = second.client, None  # as at the instant before it is built
        node = tree(pilot).root.children[0]
        await pilot.press("l")
        assert node.is_expanded and second.workspace.steps(node.data.sequence_id) is None
        second.client = client
        second.screen.post_message(m.ClientReady())
        await until(pilot, lambda: second.workspace.steps(node.data.sequence_id) is not None, "the steps")
        ident = node.data.sequence_id  # the ClientReady reads the listing again: nodes are rebuilt

        def shows_steps() -> bool:
            shown = tree(pilot).sequence_node(ident)
            return shown is not None and any(child.data.kind == "step" for child in shown.children)

        await until(pilot, shows_steps, "the steps in the tree")
