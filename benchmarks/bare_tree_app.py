"""The startup baseline: a bare Textual app with a Tree of a few nodes.

Run as ``python -m benchmarks.bare_tree_app`` under the startup benchmark: it prints the ready
marker once the tree is drawn and exits, exactly as seqedit does with its first sequences.
"""

from __future__ import annotations

import os

from textual.app import App, ComposeResult
from textual.widgets import Tree

MARKER = b"SEQEDIT_BENCH_READY\n"  # benchmarks.ready.MARKER


class BareTreeApp(App[None]):
    """A Tree with a handful of nodes; nothing else."""

    def compose(self) -> ComposeResult:
        tree: Tree[None] = Tree("Sequences")
        tree.show_root = False
        for number in range(1, 21):
            tree.root.add(f"Sequence #{number}").add_leaf("loading…")
        yield tree

    def on_mount(self) -> None:
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
    BareTreeApp().run()
