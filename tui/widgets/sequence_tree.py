"""The tree pane: sequences → steps → variants, loaded lazily, with vim keys."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.css.styles import RenderStyles
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode, UnknownNodeID

from tui.session.workspace import SequenceRow, VariantKey, Workspace, row_of
from tui.text.safe_text import one_line

if TYPE_CHECKING:
    from tui.api.channels import Channel, UnknownChannel
    from tui.api.models import Sequence, Step, Variant

# Start-up (benchmarks: network): this module is on the way to the first frame, which is drawn
# from the cached listing before the API models are imported; what needs them (steps and
# variants) imports them where it is used.

CHUNK = 100  # nodes added per refresh, so a long listing never freezes the screen
# Each chunk makes Textual rebuild every tree line on the next idle; chunks that grow with the
# tree (up to MAX_CHUNK) keep the rebuilds few for 5,000 sequences (benchmarks/scale.py).
MAX_CHUNK = 1000


@dataclass(frozen=True)
class NodeRef:
    """What a tree node stands for. ``kind``: sequence, step, variant, loading or error."""

    kind: str
    sequence_id: str
    step_id: str | None = None
    variant_id: str | None = None

    @property
    def key(self) -> VariantKey | None:
        if self.kind != "variant" or self.step_id is None or self.variant_id is None:
            return None
        return VariantKey(self.sequence_id, self.step_id, self.variant_id)


def sequence_label(sequence: Sequence | SequenceRow, dirty: bool) -> Text:
    """● Title · Client — as literal text (titles come from the server)."""
    row = row_of(sequence)
    label = Text()
    label.append("* " if dirty else "", style="bold yellow")
    label.append("● " if row.active else "○ ", style="green" if row.active else "dim")
    label.append(one_line(row.title, 60) or "(untitled)")
    if row.client:
        label.append(f" · {one_line(row.client, 30)}", style="dim")
    return label


def step_label(step: Step, dirty: bool) -> Text:
    """Day 3 · ✉ Email · 3 variants."""
    from tui.api.models import step_day

    channel: Channel | UnknownChannel = step.type
    count = len(step.variants)
    label = Text()
    label.append("* " if dirty else "", style="bold yellow")
    day = f"Day {step_day(step) or '?'}"
    label.append(f"{day} · {channel.info.glyph} {channel.label} · {count} variant{'s' if count != 1 else ''}")
    return label


def variant_label(letter: str, variant: Variant, dirty: bool, errors: int = 0, *, new: bool = False) -> Text:
    """A ● first line of the subject or message; ``A!`` when validation found errors; ``+ B``
    for a new variant not yet on the server (the letter it will get)."""
    label = Text()
    if new:
        label.append("+ ", style="bold green")
    else:
        label.append("* " if dirty else "", style="bold yellow")
    label.append(letter, style="bold")
    label.append("! " if errors else " ", style="bold red")
    if variant.status_known:
        label.append("● " if variant.active else "○ ", style="green" if variant.active else "dim")
    else:  # a status the server sent that seqedit does not know: kept, shown as such
        label.append("? ", style="bold yellow")
    label.append(one_line(variant.headline, 60) or "(empty)", style="" if variant.active else "dim")
    return label


class SequenceTree(Tree[NodeRef]):
    """Sequences, their steps and variants. Children load when a sequence is first expanded."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="tree-down"),
        Binding("k", "cursor_up", "Up", show=False, id="tree-up"),
        Binding("h", "collapse_or_parent", "Collapse", show=False, id="tree-collapse"),
        Binding("l", "expand_or_open", "Open", show=False, id="tree-open"),
        Binding("g", "scroll_home", "Top", show=False, id="tree-top"),
        Binding("G", "scroll_end", "Bottom", show=False, id="tree-bottom"),
    ]

    class _Marked(Message):
        """Findings of variants validated for their marks (``(key, variant, findings)``)."""

        def __init__(self, results: list[tuple[VariantKey, Any, Any]]) -> None:
            super().__init__()
            self.results = results

    class StepsWanted(Message):
        """A sequence was expanded whose steps are not loaded yet."""

        def __init__(self, sequence_id: str) -> None:
            super().__init__()
            self.sequence_id = sequence_id

    def __init__(self, workspace: Workspace, **kwargs) -> None:
        super().__init__("Sequences", data=None, **kwargs)
        self.workspace = workspace
        self.show_root = False
        self.guide_depth = 2
        self._sequence_nodes: dict[str, TreeNode[NodeRef]] = {}
        self._pending: list[Sequence | SequenceRow] = []
        self._asked: set[str] = set()  # sequences whose steps were asked for by expanding
        # What the person opened, kept across rebuilds (a filter typed and cleared, a reload),
        # so clearing a filter does not fold the whole tree and lose their place.
        self._open_sequences: set[str] = set()
        self._open_steps: set[tuple[str, str]] = set()
        self._restore_cursor: NodeRef | None = None
        self._unmarked: set[VariantKey] = set()  # labels drawn before their variant was validated
        self._marks_scheduled = False
        self._pass: dict[Any, Any] | None = None  # what one render_lines call works out once
        # Called when a sequence whose steps are not loaded is expanded, before StepsWanted is
        # posted: True when it has put them in the workspace and the tree now (steps prefetch
        # holds), so the frame that expands the node shows them, not "loading…" first.
        self.steps_at_hand: Callable[[str], bool] = lambda _sequence_id: False

    def render_lines(self, crop: Region) -> list[Strip]:
        # One pass draws every line in ``crop``: the tree's own style and the labels' room are
        # the same for all of them, and Textual works both out again for each line (walking
        # every ancestor's styles), most of a redraw's cost (benchmarks: network, enter).
        self._pass = {}
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None

    @property
    def rich_style(self) -> Style:
        memo = self._pass
        if memo is None:
            return super().rich_style
        style = memo.get("style")
        if style is None:
            style = memo["style"] = super().rich_style
        return style

    def get_component_styles(self, *names: str) -> RenderStyles:
        memo = self._pass
        if memo is None:
            return super().get_component_styles(*names)
        styles = memo.get(names)
        if styles is None:
            styles = memo[names] = super().get_component_styles(*names)
        return styles

    def _label_room(self) -> int:
        memo = self._pass
        if memo is None:
            return self.scrollable_content_region.width
        room = memo.get("room")
        if room is None:
            room = memo["room"] = self.scrollable_content_region.width
        return room

    def render_label(self, node: TreeNode[NodeRef], base_style, style) -> Text:
        """The label, cut with an ellipsis where the pane ends: cut by the pane's edge, a title
        read as a different, shorter title (issue 13)."""
        text = super().render_label(node, base_style, style)
        width = self._label_room()
        if width <= 0:
            return text
        depth = -1  # top-level rows hang off the hidden root: no guides
        parent = node.parent
        while parent is not None:
            depth += 1
            parent = parent.parent
        room = width - depth * self.guide_depth
        if room > 1 and text.cell_len > room:
            text.truncate(room, overflow="ellipsis")
        return text

    # -- sequences --------------------------------------------------------------------------

    def set_sequences(self, sequences: Iterable[Sequence | SequenceRow]) -> None:
        """Show exactly these sequences (a fresh listing or a filter; at start, the cached
        listing's rows, until its models are read: see :meth:`update_sequences`).

        Sequences and steps that were open stay open, and the cursor stays on its node when that
        node is listed again.
        """
        cursor = self.cursor_node
        if cursor is not None and cursor.data is not None and cursor.data.kind in ("sequence", "step", "variant"):
            self._restore_cursor = cursor.data
        self.root.remove_children()
        self._sequence_nodes.clear()
        self._pending = []
        self.add_sequences(sequences)

    def add_sequences(self, sequences: Iterable[Sequence | SequenceRow]) -> None:
        """Append sequences, a chunk per refresh."""
        fresh = [s for s in sequences if s.id not in self._sequence_nodes]
        start = not self._pending
        self._pending.extend(fresh)
        if start:
            self._add_chunk()

    def update_sequences(self, sequences: Iterable[Sequence]) -> None:
        """Redraw the listed ones of these sequences in place (from the workspace) and append the
        others: a page of a fresh listing over a cached one."""
        sequences = list(sequences)
        for sequence in sequences:
            if sequence.id in self._sequence_nodes:
                self.refresh_labels(sequence.id)
        self.add_sequences(sequences)

    def remove_sequences(self, sequence_ids: Iterable[str]) -> None:
        """Take these sequences out of the tree (the server no longer lists them); the cursor
        stays on its node."""
        gone = set(sequence_ids)
        if not gone:
            return
        self._pending = [sequence for sequence in self._pending if sequence.id not in gone]
        for sequence_id in gone:
            node = self._sequence_nodes.pop(sequence_id, None)
            if node is not None:
                node.remove()

    def _add_chunk(self) -> None:
        size = min(MAX_CHUNK, max(CHUNK, len(self._sequence_nodes)))
        chunk, self._pending = self._pending[:size], self._pending[size:]
        for sequence in chunk:
            if sequence.id in self._sequence_nodes:
                continue
            loaded = self.workspace.steps(sequence.id) is not None
            # The workspace's copy: a later page may have refreshed it while this one waited.
            sequence = self.workspace.sequence(sequence.id) or sequence
            node = self.root.add(
                sequence_label(sequence, self._sequence_dirty(sequence.id)),
                data=NodeRef("sequence", sequence.id),
                expand=loaded and sequence.id in self._open_sequences,
            )
            self._sequence_nodes[sequence.id] = node
            if not loaded:
                node.add_leaf(Text("loading…", style="dim italic"), data=NodeRef("loading", sequence.id))
            else:
                opened = {step_id for seq_id, step_id in self._open_steps if seq_id == sequence.id}
                self._fill_steps(node, sequence.id, opened)
        if self._pending:
            self.call_after_refresh(self._add_chunk)
        if self._restore_cursor is not None:
            self._move_back(self._restore_cursor)
            if not self._pending:
                self._restore_cursor = None  # not listed (filtered out): the cursor stays put
        if self.cursor_line < 0 and self._sequence_nodes:
            self.cursor_line = 0  # the first key press should move from a sequence, not find one

    def _move_back(self, ref: NodeRef) -> None:
        """Put the cursor back on ``ref``'s node once it is listed again."""
        node = self._sequence_nodes.get(ref.sequence_id)
        if node is None:
            return
        self._restore_cursor = None
        if ref.kind == "step" and ref.step_id is not None:
            node = self.step_node(ref.sequence_id, ref.step_id) or node
        elif ref.key is not None:
            node = self.variant_node(ref.key) or self.step_node(ref.sequence_id, ref.step_id or "") or node
        self.call_after_refresh(self._move_if_listed, node)

    def _move_if_listed(self, node: TreeNode[NodeRef]) -> None:
        try:
            self.get_node_by_id(node.id)
        except UnknownNodeID:  # rebuilt again meanwhile: that node is gone
            return
        self.move_cursor(node)

    def show_message(self, text: str) -> None:
        """A notice in place of the listing (empty account, failed load), wrapped to the pane.

        A failed load's message says what to do ("Check SALESHANDY_API_KEY…"): cut to one line at
        80 columns it ended mid-sentence, and once its notification went there was nothing left
        to read it in.
        """
        import textwrap

        self.root.remove_children()
        self._sequence_nodes.clear()
        width = max(20, (self.size.width or 36) - 4)  # the guide and the scrollbar take the rest
        for line in textwrap.wrap(one_line(text, 600), width) or [""]:
            self.root.add_leaf(Text(line, style="italic"), data=NodeRef("error", ""))

    def sequence_node(self, sequence_id: str) -> TreeNode[NodeRef] | None:
        return self._sequence_nodes.get(sequence_id)

    def sequences_near(self, node: TreeNode[NodeRef] | None) -> list[str]:
        """The sequence at ``node`` and the ones below and above it whose steps are neither
        loaded nor asked for (what prefetch should load); [] when ``node`` is not a sequence."""
        ref = node.data if node is not None else None
        if node is None or ref is None or ref.kind != "sequence" or node.parent is None:
            return []
        siblings = node.parent.children
        try:
            at = siblings.index(node)
        except ValueError:  # highlighted, then removed by a fresh listing before this ran
            return []
        near = [siblings[i] for i in (at, at + 1, at - 1) if 0 <= i < len(siblings)]
        return [
            other.data.sequence_id
            for other in near
            if other.data is not None
            and other.data.kind == "sequence"
            and self.workspace.steps(other.data.sequence_id) is None
            and other.data.sequence_id not in self._asked
        ]

    # -- steps and variants -------------------------------------------------------------------

    def show_loading(self, sequence_id: str) -> None:
        """A "loading…" placeholder under the sequence while its steps are fetched."""
        self._asked.add(sequence_id)
        node = self._sequence_nodes.get(sequence_id)
        if node is not None:
            node.remove_children()
            node.add_leaf(Text("loading…", style="dim italic"), data=NodeRef("loading", sequence_id))

    def show_steps(self, sequence_id: str, errors: list[str] | None = None) -> None:
        """Replace the placeholder with the workspace's steps of this sequence."""
        self._asked.discard(sequence_id)
        node = self._sequence_nodes.get(sequence_id)
        if node is None:
            return
        expanded = {child.data.step_id for child in node.children if child.data and child.is_expanded}
        node.remove_children()
        self._fill_steps(node, sequence_id, expanded)
        for error in errors or ():
            node.add_leaf(Text(f"⚠ {one_line(error, 80)}", style="yellow"), data=NodeRef("error", sequence_id))

    def _fill_steps(self, node: TreeNode[NodeRef], sequence_id: str, expanded: set | None = None) -> None:
        steps = self.workspace.steps(sequence_id) or []
        if not steps:
            node.add_leaf(Text("no steps", style="dim italic"), data=NodeRef("empty", sequence_id))
        for step in steps:
            step_node = node.add(
                step_label(step, self._step_dirty(sequence_id, step.id)),
                data=NodeRef("step", sequence_id, step.id),
                expand=bool(expanded and step.id in expanded),
            )
            self._fill_variants(step_node, sequence_id, step.id)

    def _fill_variants(self, step_node: TreeNode[NodeRef], sequence_id: str, step_id: str) -> None:
        for _index, key in enumerate(self.workspace.variant_keys(sequence_id, step_id)):
            step_node.add_leaf(self._variant_text(key), data=NodeRef("variant", *key))

    def show_step_variants(self, sequence_id: str, step_id: str, errors: list[str] | None = None) -> None:
        """Refill one step after its variants were re-read."""
        node = self.step_node(sequence_id, step_id)
        if node is None:
            return
        node.remove_children()
        self._fill_variants(node, sequence_id, step_id)
        for error in errors or ():
            node.add_leaf(Text(f"⚠ {one_line(error, 80)}", style="yellow"), data=NodeRef("error", sequence_id, step_id))
        self.refresh_labels(sequence_id)

    def show_error(self, sequence_id: str, text: str, step_id: str | None = None, retry_hint: str = "") -> None:
        """Show a failed load on its node; ``retry_hint`` names the reload key."""
        self._asked.discard(sequence_id)
        node = self.step_node(sequence_id, step_id) if step_id else self._sequence_nodes.get(sequence_id)
        if node is None:
            return
        node.remove_children()
        hint = f" — {retry_hint} to retry" if retry_hint else ""
        node.add_leaf(
            Text(f"⚠ {one_line(text, 80)}{hint}", style="red"),
            data=NodeRef("error", sequence_id, step_id),
        )
        node.expand()

    def step_node(self, sequence_id: str, step_id: str) -> TreeNode[NodeRef] | None:
        node = self._sequence_nodes.get(sequence_id)
        for child in node.children if node else ():
            if child.data and child.data.kind == "step" and child.data.step_id == step_id:
                return child
        return None

    def move_to(self, node: TreeNode[NodeRef]) -> None:
        """Move the cursor to ``node``, even when the tree changed since its lines were built.

        Textual builds the lines (and each node's ``line``) when the tree is next idle; until
        then ``move_cursor`` reads line -1 and leaves the cursor at the top. A move asked from
        another screen (the palette's) can come before that idle.
        """
        self.get_node_at_line(0)  # builds the lines if a change left them to be built
        self.move_cursor(node)

    def expand_above(self, node: TreeNode[NodeRef]) -> None:
        """Expand the nodes above ``node`` (its step, its sequence), so that it shows."""
        parent = node.parent
        while parent is not None and parent is not self.root:
            parent.expand()
            parent = parent.parent

    def variant_node(self, key: VariantKey) -> TreeNode[NodeRef] | None:
        step = self.step_node(key.sequence_id, key.step_id)
        for child in step.children if step else ():
            if child.data and child.data.key == key:
                return child
        return None

    # -- labels -------------------------------------------------------------------------------------

    def _variant_text(self, key: VariantKey) -> Text:
        from tui.session.new_variants import is_new

        checks = getattr(self.app, "checks", None)  # tui.session.variant_checks: the error mark
        errors = checks.known_error_count(key) if checks is not None else 0
        if errors is None:
            # Not validated yet: drawn unmarked now and marked once a thread has validated it.
            # Validating every variant of a sequence as it opened took most of the open
            # (benchmarks: network, enter on a prefetched sequence).
            self._mark_later(key)
            errors = 0
        return variant_label(
            self.workspace.letter(key),
            self.workspace.edited(key),
            self.workspace.is_dirty(key),
            errors,
            new=is_new(key),
        )

    def _mark_later(self, key: VariantKey) -> None:
        self._unmarked.add(key)
        if not self._marks_scheduled:
            self._marks_scheduled = True
            self.call_after_refresh(self._validate_unmarked)  # after the frame that shows them

    def _validate_unmarked(self) -> None:
        self._marks_scheduled = False
        keys, self._unmarked = self._unmarked, set()
        checks = getattr(self.app, "checks", None)
        if checks is None:
            return
        jobs = []
        for key in keys:
            prepared = checks.prepare(key) if checks.known_error_count(key) is None else None
            if prepared is not None:
                jobs.append((key, *prepared))
        if jobs:
            self._validate_marks(checks, jobs)

    @work(thread=True, group="tree-marks")
    def _validate_marks(self, checks: Any, jobs: list[tuple[VariantKey, Any, Any]]) -> None:
        self.post_message(self._Marked(checks.validate_for_marks(jobs)))

    @on(_Marked)
    def _marked(self, message: _Marked) -> None:
        """Keep the findings and redraw the labels that turn out to be marked."""
        message.stop()
        checks = getattr(self.app, "checks", None)
        if checks is None:
            return
        for key, variant, findings in message.results:
            checks.store(key, variant, findings)
            node = self.variant_node(key)
            if node is not None and checks.known_error_count(key):
                node.set_label(self._variant_text(key))

    def _step_dirty(self, sequence_id: str, step_id: str) -> bool:
        return any(self.workspace.is_dirty(key) for key in self.workspace.variant_keys(sequence_id, step_id))

    def _sequence_dirty(self, sequence_id: str) -> bool:
        return any(key.sequence_id == sequence_id for key in self.workspace.dirty_keys())

    def refresh_labels(self, sequence_id: str) -> None:
        """Redraw a sequence's labels (dirty marks, status, headlines) from the workspace."""
        node = self._sequence_nodes.get(sequence_id)
        sequence = self.workspace.sequence(sequence_id)
        if node is None:
            return
        if sequence is not None:
            node.set_label(sequence_label(sequence, self._sequence_dirty(sequence_id)))
        for step_node in node.children:
            ref = step_node.data
            if ref is None or ref.kind != "step" or ref.step_id is None:
                continue
            step = self.workspace.step(sequence_id, ref.step_id)
            if step is not None:
                step_node.set_label(step_label(step, self._step_dirty(sequence_id, ref.step_id)))
            for leaf in step_node.children:
                if leaf.data and leaf.data.key and self.workspace.has(leaf.data.key):
                    leaf.set_label(self._variant_text(leaf.data.key))

    def get_label_width(self, node: TreeNode[NodeRef]) -> int:
        """The label's width without rendering it: Textual's default renders every label on
        each rebuild just to measure it, the main cost of a 5,000-sequence tree."""
        label = node.label
        width = label.cell_len if isinstance(label, Text) else cell_len(label)
        if not node.allow_expand:
            return width
        icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        return width + cell_len(icon)

    # -- events and actions ------------------------------------------------------------------------

    def _on_tree_node_collapsed(self, event: Tree.NodeCollapsed[NodeRef]) -> None:
        ref = event.node.data
        if ref is not None and ref.kind == "sequence":
            self._open_sequences.discard(ref.sequence_id)
        elif ref is not None and ref.kind == "step" and ref.step_id is not None:
            self._open_steps.discard((ref.sequence_id, ref.step_id))

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeRef]) -> None:
        node = event.node
        ref = node.data
        if ref is not None and ref.kind == "step" and ref.step_id is not None:
            self._open_steps.add((ref.sequence_id, ref.step_id))
        if ref is not None and ref.kind == "sequence":
            self._open_sequences.add(ref.sequence_id)
        if ref is None or ref.kind != "sequence" or self.workspace.steps(ref.sequence_id) is not None:
            return
        # Ask once per placeholder: an error node (or a load already asked for) waits for reload.
        waiting = [child.data.kind for child in node.children if child.data] == ["loading"]
        if waiting and ref.sequence_id not in self._asked and self.steps_at_hand(ref.sequence_id):
            return  # shown now, in the frame that expands the node
        if waiting and ref.sequence_id not in self._asked:
            self._asked.add(ref.sequence_id)
            self.post_message(self.StepsWanted(ref.sequence_id))

    def action_collapse_or_parent(self) -> None:
        """h: collapse an open node, else go to its parent."""
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.children:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    def action_expand_or_open(self) -> None:
        """l: expand a closed node, step into an open one, open a variant."""
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and not node.is_expanded:
            node.expand()
        elif node.children:
            self.move_cursor(node.children[0])
        else:
            self.post_message(Tree.NodeSelected(node))
