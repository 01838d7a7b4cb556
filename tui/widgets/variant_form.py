"""The Edit tab: every field of one variant, as its channel allows.

The form receives a variant (data downward) and sends :class:`VariantForm.FieldChanged` for each
edit (upward: posted, or handed straight to the screen's callback); the screen stores the change
in the workspace. Payload keys the form does not show
are never touched, so they go back to the server exactly as they came.
"""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.keys import REPLACED_KEYS
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from tui.api.channels import (
    ABSOLUTE_DAYS_RANGE,
    PAYLOAD_LABELS,
    TASK_NOTE_LIMIT,
    TEXT_KEYS,
    Channel,
    Priority,
    Status,
    UnknownChannel,
)
from tui.api.models import AssigneeTeam, Step, Variant, effective_day, known_fields, step_day
from tui.session.workspace import VariantKey
from tui.text.field_marks import has_stand_ins, mask, unmask
from tui.text.safe_text import clean, one_line
from tui.widgets.attachment_list import AttachmentList
from tui.widgets.counted_input import CountedInput
from tui.widgets.counted_text_area import CountedTextArea
from tui.widgets.html_text_area import HtmlTextArea
from tui.widgets.undo_input import UndoInput


def _renamed_characters() -> dict[str, str]:
    """Textual's renamed key names ("slash", "minus", "at"…) → the character typed."""
    found: dict[str, str] = {}
    for key, unicode_key in REPLACED_KEYS.items():
        name = unicode_key.replace("_", " ").upper()
        for candidate in (name, name.replace(" ", "-")):
            try:
                found[key] = unicodedata.lookup(candidate)
                break
            except KeyError:
                continue
    return found


_RENAMED_KEYS = _renamed_characters()

# The keys of a channel's main text get a multi-line editor; the rest a one-line input.
_MULTILINE = frozenset(TEXT_KEYS)


def upload_problem(path: str) -> str | None:
    """Why the local ``path`` cannot be uploaded (no such file, a directory), or None."""
    file = Path(path).expanduser()
    if file.is_dir():
        return f"{one_line(path, 200)} is a directory: type the path of a file in it"
    if not file.is_file():
        return f"No such file: {one_line(path, 200)}"
    return None


# Priority and assignee no read returned (the vendor's reads may leave both out) are unknown,
# not unset: said so, and sent only if the person picks one (tui.api.models.build_update).
_UNKNOWN_TASK_FIELDS = (("priority", "priority"), ("assigneeId", "assignee"))
NOT_SHOWN_TIP = (
    "The server's reads did not include this, so its value is unknown. seqedit sends it only if you pick one."
)


def _unshown(variant: Variant, name: str) -> bool:
    return name not in known_fields(variant) and getattr(variant, name) is None


def _unshown_note(variant: Variant) -> Static | None:
    """One line under the task fields naming those no read returned (their boxes are too narrow
    at 80 columns to say it in full)."""
    names = [label for name, label in _UNKNOWN_TASK_FIELDS if _unshown(variant, name)]
    if not names:
        return None
    text = f"{' and '.join(names).capitalize()}: not shown by the server; sent only if you pick one."
    return Static(Text(text, style="italic"), id="form-not-shown")


