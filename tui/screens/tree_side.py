"""The main screen's tree side: the sequences, their steps and variants, from the server to the tree.

A part of :class:`tui.screens.main_screen.MainScreen` (:mod:`tui.screens.main_part`). Every
read runs in one of the screen's workers and comes back as a message
(:mod:`tui.widgets.messages`); the screen hands each to this part, which puts what arrived into
the workspace first, then into the tree. The filter, the order (``o``), reload (``r``), the steps
loaded ahead of the cursor and the moves the palette asks for live here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.api.errors import ApiError
from tui.screens.main_part import MainScreenPart, error_text
from tui.session.prefetch import Prefetcher
from tui.session.workspace import VariantKey, step_place
from tui.text.safe_text import one_line
from tui.widgets import messages as m
from tui.widgets.sequence_tree import NodeRef

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.widgets.tree import TreeNode

    from tui.api.client import SaleshandyClient
    from tui.api.models import Sequence, Step
    from tui.api.responses import Listing
    from tui.screens.main_screen import MainScreen

FILTER_DEBOUNCE = 0.4  # seconds of quiet typing before the server is asked


class TreeSide(MainScreenPart):
    """Loads sequences → steps → variants into the workspace and the tree (see the module docstring)."""

    def __init__(self, screen: MainScreen) -> None:
        super().__init__(screen)
        self._filter_timer: Timer | None = None
        self.filter_query = ""  # the filter as typed (stripped); "" shows every sequence
        self._listing_started = False
        self._prefetch: Prefetcher[Listing[Step]] | None = None
        self._prefetch_client: object | None = None
        self._sequence_sort: str | None = None  # the config's sequence_sort until o changes it
        self._cached_rows: list[str] | None = None  # sequences drawn from cached rows, not yet as models
        # Steps asked for before the client was built (a key typed ahead of a cached start's first
        # frame): sequence id → whether a prefetched result will do. Loaded once the client is there.
        self._steps_asked_early: dict[str, bool] = {}

    def reload_hint(self) -> str:
        """The reload key as the footer shows it (after any keymap)."""
        return self.screen.key_hint("reload", "reload")

    # -- the listing ------------------------------------------------------------------------------

    def show_cached_listing(self) -> None:
        """The last known listing at once, before any answer (tui/session/listing_cache.py):
        its rows first, before the API models are imported (benchmarks: network); read into
        models right after that frame (:meth:`adopt_cached_listing`)."""
        cached = self.app.listing_refresh.start()
        if cached is None:
            return
        self._cached_rows = [row.id for row in cached.rows]
        self.tree.set_sequences(cached.rows)
        # Before the right side mounts after that frame: it opens the drafts, which look for
        # their sequences in the workspace.
        self.app.after_next_frame(self.adopt_cached_listing)
        self.screen.start_done_soon()

    def adopt_cached_listing(self) -> None:
        """The cached listing as models: into the workspace, and the tree's rows redrawn from
        them (the same labels); a row whose sequence no longer reads as a model goes. Once, and
        before anything that reads the workspace's sequences (a fresh page, the filter)."""
        rows, self._cached_rows = self._cached_rows, None
        if rows is None:
            return
        cached = self.app.listing_refresh.cached
        if cached is None:  # none of it reads as a sequence any more: as if nothing were cached
            self.tree.show_message("loading sequences…")
            self.screen.update_title()
            return
        self.workspace.add_sequences(cached.sequences)
        self.tree.update_sequences(cached.sequences)
        read = {sequence.id for sequence in cached.sequences}
        self.tree.remove_sequences([ident for ident in rows if ident not in read])

    def start_listing(self) -> None:
        """Start the unfiltered listing before :class:`m.ClientReady` is handled (see
        :meth:`MainScreen.start_listing`); :meth:`client_ready` does not start it again."""
        self._listing_started = True
        self.load_sequences("")

    def client_ready(self) -> None:
        """The client is there: the listing (unless already started)."""
        if not self.app.listing_refresh.showing_cached:  # else the cached titles stay meanwhile
            self.tree.show_message("loading sequences…")
        if not self._listing_started:
            self.load_sequences("")
        self._listing_started = False  # a later ClientReady (a reconnect) loads afresh
        asked, self._steps_asked_early = self._steps_asked_early, {}
        for sequence_id, prefetched in asked.items():
            self.load_steps(sequence_id, prefetched=prefetched)

    def client_failed(self, message: m.ClientFailed) -> None:
        self.tree.show_message(f"Could not connect: {message.text} — {self.reload_hint()} to retry")
        self.notify(message.text, title="Could not connect", severity="error", markup=False)
        self.screen.start_done_soon()

    def load_sequences(self, query: str) -> None:
        """Page after page of sequences (matching ``query`` on the server when given), in the
        screen's one listing worker (a new listing replaces the one running)."""
        client = self.app.client
        if client is None:
            return
        self.run_worker(self._load_sequences(client, query), group="sequences", exclusive=True)

    async def _load_sequences(self, client: SaleshandyClient, query: str) -> None:
        from tui.api.scheduler import background  # start-up: not before the first frame
        from tui.config.model import SEQUENCE_SORT_QUERY

        post = self.screen.post_message
        sort, sort_by, _name = SEQUENCE_SORT_QUERY[self.sequence_sort]
        first = True
        try:
            with background():  # an open or a save goes before the next page (tui/api/scheduler.py)
                async for page in client.iter_sequence_pages(name=query or None, sort=sort, sort_by=sort_by):
                    post(m.SequencesPageLoaded(list(page.items), query=query, first=first, last=False))
                    for error in page.errors:
                        post(m.SequencesFailed(error))
                    first = False
        except ApiError as exc:
            post(m.SequencesFailed(error_text(exc)))
            return
        post(m.SequencesPageLoaded([], query=query, first=first, last=True))

    @property
    def sequence_sort(self) -> str:
        """The listing's order: the config's ``sequence_sort`` until ``o`` changes it."""
        if self._sequence_sort is None:
            from tui.config.model import SEQUENCE_SORT_QUERY
            from tui.config.preferences import configured_sequence_sort

            wanted = configured_sequence_sort(self.app)
            self._sequence_sort = wanted if wanted in SEQUENCE_SORT_QUERY else "created-desc"
        return self._sequence_sort

    def cycle_sort(self) -> None:
        """List the sequences in the next order (for this session; sequence_sort sets the first)."""
        from tui.config.model import SEQUENCE_SORT_QUERY, next_sequence_sort

        self._sequence_sort = next_sequence_sort(self.sequence_sort)
        self.notify(f"Sequences: {SEQUENCE_SORT_QUERY[self._sequence_sort][2]}", markup=False, timeout=3)
        if self.app.client is not None:
            self.load_sequences(self.filter_query)

    def sequences_page(self, message: m.SequencesPageLoaded) -> None:
        self.adopt_cached_listing()
        self.workspace.add_sequences(message.sequences)
        for screen in self.app.screen_stack:  # review mode's heading names the sequence
            if screen is not self.screen:
                screen.post_message(m.SequencesShown())
        refresh = self.app.listing_refresh
        was_cached = refresh.showing_cached
        update = refresh.fresh_page(message.sequences, query=message.query, first=message.first, last=message.last)
        self.workspace.forget_sequences(update.gone)
        if was_cached and not refresh.showing_cached:
            self.screen.update_title()
        if message.query != self.filter_query:
            return
        if message.first and message.query:
            # What matched locally, plus whatever the server matched that the local test missed.
            local = self.workspace.filter_sequences(message.query)
            known = {sequence.id for sequence in local}
            self.tree.set_sequences(local + [s for s in message.sequences if s.id not in known])
        elif message.query:
            self.tree.add_sequences(message.sequences)
        else:  # merged into what the tree shows (tui.session.listing_cache.ListingRefresh)
            if update.rebuild is not None:
                self.tree.set_sequences(update.rebuild)
            self.tree.update_sequences(update.add)
            self.tree.remove_sequences(update.gone)
        if message.last and not self.tree.root.children:
            self.tree.show_message("No sequences match." if message.query else "This account has no sequences yet.")
        if message.first or message.last:
            self.screen.start_done_soon()

    def sequences_failed(self, message: m.SequencesFailed) -> None:
        if not self.tree.root.children or self.tree.root.children[0].data in (None, NodeRef("error", "")):
            self.tree.show_message(f"{message.text} — {self.reload_hint()} to retry")
        self.notify(message.text, title="Sequences", severity="error", markup=False)
        self.screen.start_done_soon()

    # -- steps and variants -------------------------------------------------------------------------

    @property
    def prefetch(self) -> Prefetcher[Listing[Step]] | None:
        """Steps loaded ahead of the cursor (tui/session/prefetch.py), for the current client."""
        client = self.app.client
        if client is None:
            return None
        if self._prefetch is None or self._prefetch_client is not client:
            if self._prefetch is not None:
                self._prefetch.stop()  # a new connection: the old one's loads are not wanted
            self._prefetch, self._prefetch_client = Prefetcher(client.list_steps), client
        return self._prefetch

    def cursor_moved(self, node: TreeNode[NodeRef]) -> None:
        prefetch = self.prefetch
        if prefetch is not None:
            prefetch.want(self.tree.sequences_near(node))

    def load_steps(self, sequence_id: str, *, prefetched: bool = False) -> None:
        """Load a sequence's steps in a worker of its own (one per sequence); ``prefetched``:
        a result prefetch already holds will do (a reload asks the server)."""
        client = self.app.client
        if client is None:  # not built yet: loaded when it is (client_ready)
            self._steps_asked_early[sequence_id] = self._steps_asked_early.get(sequence_id, True) and prefetched
            return
        self.tree.show_loading(sequence_id)
        self.run_worker(self._load_steps(client, sequence_id, prefetched), group=f"steps-{sequence_id}", exclusive=True)

    async def _load_steps(self, client: SaleshandyClient, sequence_id: str, prefetched: bool = False) -> None:
        post = self.screen.post_message
        prefetch = self.prefetch
        cached = self.app.listing_refresh.cached_steps(sequence_id) if prefetched else None
        if cached is not None:  # shown now; the server's copy replaces it when it comes
            post(m.StepsLoaded(sequence_id, cached, []))
        try:
            listing = await prefetch.take(sequence_id) if prefetched and prefetch is not None else None
            if prefetch is not None:
                prefetch.forget(sequence_id)
            if listing is None:
                listing = await client.list_steps(sequence_id)
        except ApiError as exc:
            if cached is None:
                post(m.StepsFailed(sequence_id, error_text(exc)))
            else:  # the cached steps stay on screen; a save re-reads before sending anyway
                self.notify(f"Showing cached steps: {error_text(exc)}", severity="warning", markup=False)
            return
        post(self._fresh_steps(sequence_id, listing))

    def _fresh_steps(self, sequence_id: str, listing: Listing[Step]) -> m.StepsLoaded:
        """The server's steps of a sequence: kept in the listing cache, and the message that shows them."""
        self.app.listing_refresh.fresh_steps(sequence_id, list(listing.items))
        errors = list(listing.errors) + [e for step in listing.items for e in step.load_errors]
        return m.StepsLoaded(sequence_id, list(listing.items), errors)

    def steps_at_hand(self, sequence_id: str) -> bool:
        """The tree's :attr:`SequenceTree.steps_at_hand`: the steps prefetch holds, shown now, in
        the frame that expands the sequence (no "loading…" frame, no message hops); False when it
        holds none or the right side is not up yet (then StepsWanted loads them as ever)."""
        prefetch = self.prefetch
        if prefetch is None or not self.screen.right_side_up:
            return False
        listing = prefetch.take_ready(sequence_id)
        if listing is None:
            return False
        self.app.listing_refresh.cached_steps(sequence_id)  # the server's copy is in hand: not shown
        self.screen.show_steps(self._fresh_steps(sequence_id, listing))
        return True

    def steps_loaded(self, message: m.StepsLoaded) -> None:
        self.workspace.set_steps(message.sequence_id, message.steps)
        self.tree.show_steps(message.sequence_id, message.errors)
        self.tree.refresh_labels(message.sequence_id)

    def steps_failed(self, message: m.StepsFailed) -> None:
        node = self.tree.sequence_node(message.sequence_id)
        if node is not None and any(getattr(child.data, "kind", None) == "step" for child in node.children):
            self._reload_failed(message.sequence_id, message.text)
            return
        self.tree.show_error(message.sequence_id, message.text, retry_hint=self.reload_hint())

    def _reload_failed(self, sequence_id: str, text: str, where: str = "") -> None:
        """A re-read failed where the copy read before still stands: it stays in the tree (and in
        the form), and the failure is said in a notification. A failed reload replaced loaded
        variants with an error node, cut to the pane (issue 13)."""
        sequence = self.workspace.sequence(sequence_id)
        title = one_line(sequence.title, 60) if sequence is not None else sequence_id
        self.notify(
            f"{text}\nShowing what was read before; {self.reload_hint()} tries again.",
            title=f"Reload failed: {title}{where}",
            severity="error",
            markup=False,
        )

    def load_variants(self, sequence_id: str, step_id: str) -> None:
        """Re-read one step's variants."""
        client = self.app.client
        if client is None:
            return
        self.run_worker(self._load_variants(client, sequence_id, step_id), group=f"variants-{step_id}", exclusive=True)

    async def _load_variants(self, client: SaleshandyClient, sequence_id: str, step_id: str) -> None:
        try:
            listing = await client.list_variants(sequence_id, step_id)
        except ApiError as exc:
            self.screen.post_message(m.VariantsFailed(sequence_id, step_id, error_text(exc)))
            return
        self.screen.post_message(m.VariantsLoaded(sequence_id, step_id, list(listing.items), list(listing.errors)))

    def variants_loaded(self, message: m.VariantsLoaded) -> None:
        self.workspace.set_variants(message.sequence_id, message.step_id, message.variants)
        self.tree.show_step_variants(message.sequence_id, message.step_id, message.errors)

    def variants_failed(self, message: m.VariantsFailed) -> None:
        if self.workspace.variant_keys(message.sequence_id, message.step_id):
            step = self.workspace.step(message.sequence_id, message.step_id)
            where = f" › {step_place(step)}" if step is not None else ""
            self._reload_failed(message.sequence_id, message.text, where)
            return
        self.tree.show_error(message.sequence_id, message.text, step_id=message.step_id, retry_hint=self.reload_hint())

    # -- filter, reload, moves ----------------------------------------------------------------------

    def filter_changed(self, value: str) -> None:
        """The filter as typed: the loaded sequences that match now, the server's after a pause."""
        query = value.strip()
        self.filter_query = query
        self.adopt_cached_listing()  # the filter reads the workspace's sequences
        self.tree.set_sequences(self.workspace.filter_sequences(query))
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.screen.set_timer(FILTER_DEBOUNCE, lambda: self.load_sequences(query))

    def reload(self) -> None:
        """Read the row under the cursor again (the listing, a sequence's steps, a step's variants)."""
        node = self.tree.cursor_node
        ref: NodeRef | None = node.data if node is not None else None
        if self.app.client is None:  # the connection itself failed: try it again
            self.tree.show_message("connecting…")
            self.app.connect()
            return
        if ref is None or not ref.sequence_id:
            self.tree.show_message("loading sequences…")
            self.load_sequences(self.filter_query)
            return
        if ref.kind in ("sequence", "loading", "empty") or (ref.kind == "error" and ref.step_id is None):
            self.load_steps(ref.sequence_id)
        elif ref.step_id is not None:
            self.load_variants(ref.sequence_id, ref.step_id)
        self.notify("Reloading…", markup=False, timeout=2)

    def reveal_sequence(self, sequence: Sequence) -> None:
        """Show a sequence found on the server (the palette) in the tree, and move to it."""
        self.workspace.add_sequences([sequence])
        if self.tree.sequence_node(sequence.id) is None:
            self.tree.add_sequences([sequence])  # at the end, under any filter: it was asked for
        self.call_after_refresh(self.jump_to, sequence.id)

    def jump_to(self, target: Any, *, focus_tree: bool = True) -> None:
        """Move the tree cursor to a sequence id, a (sequence, step) pair or a VariantKey (which
        opens); the keys go to the tree unless ``focus_tree`` is False."""
        tree = self.tree
        if isinstance(target, VariantKey):
            node = tree.variant_node(target)
            if node is None:
                return
            tree.expand_above(node)
            self.call_after_refresh(tree.move_to, node)
            self.screen.editing.open_variant(target, focus=False)
        elif isinstance(target, tuple):
            node = tree.step_node(*target)
            if node is not None:
                tree.expand_above(node)
                self.call_after_refresh(tree.move_to, node)
        else:
            node = tree.sequence_node(target)
            if node is not None:
                node.expand()
                self.call_after_refresh(tree.move_to, node)
        if focus_tree:
            tree.focus()
