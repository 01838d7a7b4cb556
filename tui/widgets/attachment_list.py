"""The attachments of an Email variant: a list to browse and remove from."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.api.models import Attachment
from tui.text.safe_text import one_line


def _size(size: int | None) -> str:
    if size is None:
        return ""
    return f" · {size / 1024:.0f} KB" if size >= 1024 else f" · {size} B"


class AttachmentList(OptionList):
    """The variant's attachment ids, named when the server told us the names."""

    DEFAULT_CSS = """
    AttachmentList { height: auto; max-height: 6; border: tall $border-blurred; border-title-color: $text-muted; }
    AttachmentList:focus { border: tall $border; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete,x", "remove_attachment", "Remove attachment", id="remove-attachment"),
    ]

    class RemoveRequested(Message):
        """The person asked to take this attachment off the variant."""

        def __init__(self, attachment_id: str) -> None:
            super().__init__()
            self.attachment_id = attachment_id

    def __init__(self, ids: list[str], known: list[Attachment], *, unknown: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = "Attachments"
        self.set_attachments(ids, known, unknown=unknown)

    def set_attachments(self, ids: list[str], known: list[Attachment], *, unknown: bool = False) -> None:
        """Show ``ids`` in order, with names and sizes from ``known`` where available.

        ``unknown``: the server never showed the list (its read had no attachmentIds), so an
        empty list is "not known", not "none"."""
        by_id = {a.id: a for a in known}
        self.clear_options()
        if not ids:
            text = "not shown by the server (attaching replaces the whole list)" if unknown else "none"
            self.add_option(Option(Text(text, style="dim italic"), id=None, disabled=True))
            return
        for attachment_id in ids:
            found = by_id.get(attachment_id)
            label = Text(one_line(found.name if found and found.name else attachment_id, 50))
            label.append(_size(found.size if found else None), style="dim")
            self.add_option(Option(label, id=attachment_id))

    def action_remove_attachment(self) -> None:
        if self.highlighted is None and self.option_count and not self.get_option_at_index(0).disabled:
            # Tabbing into the list highlights nothing; with one attachment (the usual case), x
            # should not need a Down first.
            self.highlighted = 0
            if self.option_count > 1:
                return  # several: the first is now shown as chosen, and a second x removes it
        if self.highlighted is None:
            return
        option = self.get_option_at_index(self.highlighted)
        if option.id is not None:
            self.post_message(self.RemoveRequested(option.id))