class VariantForm(VerticalScroll):
    """A channel-aware form for one variant."""

    DEFAULT_CSS = """
    /* A reserved gutter: a scrollbar that comes and goes changes the width, the wrap and so the
       height, and Textual would lay the screen out again without end. */
    VariantForm { padding: 0 1; scrollbar-gutter: stable; }
    VariantForm #form-heading { height: auto; }
    VariantForm #form-empty { color: $text-muted; padding: 1 0; }
    /* The line under the heading says so while the keys are elsewhere (the tree): typing does
       not reach the fields yet. Blank, not gone, in the form: nothing moves when focus does. */
    VariantForm #form-hint { color: $text-muted; height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    VariantForm:focus-within #form-hint { visibility: hidden; }
    VariantForm #form-not-shown { height: auto; color: $text-muted; }
    VariantForm .row { height: auto; }
    VariantForm .row > * { width: 1fr; }
    VariantForm.-stacked .row { layout: vertical; }
    VariantForm Select { margin: 0; }
    VariantForm #attach-path { border: tall $border-blurred; border-title-color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the app runs these as the key arrives, before it hands out the next key. Textual's
        # own tab runs only once the field has passed the key up, and keys typed right behind it
        # (a burst over SSH, a fast typist on a busy machine) went into the field being left.
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True, id="form-next-field"),
        Binding(
            "shift+tab", "app.focus_previous", "Previous field", show=False, priority=True, id="form-previous-field"
        ),
    ]

    class FieldChanged(Message):
        """A field of ``key`` now holds ``value``; ``scope`` is "payload" or "variant"."""

        def __init__(self, key: VariantKey, scope: str, name: str, value: Any) -> None:
            super().__init__()
            self.key = key
            self.scope = scope
            self.name = name
            self.value = value

    class UploadRequested(Message):
        """The person typed a local file path to attach to ``key``."""

        def __init__(self, key: VariantKey, path: str) -> None:
            super().__init__()
            self.key = key
            self.path = path

    def __init__(self, *, on_field_changed: Callable[[FieldChanged], None] | None = None, **kwargs) -> None:
        """``on_field_changed``, when given, receives each :class:`FieldChanged` at once instead
        of as a posted message: a message reaches the screen through every container between,
        a turn of the event loop each, and a screen update (~6 ms on a 100 KB body) usually
        runs first (benchmarks: typing, keystroke → edit stored)."""
        super().__init__(**kwargs)
        self._on_field_changed = on_field_changed
        self._rebuilding = asyncio.Lock()
        self.key: VariantKey | None = None
        self.variant: Variant | None = None
        self._fields: dict[str, tuple[str, str]] = {}  # widget id → (scope, name)
        # Server text holding escape or control characters is shown cleaned (a text widget would
        # send them to the terminal raw); while the field still shows exactly that, the server's
        # own value stands, so merely opening a variant never changes it.
        self._raw: dict[str, tuple[str, str]] = {}  # widget id → (shown, server value)
        # Fields whose own text holds private-use characters that look like the stand-ins for
        # hidden characters (tui.text.field_marks): read back as they are.
        self._no_marks: set[str] = set()
        # What each field widget held when it was drawn or last reported a change: a widget
        # holding something else has a change message still queued (see report_pending).
        self._reported: dict[str, Any] = {}

    # Below this width the status, priority and day boxes no longer fit side by side ("Activ/e"):
    # they stack instead. At 80 columns that is while the tree is shown beside the form.
    STACK_BELOW = 60

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < self.STACK_BELOW, "-stacked")

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Whether the focused field takes ``key`` as typed text, so the footer leaves it out.

        Textual asks each field with the key's character, but finds none for keys it renamed
        ("slash" is SOLIDUS to Unicode), so "/ Filter" stayed in the footer while "/" was typed.
        """
        if character is None:
            character = _RENAMED_KEYS.get(key)
        focused = self.screen.focused
        if character is None or focused is None or focused is self or self not in focused.ancestors:
            return False
        return focused.check_consume_key(key, character)

    def compose(self):
        yield Static(Text("Choose a variant in the tree (enter) to edit it."), id="form-empty")

    async def show(
        self,
        key: VariantKey,
        variant: Variant,
        *,
        step: Step | None,
        letter: str,
        assignees: list[AssigneeTeam],
        read_only: bool = False,
        where: str = "",
    ) -> None:
        """Rebuild the fields for ``variant`` (the edited copy); ``where`` names its sequence.

        Rebuilds run one at a time: two interleaved (a reload landing while a variant opens)
        would each remove the children before either had mounted its own, and both sets of
        fields would then be mounted with the same ids.
        """
        async with self._rebuilding:
            self.key, self.variant = key, variant
            self._fields = {}
            self._raw = {}
            self._no_marks = set()
            await self.remove_children()
            fields = self._build(
                variant, step=step, letter=letter, assignees=assignees, read_only=read_only, where=where
            )
            await self.mount_all(list(fields))
            self._reported = {}
            for widget_id in self._fields:
                for widget in self.query(f"#{widget_id}"):
                    known, value = _widget_value(widget)
                    if known:
                        self._reported[widget_id] = value
            self._title_selects()
            self.scroll_home(animate=False)

    def _title_selects(self) -> None:
        """Name each drop-down on its border, as the text fields are named."""
        from textual.widgets._select import SelectCurrent

        titles = {"field-status": "Status", "field-priority": "Priority", "field-assigneeId": "Assignee"}
        for select in self.query(Select):
            title = titles.get(select.id or "")
            if title:
                for current in select.query(SelectCurrent):
                    current.border_title = title

    async def clear(self) -> None:
        """Show the empty state."""
        self.key = self.variant = None
        self._fields = {}
        await self.remove_children()
        await self.mount(Static(Text("Choose a variant in the tree (enter) to edit it."), id="form-empty"))

    def _register(self, widget: Widget, scope: str, name: str) -> Widget:
        assert widget.id is not None
        self._fields[widget.id] = (scope, name)
        return widget

    def _build(
        self,
        variant: Variant,
        *,
        step: Step | None,
        letter: str,
        assignees: list[AssigneeTeam],
        read_only: bool,
        where: str,
    ):
        channel: Channel | UnknownChannel = variant.type
        info = channel.info
        heading = Text()
        if where:  # at 80 columns the tree hides while editing: say which sequence this is
            heading.append(one_line(where, 70) + "\n", style="dim")
        heading.append(f"Variant {letter}", style="bold")
        heading.append(f" · {info.glyph} {channel.label}")
        if (shown_day := step_day(step)) is not None:
            heading.append(f" · Day {shown_day}")
        if step is not None and step.name and step.name != channel.label:
            heading.append(f" · {one_line(step.name, 40)}", style="dim")
        if read_only:
            heading.append("  read-only", style="bold red")
        yield Static(heading, id="form-heading")
        # One line: at 80 columns the longer hint was cut to "esc back to the".
        yield Static(Text("enter or e to edit · esc: tree"), id="form-hint")

        if isinstance(channel, UnknownChannel):
            # Shown so the text can be read; the rules refuse the save (api.channel-unknown).
            yield Static(
                Text(
                    f"seqedit does not know this channel ({one_line(str(channel.raw), 30)}): "
                    "its text is shown, but saving is refused.",
                    style="bold",
                ),
                id="form-unknown-channel",
            )
        for name in info.payload_keys:
            yield self._payload_field(variant, name, info.limits.get(name), info.soft_limits.get(name))
        extra = variant.payload if isinstance(channel, UnknownChannel) else info.tolerated_keys
        for name in extra:
            if isinstance(variant.payload.get(name), str):
                field = self._payload_field(variant, name, info.limits.get(name), info.soft_limits.get(name))
                if not isinstance(channel, UnknownChannel):
                    # A key the server returns that this channel is not documented to take (a
                    # Call's connectionNote): a bare "Connection note" on a call read as a
                    # mistake (issue 13).
                    field.border_title = f"{field.border_title} · kept as the server sent it"
                    field.tooltip = (
                        f"The server returns this for {channel.label} tasks, though the channel is not documented "
                        "to use it; seqedit keeps it and sends it back as it is."
                    )
                yield field

        if info.attachments:
            yield AttachmentList(
                list(variant.attachmentIds),
                list(variant.attachments),
                unknown="attachmentIds" not in variant.model_fields_set,
                id="field-attachmentIds",
            )
            path = UndoInput(
                placeholder="path of a local file; enter uploads it", id="attach-path", select_on_focus=False
            )
            path.border_title = "Attach a file"
            yield path

        if info.task_note:
            yield self._register(
                CountedTextArea(
                    self._shown("field-taskNote", variant.taskNote or ""),
                    label="Task note",
                    limit=TASK_NOTE_LIMIT,
                    id="field-taskNote",
                ),
                "variant",
                "taskNote",
            )

        row: list[Widget] = [
            self._register(
                Select(
                    self._status_options(variant),
                    value=variant.status if variant.status is not None else Select.NULL,
                    prompt="Status: unknown",
                    allow_blank=variant.status is None,
                    id="field-status",
                ),
                "variant",
                "status",
            )
        ]
        if info.generates_task:
            row.append(
                self._register(
                    Select(
                        self._priority_options(variant),
                        value=variant.priority if variant.priority is not None else Select.NULL,
                        # Short: at 80 columns the box holds 15 characters (the note below says more).
                        prompt="not shown" if _unshown(variant, "priority") else "Priority: not set",
                        # The API cannot clear a priority, so "not set" is offered only while unset.
                        allow_blank=variant.priority is None,
                        tooltip=NOT_SHOWN_TIP if _unshown(variant, "priority") else None,
                        id="field-priority",
                    ),
                    "variant",
                    "priority",
                )
            )
        day = effective_day(variant.absoluteDays, step_day(step))
        day_input = UndoInput(
            "" if day is None else str(day),
            type="integer",
            select_on_focus=False,
            placeholder=f"{ABSOLUTE_DAYS_RANGE[0]}–{ABSOLUTE_DAYS_RANGE[1]}",
            id="field-absoluteDays",
        )
        # The day is the step's: saving it moves every variant of the step (the review says so).
        day_input.border_title = "Step day"
        if step is not None and len(step.variants) > 1:
            day_input.border_subtitle = f"all {len(step.variants)} variants"
        row.append(self._register(day_input, "variant", "absoluteDays"))
        for widget in row:
            widget.styles.width = "1fr"
        yield Horizontal(*row, classes="row")

        if info.generates_task:
            yield self._register(self._assignee_select(variant, assignees), "variant", "assigneeId")
            note = _unshown_note(variant)
            if note is not None:
                yield note

    @staticmethod
    def _status_options(variant: Variant) -> list[tuple[Text, Any]]:
        options: list[tuple[Text, Any]] = [
            (Text("● Active"), int(Status.ACTIVE)),
            (Text("○ Paused"), int(Status.PAUSED)),
        ]
        if variant.status is not None and not variant.status_known:
            # Kept as the server sent it: the option's value is that value, so showing it is no edit.
            options.append((Text(f"? status {one_line(str(variant.status), 12)}"), variant.status))
        return options

    @staticmethod
    def _priority_options(variant: Variant) -> list[tuple[Text, Any]]:
        options: list[tuple[Text, Any]] = [(Text(p.value), p) for p in Priority]
        if not variant.priority_known:
            # "?" marks it unknown; the finding under the form says why it cannot be saved.
            options.append((Text(f"? {one_line(str(variant.priority), 14)}"), variant.priority))
        return options

    def _payload_field(self, variant: Variant, name: str, limit: int | None, soft: int | None) -> Widget:
        value = variant.payload.get(name)
        widget_id = f"field-{name}"
        text = self._shown(widget_id, value if isinstance(value, str) else "")
        label = PAYLOAD_LABELS.get(name, name)
        if name == "content":
            widget: Widget = HtmlTextArea(text, label=label, limit=limit, soft_limit=soft, id=widget_id)
        elif name in _MULTILINE:
            widget = CountedTextArea(text, label=label, limit=limit, soft_limit=soft, id=widget_id)
        else:
            widget = CountedInput(text, label=label, limit=limit, soft_limit=soft, id=widget_id)
        return self._register(widget, "payload", name)

    @staticmethod
    def _assignee_options(variant: Variant, teams: list[AssigneeTeam]) -> list[tuple[Text, str]]:
        options: list[tuple[Text, str]] = []
        seen: set[str] = set()
        for team in teams:
            for user in team.users:
                if user.id in seen:
                    continue
                seen.add(user.id)
                label = Text(one_line(user.userName or user.email or user.id, 30))
                if team.teamName:
                    label.append(f" · {one_line(team.teamName, 20)}", style="dim")
                options.append((label, user.id))
        current = variant.assigneeId
        if current and current not in seen:
            options.append((Text(f"{one_line(current, 20)} (not in the assignee list)"), current))
        return options

    def _assignee_select(self, variant: Variant, teams: list[AssigneeTeam]) -> Select:
        return Select(
            self._assignee_options(variant, teams),
            value=variant.assigneeId if variant.assigneeId else Select.NULL,
            prompt="Assignee: " + ("not shown by the server" if _unshown(variant, "assigneeId") else "sequence owner"),
            allow_blank=not variant.assigneeId,  # likewise: an assignee cannot be cleared
            tooltip=NOT_SHOWN_TIP if _unshown(variant, "assigneeId") else None,
            id="field-assigneeId",
        )

    def set_assignees(self, variant: Variant, teams: list[AssigneeTeam]) -> None:
        """Refill the assignee choices once the list has arrived."""
        for select in self.query("#field-assigneeId").results(Select):
            select.set_options(self._assignee_options(variant, teams))
            if variant.assigneeId:
                select.value = variant.assigneeId

    def set_attachments(self, variant: Variant) -> None:
        """Redraw the attachment list from the edited copy."""
        for attachments in self.query(AttachmentList):
            attachments.set_attachments(
                list(variant.attachmentIds),
                list(variant.attachments),
                unknown="attachmentIds" not in variant.model_fields_set,
            )

    # -- edits go up as messages ------------------------------------------------------------------

    def _shown(self, widget_id: str, value: str) -> str:
        """``value`` as the widget may show it: no escape sequences or control characters, and
        each invisible or bidi character held by a stand-in the field draws as a mark."""
        masked = mask(value)
        if masked is None and has_stand_ins(value):
            self._no_marks.add(widget_id)
        shown = clean(value if masked is None else masked)
        if shown != value:
            self._raw[widget_id] = (shown, value)
        return shown

    def report_pending(self) -> None:
        """Report each field whose widget holds a change its message has not reported yet.

        Called before the fields are rebuilt: the old widgets go with their queued messages.
        A re-read of the open sequence landing between a choice in a drop-down and its
        Select.Changed rebuilt the form from the edited copy without the choice, and the PATCH
        went without it (test_app's task note journey, under load). A field whose widget still
        holds what it was drawn with reports nothing: the edited copy may have moved on since
        (a key such as s or p changed it from outside the form)."""
        for widget_id in list(self._fields):
            for widget in self.query(f"#{widget_id}"):
                known, value = _widget_value(widget)
                if known and (widget_id not in self._reported or self._reported[widget_id] != value):
                    self._report(widget_id, value)

    def _report(self, widget_id: str | None, value: Any) -> None:
        """A field widget now holds ``value`` (as :func:`_widget_value` reads it): tell the screen."""
        if widget_id is not None:
            self._reported[widget_id] = value
        self._post(widget_id, value)

    def _post(self, widget_id: str | None, value: Any) -> None:
        if self.key is None or widget_id not in self._fields:
            return
        raw = self._raw.get(widget_id)
        if raw is not None and value == raw[0]:
            value = raw[1]
        elif isinstance(value, str) and widget_id not in self._no_marks:
            value = unmask(value)  # the marks are the characters they stand for
        scope, name = self._fields[widget_id]
        changed = self.FieldChanged(self.key, scope, name, value)
        if self._on_field_changed is not None:
            self._on_field_changed(changed)
        else:
            self.post_message(changed)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        known, value = _widget_value(event.input, event.value)
        if known:
            self._report(event.input.id, value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "attach-path" and self.key is not None and event.value.strip():
            event.stop()
            path = event.value.strip()
            problem = upload_problem(path)
            if problem:
                # Said before any "Uploading…", and the path stays typed so it can be corrected.
                self.notify(problem, title="Upload failed", severity="error", markup=False)
                return
            self.post_message(self.UploadRequested(self.key, path))

    def upload_done(self, key: VariantKey, path: str) -> None:
        """The file at ``path`` is attached to ``key``: empty the path field, unless the person
        has moved on (another variant, another path). A failed upload leaves it to be corrected."""
        if key != self.key:
            return
        for field in self.query("#attach-path").results(Input):
            if field.value.strip() == path:
                field.value = ""

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._report(event.text_area.id, event.text_area.text)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = None if event.select.is_blank() else event.value
        self._report(event.select.id, value)


def _widget_value(widget: Widget, text: str | None = None) -> tuple[bool, Any]:
    """The value a field widget holds, as its change message reports it; (False, None) for
    nothing to report (a day that is not a number yet, a widget that is no field). ``text``:
    an Input's value as its Changed message carries it."""
    if isinstance(widget, Select):
        return True, None if widget.is_blank() else widget.value
    if isinstance(widget, TextArea):
        return True, widget.text
    if isinstance(widget, Input):
        value = widget.value if text is None else text
        if widget.id != "field-absoluteDays":
            return True, value
        number = value.strip()
        return (True, int(number)) if number.lstrip("-").isdigit() else (False, None)
    return False, None
