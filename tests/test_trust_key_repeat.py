"""Issue 13 item 17: fast key repeat loses no steps. Keys are posted in one burst, faster than
frames (as auto-repeat or a slow SSH link delivers them), then the position is checked."""

from __future__ import annotations

from test_app_support import make_app, settle, type_text
from test_review_mode import Q4, _review
from textual import events
from textual.containers import VerticalScroll
from textual.widgets import Input

from tui.screens.help_screen import HelpScreen
from tui.screens.review_screen import ReviewScreen
from tui.screens.review_summary import ReviewSummaryScreen


async def _burst(pilot, key: str, count: int) -> None:
    for _ in range(count):
        pilot.app.post_message(events.Key(key, key))
    await settle(pilot)


async def test_a_burst_of_keys_moves_as_many_steps(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _review(pilot, Q4)
        assert len(screen.keys) == 9
        # Review mode: 30 presses of the step key walk all 9 variants, then the summary.
        await _burst(pilot, "j", 30)
        assert screen.index == len(screen.keys) - 1 and len(screen.reviewed) == 9
        assert isinstance(app.screen, ReviewSummaryScreen)
        await pilot.press("escape")
        await _burst(pilot, "k", 30)
        assert screen.index == 0
        # k against the first variant says so once, not in 22 stacked toasts.
        firsts = [note for note in app._notifications if str(note.message) == "This is the first variant."]
        assert len(firsts) == 1, len(firsts)

        # The help, over review mode: 10 j scroll 10 lines (they scrolled 1).
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        help_scroll = app.screen.query_one(VerticalScroll)
        assert help_scroll.max_scroll_y > 12
        await _burst(pilot, "j", 10)
        assert help_scroll.scroll_y == 10
        await _burst(pilot, "k", 4)
        assert help_scroll.scroll_y == 6
        await pilot.press("escape")

        # The save review: edit the variant's subject, ctrl+s, scroll the review.
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("end")
        await type_text(pilot, " now")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        review_scroll = app.screen.query_one("#review-scroll", VerticalScroll)
        steps = min(8, int(review_scroll.max_scroll_y))
        assert steps >= 3, review_scroll.max_scroll_y
        await _burst(pilot, "j", steps)
        assert review_scroll.scroll_y == steps

        # In the form, tab in a burst moves before the next key lands: "x", tab, "y", shift+tab,
        # "z" put x and z in the subject and y in the next field (y went into the subject: the
        # field being left got the keys typed right behind tab).
        await pilot.press("escape")
        await settle(pilot)
        subject = app.screen.query_one("#field-subject", Input)
        subject.focus()
        await settle(pilot)
        await pilot.press("end")
        before = subject.value
        for key, char in (("x", "x"), ("tab", None), ("y", "y"), ("shift+tab", None), ("z", "z")):
            app.post_message(events.Key(key, char))
        await settle(pilot)
        preheader = app.screen.query_one("#field-preheader", Input)
        assert subject.value == before + "xz", subject.value
        assert preheader.value.startswith("y") or preheader.value.endswith("y"), preheader.value


async def test_text_typed_right_behind_the_filter_key_goes_into_the_filter(sandbox_app) -> None:
    # "/" then "hir" in one burst (a quick typist, a slow SSH link): the letters went to the tree,
    # which collapsed (h) and reloaded (r), and the filter stayed empty. Then enter and "j" in a
    # burst: the j typed into the filter rather than moving the cursor.
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.screen.tree
        for key, char in (("slash", "/"), ("h", "h"), ("i", "i"), ("r", "r")):
            app.post_message(events.Key(key, char))
        await settle(pilot)
        field = app.screen.query_one("#filter", Input)
        assert field.value == "hir" and field.has_focus
        shown = [str(node.label) for node in tree.root.children]
        assert shown and all("hir" in label.casefold() for label in shown), shown
        for key, char in (("enter", None), ("j", "j")):
            app.post_message(events.Key(key, char))
        await settle(pilot)
        assert field.value == "hir" and tree.has_focus
        # All of it in one burst, as a terminal delivers "/hir⏎j" typed quickly: enter and j
        # also went to the tree first, then enter to the filter, and j was typed into it.
        await pilot.press("escape")
        await settle(pilot)
        assert tree.has_focus and not field.value
        for key, char in (("slash", "/"), ("h", "h"), ("i", "i"), ("r", "r"), ("enter", None), ("j", "j")):
            app.post_message(events.Key(key, char))
        await settle(pilot)
        assert field.value == "hir" and tree.has_focus
