"""The seqedit Textual app: holds the account, the client and the workspace; screens do the rest."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tui.session.workspace import VariantKey, Workspace

if TYPE_CHECKING:
    from textual.app import SystemCommand
    from textual.message import Message
    from textual.notifications import SeverityLevel

    from tui.api.client import SaleshandyClient
    from tui.config import Settings
    from tui.screens.main_screen import MainScreen


# Start-up (benchmarks: startup): the first page of a listing normally arrives a few tens of
# milliseconds after the screen is up. Laying out and drawing "connecting…" and "loading…" first
# cost about as much again and only flash by; the first paint waits for the first sequences (or
# the reason there are none), but never longer than this, so a slow connection still shows its
# loading state promptly. Keys typed meanwhile are handled as ever: only painting waits.
FIRST_PAINT_HOLD = 0.1
# Restored drafts are compared with the server's copy as their sequences load; the notice saying
# which are back waits for that, but no longer than this.
RESTORE_REPORT_AT_LATEST = 8.0
# Every this many journal ticks (seconds), look whether another window opened a variant this one has open.
WINDOWS_CHECK_EVERY = 3
# Keys whose first destination is remembered (SeqEditApp._on_key): a burst is far shorter.
KEYS_REMEMBERED = 64


class SeqEditApp(App[None]):
    """Browse sequences → steps → variants, edit a variant, review the PATCH, save.

    ``client_factory`` builds the API client (called once, right after the first screen is up);
    tests pass one over the in-process sandbox. Without it the client comes from
    ``tui.session.connect.open_client(account, reset_demo=reset_demo)``. ``no_key_message`` shows the
    no-key screen instead of the editor.
    """

    TITLE = "seqedit"
    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,ctrl+q", "quit", "Quit", id="quit"),
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("ctrl+p", "command_palette", "Palette", show=False, id="command-palette"),
        # $EDITOR and clipboard (tui.terminal.external_editor, tui.terminal.clipboard). Keys free in Input/TextArea.
        Binding(
            "ctrl+g",
            "open_in_editor",
            "$EDITOR",
            tooltip="Edit the focused field in $VISUAL/$EDITOR",
            id="open-in-editor",
        ),
        Binding(
            "ctrl+t",
            "copy_field",
            "Copy field",
            show=False,
            tooltip="Copy the focused field to the clipboard",
            id="copy-field",
        ),
        Binding(
            "y",
            "copy_variant_json",
            "Copy JSON",
            show=False,
            tooltip="Copy the open variant as JSON",
            id="copy-variant-json",
        ),
    ]

    def __init__(
        self,
        account: Any = None,
        *,
        read_only: bool = False,
        client_factory: Callable[[], SaleshandyClient] | None = None,
        reset_demo: bool = False,
        no_key_message: str | None = None,
        review_sequence: str | None = None,
        first_paint_hold: float | None = None,
        save_time_limit: float | None = None,
        cache: bool = True,
        settings: Settings | None = None,
        config_problems: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self._main: MainScreen | None = None  # the editor's screen, made by get_default_screen
        from tui.screens.palette_provider import ActionProvider, JumpProvider

        self.COMMANDS = App.COMMANDS | {JumpProvider, ActionProvider}  # type: ignore[misc]  # per instance: the providers import the screens, which start-up imports later
        self.account = account
        self.read_only = read_only
        self.workspace = Workspace()
        self.client: SaleshandyClient | None = None
        self.assignees: list[Any] = []
        # Reads that failed for want of the server (read_again_when_online): run once it answers.
        self._read_again: list[Callable[[], Any]] = []
        self._client_factory = client_factory
        self._reset_demo = reset_demo
        self._no_key_message = no_key_message
        self._checks: Any = None
        self.review_sequence = review_sequence  # `seqedit review --sequence ID` opens review mode
        # Seconds a save may take in all (None: tui.session.save_flow.SAVE_TIME_LIMIT).
        self.save_time_limit = save_time_limit
        self.drafts: Any = None  # tui.session.draft_keeper.DraftKeeper once the drafts file is open
        self._drafts_opened = False
        self._restored: list[Any] | None = None  # restored drafts not yet reported
        self._unreadable: dict[str, str] = {}  # restored drafts' sequences that failed to load: why
        self._no_client = False  # the client could not be built: nothing will load
        self._flushes = 0
        self._drafts_off: str | None = None  # why the drafts file could not be opened at all
        self.connection_state = "connecting"  # tui.widgets.connection_status
        self._frame_waiters: list[Callable[[], Any]] = []
        # Seconds the first paint may wait for the first sequences (None: as on a terminal,
        # FIRST_PAINT_HOLD there and none headless; tests pass it to exercise the hold).
        self._paint_hold_for = first_paint_hold
        # Each screen's focused widget while the terminal is too small (see _check_resize).
        self._focus_before_small: dict[Screen, Any] = {}
        # Error toasts raised while the connection indicator said offline: withdrawn once a
        # request succeeds again (_api_event), so no toast says the server is unreachable under
        # an indicator that says online.
        self._offline_toasts: list[Any] = []
        # Each recent key and the widget Textual sent it to (see _on_key).
        self._key_sent_to: dict[events.Key, Any] = {}
        self._paint_held = False
        self.crash_report: Any = None  # the report's Path (or None) once an unhandled error ended the app
        self.crashed = False
        self._cache_wanted = cache  # False: --no-cache
        # The config's effective settings (tui.config.Settings) and its problems, as the account
        # was resolved from them (tui.commands.app.build_app); None: read by tui.config.preferences.
        self.settings = settings
        self.config_problems = tuple(config_problems)
        self._listing_refresh: Any = None
        from tui.screens.toast_hold import ToastHold

        self._toast_hold = ToastHold(self)  # toasts wait while a dialog is up
        from tui.config.preferences import prepare_theme

        # Chosen in on_mount, the theme re-parsed every stylesheet and restyled the screen once
        # more before the first frame (benchmarks: startup); now the first styles are its own.
        self._theme_problems = prepare_theme(self)
        self._fit_no_color_filter()

    # -- crashes (issue 18.1, 18.14) -------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """An unhandled error ends the app, as in Textual, but the traceback goes to a private
        report (without locals: Textual's shows them, and the key sits in the client's frames)."""
        from textual.worker import WorkerFailed

        from tui.terminal.crash_report import write_report

        if not self.crashed:
            self.crashed = True
            cause = error.error if isinstance(error, WorkerFailed) else error
            self._crash_error = cause
            self.crash_report = write_report(cause, command="app")
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Textual's own prints a traceback with local variables: one line instead (once)."""
        from rich.text import Text

        from tui.terminal.crash_report import short_message

        if not self._exit_renderables:
            self.bell()
            error = getattr(self, "_crash_error", None) or RuntimeError("unknown")
            self._exit_renderables.append(Text(short_message(error, self.crash_report)))
        self._close_messages_no_wait()

    @property
    def checks(self) -> Any:
        """Findings per variant for the panel, the tree marks and the save review (issue 4):
        a :class:`tui.session.variant_checks.VariantChecks`, made when first asked for (the rules
        engine's import waits until a variant is shown)."""
        if self._checks is None:
            from tui.session.variant_checks import VariantChecks

            self._checks = VariantChecks(self.workspace)
        return self._checks

    @property
    def account_label(self) -> str:
        """Which account this is, for the sub-title (never the key)."""
        account = self.account
        if account is None:
            return "no account"
        if getattr(account, "demo", False):
            if self._client_factory is not None:  # a sandbox of the caller's own (tests)
                return "demo sandbox"
            # The demo's file outlives the run: said, so a saved edit coming back is no surprise.
            return "demo sandbox (rebuilt)" if self._reset_demo else "demo sandbox (saves kept)"
        profile = getattr(account, "profile", None)
        return f"profile {profile}" if profile else str(getattr(account, "base_url", "account"))

    @property
    def listing_refresh(self) -> Any:
        """The last known listing of this account and its refresh
        (:class:`tui.session.listing_cache.ListingRefresh`; it caches nothing when caching is off)."""
        if self._listing_refresh is None:
            from tui.config.preferences import configured_cache
            from tui.session.listing_cache import ListingRefresh, for_account

            enabled = self._cache_wanted and configured_cache(self)
            self._listing_refresh = ListingRefresh(for_account(self.account, enabled=enabled))
        return self._listing_refresh

    def get_default_screen(self) -> Screen:
        """The main screen is the first screen: no blank screen is composed, drawn and then
        switched away from before it (benchmarks: startup)."""
        if self._no_key_message is not None:
            return super().get_default_screen()
        from tui.screens.main_screen import MainScreen

        self._main = MainScreen()
        return self._main

    @property
    def main_screen(self) -> MainScreen | None:
        """The editor's screen (None on the no-key screen), wherever it is in the stack: the one
        way other screens reach it, to read it or to post it a message (:meth:`tell_main_screen`)."""
        return self._main

    def tell_main_screen(self, message: Message) -> bool:
        """Post ``message`` to the main screen; False when there is none."""
        main = self._main
        if main is None:
            return False
        main.post_message(message)
        return True

    def on_mount(self) -> None:
        import os

        from tui.config.preferences import apply_preferences

        if os.environ.get("SEQEDIT_BENCH_EXIT_WHEN_READY") == "1":
            self._arm_bench_hook()

        self.screen_change_signal.subscribe(self, self._toast_hold.screen_changed)
        self.theme_changed_signal.subscribe(self, lambda _theme: self._fit_no_color_filter())
        apply_preferences(self, self._theme_problems)  # keymap; all problems in one notification
        for notice in getattr(self.account, "notices", ()) or ():  # said once, at start
            self.notify(notice, title="Account", markup=False, timeout=10)
        if not self.is_headless:
            import asyncio

            from tui.terminal import hangup

            hangup.install(asyncio.get_running_loop(), self._flush_before_exit, self.exit, self._leave_drafts)
        if self._no_key_message is None:
            self._hold_first_paint()
        if self._no_key_message is not None:
            from tui.screens.no_key_screen import NoKeyScreen

            self.push_screen(NoKeyScreen(self._no_key_message))
            return
        if self.review_sequence:
            from tui.screens.review_mode import ReviewModeScreen

            self.push_screen(ReviewModeScreen(self.review_sequence))
            self.open_drafts()  # review mode shows them from the start
        # Otherwise the main screen opens the drafts with its right side, after its first frame:
        # restored drafts wait for their variants to load anyway.
        if not self.review_sequence and self.listing_refresh.start() is not None:
            # The last known listing is drawn first (benchmarks: network); the client, whose
            # HTTP client sets up TLS, is built right after that frame, not before it.
            self._frame_waiters.append(self.connect)
        else:
            self.connect()

    @work(exclusive=True, group="connect")
    async def connect(self) -> None:
        """Build the client behind the first screen, then tell the main screen."""
        from tui.widgets import messages as m

        try:
            if self._client_factory is not None:
                client = self._client_factory()
            else:
                from tui.session.connect import open_client

                client = open_client(self.account, reset_demo=self._reset_demo)
                self._tell_demo_data()
        except Exception as exc:  # any failure to connect is shown, never a traceback
            from tui.text.safe_text import one_line

            self.screen.post_message(m.ClientFailed(one_line(str(exc) or type(exc).__name__, 300)))
            return
        self._watch_client(client)
        self.client = client
        main = self.main_screen
        if main is not None:
            main.post_message(m.ClientReady())
            # Now, while the screen may still be mounting: its first frame can show sequences.
            main.start_listing()

    def _tell_demo_data(self) -> None:
        """Say where the demo's data lives and that it is kept (or that it was rebuilt): both
        went unsaid, and saves from an earlier run came back unexplained (issue 13)."""
        if not getattr(self.account, "demo", False):
            return
        from tui.session.connect import demo_db_path
        from tui.text.safe_text import one_line

        where = one_line(str(demo_db_path()), 200)
        if self._reset_demo:
            text = f"Demo data rebuilt from scratch in {where}."
        else:
            text = f"Demo data is kept between runs in {where}; seqedit --demo-reset rebuilds it."
        self.notify(text, title="Demo sandbox", markup=False, timeout=8)

    # -- drafts and the connection indicator (issue 6) ------------------------------------------

    @property
    def drafts_account(self) -> str:
        """The non-secret label this account's drafts are filed under (never the key)."""
        from tui.drafts import account_label

        account = self.account
        return account_label(
            profile=getattr(account, "profile", None),
            base_url=getattr(account, "base_url", None),
            demo=bool(getattr(account, "demo", False)),
        )

    def open_drafts(self) -> None:
        """Open the drafts file, reopen this account's drafts, and journal every edit from now on
        (once: later calls do nothing)."""
        if self._drafts_opened:
            return
        self._drafts_opened = True
        from tui.drafts import DraftStore, DraftStoreError
        from tui.session.draft_keeper import DraftKeeper
        from tui.text.safe_text import one_line

        try:
            store = DraftStore()
        except (DraftStoreError, OSError) as exc:
            self._drafts_off = f"Drafts are off: {one_line(exc, 300)}"
            self.notify(
                f"{self._drafts_off}\nEdits are kept only while seqedit runs.",
                title="Drafts",
                severity="error",
                markup=False,
                timeout=20,
            )
            self.show_drafts_state()
            return
        keeper = DraftKeeper(self.workspace, store, self.drafts_account)
        keeper.locate = lambda key: self.main_screen.where_in_form(key) if self.main_screen else (None, None)
        self.drafts = keeper
        try:
            restored = keeper.restore()
        except DraftStoreError as exc:
            self.notify(
                f"Could not read the drafts: {one_line(exc, 300)}", title="Drafts", severity="error", markup=False
            )
            restored = []
        self._problems_shown = 0
        self._show_store_problems()
        self._mark_new_variants()
        if restored:
            self._main_screen().update_title()  # they count as unsaved before their sequences load
            # Said once each draft has been compared with the server's copy (its sequence loads
            # at once), or after RESTORE_REPORT_AT_LATEST if the server is slow.
            self._restored = restored
            if keeper.waiting() and not self._no_client:
                self.set_timer(RESTORE_REPORT_AT_LATEST, self.report_restored, name="drafts-restored")
            else:
                self.report_restored()
        # At most one second of typing is ever only in memory.
        self.set_interval(1.0, self._flush_drafts, name="drafts-journal")

    def _mark_new_variants(self) -> None:
        """New variants come back with their drafts at once (not when their step loads): mark
        their sequences in the tree and the title now (tui.session.new_variants)."""
        from textual.css.query import NoMatches

        if not self.workspace.new_keys():
            return
        screen = self._main_screen()
        try:
            tree = screen.tree
        except (AttributeError, NoMatches):
            return  # not drawn yet: the labels are drawn with the marks
        for sequence_id in {key.sequence_id for key in self.workspace.new_keys()}:
            tree.refresh_labels(sequence_id)
        screen.update_title()

    def on_steps_failed(self, message: Any) -> None:
        """A restored draft's sequence could not be read (a refused key, a server down): once
        every waiting draft's sequence has failed, nothing more will arrive, so the drafts notice
        is said now, not after RESTORE_REPORT_AT_LATEST (issue 13)."""
        keeper = self.drafts
        if self._restored is None or keeper is None:
            return
        waiting = {key.sequence_id for key in keeper.waiting()}
        if message.sequence_id in waiting:
            self._unreadable[message.sequence_id] = message.text
        if waiting and waiting <= self._unreadable.keys():
            self.report_restored()

    def on_client_failed(self, message: Any) -> None:
        """No client: no sequence will load, so the drafts notice need not wait (issue 13)."""
        self._no_client = True
        self.report_restored()

    def report_restored(self) -> None:
        """Say which drafts of an earlier session are back and which the server already had
        (saved, then the process died before it could say so); once."""
        keeper, restored = self.drafts, self._restored
        if keeper is None or restored is None:
            return
        self._restored = None
        from tui.drafts import DraftStoreError

        saved = list(keeper.already_saved)
        unchecked = len(keeper.waiting())
        back = len(restored) - len(saved) - len(keeper.held_nothing)
        if back > 0:
            why = "could not be read" if self._unreadable or self._no_client else "did not load"
            later = (
                f" ({unchecked} not compared with the server yet: their sequences {why})"
                if unchecked
                else ", marked * in the tree"
            )
            try:
                copies = sum(not keeper.mine(d) for d in keeper.store.drafts(keeper.account))
            except DraftStoreError:  # only a count for the notice
                copies = 0
            other = f" D also lists {copies} other cop{'y' if copies == 1 else 'ies'} to choose from." if copies else ""
            self.notify(
                f"{back} unsaved draft(s) from an earlier session are back{later}. Press D to list them.{other}",
                title="Drafts",
                markup=False,
                timeout=10,
            )
        if saved:
            from tui.text.safe_text import one_line

            names = "; ".join(one_line(self.workspace.describe(key), 80) for key in saved[:3])
            more = f" and {len(saved) - 3} more" if len(saved) > 3 else ""
            self.notify(
                f"{len(saved)} draft(s) from an earlier session were already saved on the server: {names}{more}. "
                "The save was recorded in the history (H) and the draft removed.",
                title="Drafts",
                markup=False,
                timeout=15,
            )

    def _flush_before_exit(self) -> None:
        if self.drafts is not None:
            self.drafts.flush()

    def _leave_drafts(self) -> None:
        """After a hang-up, just before the process ends: this window's drafts are free for the next start."""
        if self.drafts is not None:
            self.drafts.close()

    def _show_store_problems(self) -> None:
        """Each of the store's findings (a damaged file moved aside, a deleted one created
        again), once."""
        from tui.text.safe_text import one_line

        problems = self.drafts.store.problems
        for problem in problems[self._problems_shown :]:
            self.notify(
                one_line(problem[:1].upper() + problem[1:], 400),
                title="Drafts",
                severity="warning",
                markup=False,
                timeout=20,
            )
        self._problems_shown = len(problems)

    def _flush_drafts(self) -> None:
        keeper = self.drafts
        if keeper is None:
            return
        shown = len(keeper.problems)
        was_failing = keeper.failing
        keeper.flush()
        from tui.text.safe_text import one_line

        for problem in keeper.problems[shown:]:
            self.notify(
                f"Could not write a draft: {one_line(problem, 300)}\nYour edits are kept in memory; "
                "seqedit tries again every second.",
                title="Drafts",
                severity="error",
                markup=False,
                timeout=20,
            )
        self._show_store_problems()
        self._flushes += 1
        if self._flushes % WINDOWS_CHECK_EVERY == 0:
            self._tell_newcomers()
        if was_failing and keeper.failing is None:
            self.notify("Drafts are written to disk again.", title="Drafts", markup=False)
        if was_failing != keeper.failing:
            self.show_drafts_state()

    def _tell_newcomers(self) -> None:
        """Another window opened a variant this one has open: say so here too (that window was
        told on opening)."""
        from tui.text.safe_text import one_line

        for key, window in self.drafts.newcomers():
            self.notify(
                f"{one_line(self.workspace.describe(key), 100)} was just opened in {window.describe()} too. "
                "Each window keeps its own draft; D lists both to choose from.",
                title="Open in two windows",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def show_drafts_state(self) -> None:
        """Show or hide the drafts indicator (tui.widgets.drafts_status)."""
        from tui.widgets.drafts_status import DraftsStatus

        problem = self.drafts.failing if self.drafts is not None else self._drafts_off
        if not self.screen_stack:  # closing
            return
        for widget in self._main_screen().query(DraftsStatus):
            widget.show(problem)

    def drafts_kept(self) -> bool:
        """Whether unsaved edits are on disk now, so quitting keeps them as drafts."""
        keeper = self.drafts
        return keeper is not None and keeper.failing is None and not keeper.unwritten()

    def _watch_client(self, client: Any) -> None:
        """Feed the client's request events to the connection indicator."""
        previous = getattr(client, "on_event", None)

        def handler(event: Any) -> None:
            if previous is not None:
                previous(event)
            self._api_event(event)

        if hasattr(client, "on_event"):
            client.on_event = handler

    def fetch_checks_data_again(self) -> None:
        """The prospect fields and sample prospects, read again (see read_again_when_online)."""
        from tui.screens.live_checks import fetch_checks_data

        self.run_worker(fetch_checks_data(self), group="checks-data-again", exclusive=True)

    def read_again_when_online(self, read: Callable[[], Any]) -> None:
        """Run ``read`` (which starts a worker) on the first request that succeeds from now on:
        a read of the start (the prospect fields, the assignees) that failed for want of the
        server (down, the key refused; tui.session.connect.unreached) is done again once it
        answers, instead of leaving its checks or choices off for the whole session."""
        if read not in self._read_again:
            self._read_again.append(read)

    def _api_event(self, event: Any) -> None:
        from tui.widgets.connection_status import ConnectionStatus, state_after

        state, detail = state_after(event, self.connection_state)  # type: ignore[arg-type]
        if state == "online" and self._offline_toasts:
            self._withdraw_offline_toasts()
        if state == "online" and self._read_again:
            again, self._read_again = self._read_again, []
            for read in again:
                read()
        if state == self.connection_state and not detail:
            return
        self.connection_state = state
        if not self.screen_stack:  # closing: a request still answering
            return
        for widget in self._main_screen().query(ConnectionStatus):
            widget.show(state, detail)

    def _withdraw_offline_toasts(self) -> None:
        """The server answers again: the toasts that said it could not be reached go (expired,
        also those waiting behind a dialog; tui.screens.toast_hold)."""
        toasts, self._offline_toasts = self._offline_toasts, []
        for notification in toasts:
            notification.timeout = 0
            if notification in self._notifications:
                self._unnotify(notification, refresh=False)
        self._refresh_notifications()

    def after_next_frame(self, callback: Callable[[], Any]) -> None:
        """Call ``callback`` once the next frame has been written to the terminal.

        ``call_after_refresh`` is not enough at start-up: Textual holds every frame back until
        the app has mounted, and its callbacks run on the refresh that was held back.
        The main screen asks this when its first sequences (or why there are none) are about
        to be drawn, so the first paint, if still held, goes out now with them.
        """
        self._frame_waiters.append(callback)
        self._release_first_paint()

    def _hold_first_paint(self) -> None:
        """Hold layout and painting until the first sequences, at most FIRST_PAINT_HOLD."""
        hold = self._paint_hold_for
        if hold is None:
            hold = 0.0 if self.is_headless else FIRST_PAINT_HOLD
        if hold <= 0 or self._paint_held:
            return
        self._paint_held = True
        self._begin_batch()  # Textual's batch update: no layout, no frame until it ends
        self.set_timer(hold, self._release_first_paint, name="first-paint-hold")

    def _release_first_paint(self) -> None:
        if self._paint_held:
            self._paint_held = False
            self._end_batch()  # the screen lays out and paints on its next idle

    def _display(self, screen: Any, renderable: Any) -> None:
        # As Textual decides: nothing is written inside a batch update or for an empty update.
        written = renderable is not None and not self._batch_count
        super()._display(screen, renderable)
        if written and self._frame_waiters:
            waiters, self._frame_waiters = self._frame_waiters, []
            for callback in waiters:
                self.call_later(callback)

    def startup_finished(self) -> None:
        """The first sequences (or why there are none) are drawn and the right side is up.

        ``tui.cli`` turns the cyclic garbage collector off for the start (see there); it comes
        back on here. What the start built lives as long as the app, so after one collection
        of its garbage it is frozen out of every later collection (cheaper pauses while typing).
        """
        import gc

        if gc.isenabled():
            return
        gc.collect()
        gc.freeze()
        gc.enable()

    def get_driver_class(self) -> Any:
        """Textual's terminal driver, but pastes are taken whole (tui.paste_driver); another
        driver (Windows, one named in TEXTUAL_DRIVER) as Textual chooses it."""
        driver = super().get_driver_class()
        if f"{driver.__module__}.{driver.__qualname__}" == "textual.drivers.linux_driver.LinuxDriver":
            from tui.paste_driver import PasteSafeDriver

            return PasteSafeDriver
        return driver

    def _check_resize(self) -> None:
        """Before Textual hands a new size to the screens: below the minimum, put the "terminal
        too small" screen on top and empty the others (class -too-small, app.tcss), so nothing is
        laid out at a size it cannot take; undo both when the size allows again
        (tui.screens.too_small_screen). Textual lays out the screen under the top one too, so the
        screen on top alone did not spare the editor."""
        event = self._resize_event
        if event is not None and self._screen_stack:
            from tui.screens.too_small_screen import TooSmallScreen, too_small

            showing = isinstance(self.screen, TooSmallScreen)
            small = too_small(*event.size)
            for screen in self._screen_stack:
                if isinstance(screen, TooSmallScreen) or screen.has_class("-too-small") == small:
                    continue
                if small:  # hidden, its focus would move: it comes back with the screen
                    # Kept if still there: a size that allowed the screen for a moment scheduled
                    # its refocus, which has not run yet, so what has focus now is not the person's.
                    self._focus_before_small.setdefault(screen, screen.focused)
                screen.set_class(small, "-too-small")
                if not small:
                    self.call_after_refresh(self._refocus_after_small, screen)
            if small and not showing:
                self.push_screen(TooSmallScreen())
            elif not small and showing:
                self.pop_screen()
        super()._check_resize()

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        # A dialog opened while the terminal is too small (a worker's) stays empty until it
        # grows, as the screens under "terminal too small" do (see _check_resize).
        from tui.screens.too_small_screen import TooSmallScreen, too_small

        if isinstance(screen, Screen) and not isinstance(screen, TooSmallScreen) and too_small(*self.size):
            screen.add_class("-too-small")
        return super().push_screen(screen, *args, **kwargs)

    def _refocus_after_small(self, screen: Screen) -> None:
        if screen.has_class("-too-small"):
            return  # small again before this ran: the widget waits for the next size that fits
        widget = self._focus_before_small.pop(screen, None)
        if widget is not None and widget.is_attached:
            screen.set_focus(widget, scroll_visible=False)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)):
            self._focus_on_screen()
            if isinstance(event, events.Key) and not event.is_forwarded:
                self._key_sent_to[event] = self.screen.focused
                if len(self._key_sent_to) > KEYS_REMEMBERED:  # keys a field consumed never come back
                    del self._key_sent_to[next(iter(self._key_sent_to))]
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        """A key no widget took, back from the widget it was sent to: the bindings' turn.

        Textual sends each key to the widget focused when the app takes it from the terminal,
        and a binding's action runs only when its key comes back here. In a burst (a quick
        typist, a slow SSH link delivering keys together) the keys behind one that moves the
        focus were sent to the widget being left: "/hir" opened the filter, then the tree's
        bindings ran for h (collapse) and r (reload) and the filter stayed empty. A key that comes
        back from a widget that has lost the focus since goes to the one that has it now.
        """
        # Textual calls App._on_key itself after this one (its handlers run for each class)
        # unless prevent_default says not to.
        sent_to = self._key_sent_to.pop(event, None)
        focused = self.screen.focused
        if sent_to is not None and focused is not None and focused is not sent_to:
            event.prevent_default()
            # As if it came from the terminal now: the priority bindings of the new focus first
            # (enter in the filter), then the widget (tui.screens.main_screen).
            await self.on_event(events.Key(event.key, event.character))

    def _focus_on_screen(self) -> None:
        """Move focus off a widget that is no longer on screen, before a key goes to it.

        Keys go to the focused widget; one removed from the screen passes them to nobody, and
        every key (ctrl+q too) was lost (issue 13: the form rebuilt after a save). The screens
        put focus right after each rebuild; this is the net under any path that does not.
        """
        screen = self.screen
        focused = screen.focused
        if focused is None or (focused.is_attached and focused.screen is screen):
            return
        keep = getattr(screen, "keep_focus_on_screen", None)
        if keep is not None:
            keep(focused.id)
        else:
            screen.set_focus(None)
            screen.focus_next()

    def _fit_no_color_filter(self) -> None:
        """NO_COLOR's filter for the theme in use. Textual picks it once, in App.__init__, for
        its default theme: greys (Monochrome). Under seqedit-ansi, whose colours are the
        terminal's own ("default" among them), greys made every colour black: black text on a
        black screen. A theme of ANSI colours takes NoColor, the terminal's own two (issue 13)."""
        if not self.no_color:
            return
        from textual.filter import Monochrome, NoColor

        wanted = NoColor if self.native_ansi_color else Monochrome
        self._filters = [
            wanted() if isinstance(found, Monochrome | NoColor) and not isinstance(found, wanted) else found
            for found in self._filters
        ]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """As Textual's, but a notification raised while a dialog is up waits for it to close
        (tui.screens.toast_hold): a toast covered the dialog's text and keys; and one with the
        same words as one still showing replaces it (a key repeated against a wall stacked a
        toast per press)."""
        from textual.notifications import Notification, Notify

        notification = Notification(
            message, title, severity, self.NOTIFICATION_TIMEOUT if timeout is None else timeout, markup=markup
        )
        self._toast_hold.raised(notification)
        if severity == "error" and self.connection_state == "offline":
            self._offline_toasts = [*(n for n in self._offline_toasts if not n.has_expired), notification]
        self.post_message(Notify(notification))

    def _main_screen(self) -> Any:
        """The main screen, else the screen on top (the no-key screen)."""
        return self._main or self.screen

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """seqedit's own colour variables ($merge-tag, $finding-error…) for themes lacking them."""
        from tui.config.themes import semantic_defaults

        # Textual asks on every CSS refresh, right after generating the same colours itself.
        # (Called from App.__init__ too, before this class's own attributes exist.)
        theme = self.current_theme
        cached: tuple[Any, dict[str, str]] | None = getattr(self, "_semantic", None)
        if cached is None or cached[0] is not theme:
            cached = self._semantic = (theme, semantic_defaults(theme.to_color_system().generate()))
        return dict(cached[1])

    # Actions about an account's variants: meaningless (and misleading in the footer) on the
    # screen that explains how to get an API key.
    _ACCOUNT_ACTIONS = frozenset({"open_in_editor", "copy_field", "copy_variant_json"})

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # The palette lists seqedit's own "Quit" (from the quit binding, which asks about unsaved
        # edits); Textual's entry of the same name ran the same action, so it only doubled it.
        for command in super().get_system_commands(screen):
            if command.title != "Quit":
                yield command

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in self._ACCOUNT_ACTIONS and type(self.screen).__name__ == "NoKeyScreen")

    def action_open_in_editor(self) -> None:
        """Edit the focused text field in $VISUAL/$EDITOR (tui.terminal.external_editor)."""
        from tui.config.preferences import configured_editor
        from tui.terminal.external_editor import open_focused_in_editor

        open_focused_in_editor(self, configured_editor(self))

    def action_copy_field(self) -> None:
        """Copy the focused text field to the clipboard (OSC 52)."""
        from tui.terminal.clipboard import copy_focused_field

        copy_focused_field(self)

    def action_copy_variant_json(self) -> None:
        """Copy the open variant, with unsaved edits, as JSON."""
        from tui.terminal.clipboard import copy_open_variant

        copy_open_variant(self)

    def findings_for(self, key: VariantKey) -> list:
        """Validation findings for the variant as edited now, shown in the save review; E
        findings block saving (tui.session.variant_checks)."""
        return list(self.checks.findings(key))

    async def action_quit(self) -> None:
        """Quit, asking first when edits would be lost."""
        dirty = self.workspace.dirty_keys()
        if not dirty:
            self.exit()
            return
        from tui.screens.confirm_screen import ConfirmScreen

        question, yes = self._quit_question(dirty)

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmScreen(question, yes=yes, no="Stay"), answered)

    def _quit_question(self, dirty: list[VariantKey]) -> tuple[str, str]:
        """What the quit dialog asks, and its yes button: it promises only what is on disk."""
        from tui.text.safe_text import one_line

        keeper = self.drafts
        if keeper is None:
            return (
                f"{len(dirty)} variant(s) have unsaved edits that will be lost.\n\nQuit anyway?",
                "Quit and lose them",
            )
        keeper.flush()
        self.show_drafts_state()
        unwritten = keeper.unwritten()
        if keeper.failing is not None or unwritten:
            return (
                f"{len(dirty)} variant(s) have unsaved edits, and the latest edits of {len(unwritten)} could NOT "
                f"be written to the drafts file ({one_line(keeper.failing or 'not written', 200)}).\n\n"
                "If you quit now, those edits are lost. Stay and seqedit keeps trying every second "
                "(free some disk space), or save them.",
                "Quit and lose them",
            )
        shared = [key for key in dirty if keeper.elsewhere(key)]
        which = "It is" if len(dirty) == 1 else f"{len(shared)} of them are"
        also = (
            f"\n\n{which} also open in another seqedit window: each window keeps its own draft, "
            "and D lets you choose between them."
            if shared
            else ""
        )
        return (
            f"{len(dirty)} variant(s) have unsaved edits. They are kept as drafts and reopen next time "
            f"(D lists them).{also}\n\nQuit now?",
            "Quit (drafts kept)",
        )

    def action_help(self) -> None:
        from tui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def _arm_bench_hook(self) -> None:
        """Benchmark hook (benchmarks/startup.py), armed only when SEQEDIT_BENCH_EXIT_WHEN_READY=1.

        Right after the first frame written to the terminal with sequences in the tree, write
        a marker to file descriptor 1 (Textual draws on stderr) and exit. The benchmark times
        process start → that frame; the bare baselines announce their first frame the same way
        (benchmarks/bare_tree_app.py). The tree is looked at when each frame is written, not
        when the page's message reaches the app, which may be frames later.
        """
        import os

        display = self._display

        def display_then_announce(screen: Any, renderable: Any) -> None:
            # Textual skips the write inside a batch update and for an empty update: only a
            # frame actually written counts (the bare apps' first display is a real frame).
            written = renderable is not None and not self._batch_count
            display(screen, renderable)
            if written and not getattr(self, "_bench_announced", False) and self._tree_shows_sequences(screen):
                self._bench_announced = True
                os.write(1, b"SEQEDIT_BENCH_READY\n")
                self.exit()

        self._display = display_then_announce  # type: ignore[method-assign]

    @staticmethod
    def _tree_shows_sequences(screen: Any) -> bool:
        """Whether ``screen`` holds a sequence tree with at least one sequence in it."""
        from tui.widgets.sequence_tree import SequenceTree

        for tree in screen.query(SequenceTree):
            return any(getattr(node.data, "kind", None) == "sequence" for node in tree.root.children)
        return False

    async def on_unmount(self) -> None:
        if self.drafts is not None:
            self.drafts.close()  # writes the last second of typing
        if self.client is not None:
            await self.client.aclose()
