"""A second startup baseline: seqedit's layout in bare Textual, with nothing behind it.

Header, a filter Input and a Tree of a few nodes on the left, three tabs on the right, a
Footer with seqedit's visible keys. Run as ``python -m benchmarks.bare_layout_app`` under the
startup benchmark: it prints the ready marker once drawn and exits. It shows what the layout
itself costs in Textual, apart from seqedit's imports, sandbox and data.
"""

from __future__ import annotations

import os

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, Static, TabbedContent, TabPane, Tree

MARKER = b"SEQEDIT_BENCH_READY\n"  # benchmarks.ready.MARKER


class BareLayoutApp(App[None]):
    """seqedit's panes and key bar, with static content."""

    CSS = """
    #tree-pane { width: 45%; }
    #tree { height: 1fr; }
    """
    BINDINGS = [
        Binding(key, "bell", label, id=f"b-{index}")
        for index, (key, label) in enumerate(
            (
                ("q", "Quit"),
                ("question_mark", "Help"),
                ("ctrl+s", "Save"),
                ("s", "Status"),
                ("p", "Priority"),
                ("slash", "Filter"),
                ("r", "Reload"),
                ("e", "Edit"),
                ("escape", "Tree"),
                ("ctrl+b", "Hide tree"),
                ("u", "Undo edits"),
            )
        )
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="tree-pane"):
                yield Input(placeholder="filter sequences by title")
                tree: Tree[None] = Tree("Sequences", id="tree")
                tree.show_root = False
                for number in range(1, 21):
                    tree.root.add(f"Sequence #{number}").add_leaf("loading…")
                yield tree
            with TabbedContent():
                with TabPane("Edit"):
                    yield Static("Choose a variant in the tree (enter) to edit it.")
                with TabPane("Findings"):
                    yield Static("Open a variant to see its findings.")
                with TabPane("Preview"):
                    yield Static("Open a variant to preview it.")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Tree).focus()
        if os.environ.get("SEQEDIT_BENCH_EXIT_WHEN_READY") == "1":
            # As seqedit's hook (tui/app.py): announce right after the first frame is written.
            display = self._display

            def display_then_announce(*args, **kwargs) -> None:
                display(*args, **kwargs)
                if not self._announced:
                    self._announced = True
                    os.write(1, MARKER)
                    self.exit()

            self._announced = False
            self._display = display_then_announce


if __name__ == "__main__":
    BareLayoutApp().run()
