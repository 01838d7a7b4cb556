"""Review before saving: the exact PATCH body, the field-by-field diff, the warnings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar

from rich.console import Group
from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.api.models import EDITABLE_FIELDS, Variant, known_fields
from tui.drafts.diff import diff_variants
from tui.screens.help_binding import HELP
from tui.text.safe_text import clean, one_line
from tui.widgets.key_footer import KeyFooter
from tui.widgets.scroll_keys import scroll_lines

from .diff_text import assignee_names, attachment_names, change_lines


def _severity(finding: Any) -> str:
    value = getattr(finding, "severity", "W")
    return str(getattr(value, "value", value))[:1].upper() or "W"


# The findings panel's names for each severity, so the review reads the same.
_HEADINGS = {"E": "Errors", "W": "Warnings", "I": "Advice"}
_ORDER = "EWI"


def _count(count: int, severity: str) -> str:
    if severity == "I":
        return f"{count} advice"
    noun = {"E": "error", "W": "warning"}.get(severity, "other")
    return f"{count} {noun}{'' if count == 1 else 's'}"


def blocking(findings: Sequence[Any]) -> list[Any]:
    """The findings that must stop a save (severity E)."""
    return [f for f in findings if _severity(f) == "E"]


def diff_lines(before: Variant, after: Variant, names: dict[str, str] | None = None) -> list[Text]:
    """One or more lines per changed field, as literal text (``names``: assignee id → name).
    A field the server's read did not return has an unknown "before", shown as such."""
    unknown = [name for name in EDITABLE_FIELDS if name not in known_fields(before)]
    return change_lines(diff_variants(before, after), names, unknown)


def replaces_unseen_attachments(body: dict[str, Any], before: Variant) -> bool:
    """The PATCH sends attachmentIds although the server never showed the variant's list."""
    return "attachmentIds" in body and "attachmentIds" not in known_fields(before)


class ReviewScreen(ModalScreen[bool]):
    """Shows what a save would send; dismisses True when the person confirms."""

    DEFAULT_CSS = """
    ReviewScreen { align: center middle; }
    ReviewScreen > Vertical {
        width: 100; max-width: 100%; height: 90%; border: thick $primary; background: $surface;
    }
    ReviewScreen #review-scroll { padding: 0 1; }
    ReviewScreen .review-heading { text-style: bold; color: $accent; padding-top: 1; }
    ReviewScreen #review-verdict { padding: 0 1; height: auto; }
    ReviewScreen #review-verdict.-blocked { color: $error; text-style: bold; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "confirm", "Send", id="review-confirm"),
        Binding("escape,n", "cancel", "Back to editing", id="review-cancel"),
        # Takes enter and y when the save is refused: says why instead of offering "Send".
        Binding("enter,y", "refused", "", show=False, id="review-refused"),
        # The tree's vim keys work here too: long PATCH bodies are read with j/k like the help.
        Binding("j", "scroll_review(1)", "Scroll down", show=False, id="review-scroll-down"),
        Binding("k", "scroll_review(-1)", "Scroll up", show=False, id="review-scroll-up"),
        HELP,
    ]

    def __init__(
        self,
        *,
        title: str,
        body: dict[str, Any],
        before: Variant,
        after: Variant,
        findings: Sequence[Any] = (),
        refusal: str | None = None,
        notes: Sequence[str] = (),
        request: str = "PATCH",
    ) -> None:
        """``notes``: what the save does beyond this variant (plain text), said above the body.
        ``request``: the request that carries the body ("PATCH", or "POST" for a new variant)."""
        super().__init__()
        self.request = request
        self.notes = list(notes)
        self.title_text = title
        self.body = body
        self.before = before
        self.after = after
        self.findings = list(findings)
        # Why the save cannot go ahead (read-only, an error finding), or None when it can.
        errors = blocking(self.findings)
        # Name the errors in the verdict itself: the findings list may be scrolled out of view.
        named = ", ".join(
            dict.fromkeys(one_line(f"{getattr(f, 'rule_id', '')} ({getattr(f, 'field', '')})", 80) for f in errors)
        )
        self.refusal = refusal or (f"{len(errors)} error(s) must be fixed before saving: {named}." if errors else None)

    def body_json(self) -> str:
        """The exact JSON the request will carry, pretty-printed."""
        return json.dumps(self.body, indent=2, ensure_ascii=False)

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll(id="review-scroll"):
                yield Static(Text(f"Review: {one_line(self.title_text, 80)}", style="bold"))
                if replaces_unseen_attachments(self.body, self.before):
                    # Said first, before the body: sending deletes files nobody has seen listed.
                    yield Static(
                        Text(
                            "The server never showed this variant's attachments. attachmentIds replaces the "
                            "whole list: after this save the variant has exactly the attachments below, and "
                            "any other it has now is removed.",
                            style="bold yellow",
                        ),
                        id="review-attachments-replace",
                    )
                for index, note in enumerate(self.notes):
                    yield Static(Text(one_line(note, 300), style="bold yellow"), id=f"review-note-{index}")
                yield Static(Text(f"{self.request} body"), classes="review-heading")
                yield Static(
                    Syntax(
                        clean(self.body_json(), reveal=True),
                        "json",
                        theme="ansi_dark",
                        word_wrap=True,
                        background_color="default",
                    ),
                    id="review-body",
                )
                yield Static(Text("Changes"), classes="review-heading")
                names = assignee_names(getattr(self.app, "assignees", ())) | attachment_names(self.before, self.after)
                yield Static(Group(*diff_lines(self.before, self.after, names)), id="review-diff")
                yield Static(Text(self._findings_heading()), classes="review-heading", id="review-findings-heading")
                yield Static(self._findings_text(), id="review-findings")
            verdict = Static(self._verdict(), id="review-verdict")
            verdict.set_class(self.refusal is not None, "-blocked")
            yield verdict
        yield KeyFooter()

    def _findings_heading(self) -> str:
        """ "Errors (1)", "Warnings (2)" or "Advice (1)" for one kind; "Findings (1 error, 2 warnings)" for a mix."""
        counts: dict[str, int] = {}
        for finding in self.findings:
            severity = _severity(finding)
            counts[severity] = counts.get(severity, 0) + 1
        if not counts:
            return "Findings"  # read with the "none" under it
        if len(counts) == 1:
            ((severity, count),) = counts.items()
            return f"{_HEADINGS.get(severity, 'Findings')} ({count})"
        order = sorted(counts, key=lambda s: _ORDER.index(s) if s in _ORDER else len(_ORDER))
        return "Findings (" + ", ".join(_count(counts[s], s) for s in order) + ")"

    def _findings_text(self) -> Text:
        if not self.findings:
            return Text("none", style="dim")
        text = Text()
        for finding in self.findings:
            severity = _severity(finding)
            style = {"E": "bold red", "W": "yellow"}.get(severity, "dim")
            rule = getattr(finding, "rule_id", "")
            field = getattr(finding, "field", "")
            message = getattr(finding, "message", str(finding))
            text.append(f"{severity} {rule} ", style=style)
            text.append(one_line(f"{field}: {message}" if field else message, 200))
            hint = getattr(finding, "hint", "")
            if hint:
                text.append(f" — {one_line(hint, 120)}", style="dim")
            text.append("\n")
        text.rstrip()
        return text

    def _verdict(self) -> Text:
        if self.refusal:
            return Text(f"Cannot save: {self.refusal}  (esc to go back)")
        return Text(f"enter / y sends this {self.request.split()[0]} · esc goes back to editing")

    def action_scroll_review(self, lines: int) -> None:
        """Scroll the review by ``lines`` (negative: up)."""
        scroll_lines(self.query_one("#review-scroll", VerticalScroll), lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "Send" only when the save can go ahead; otherwise enter explains the refusal."""
        if action == "confirm":
            return self.refusal is None
        if action == "refused":
            return self.refusal is not None
        return True

    def action_confirm(self) -> None:
        if self.refusal:
            self.action_refused()
            return
        self.dismiss(True)

    def action_refused(self) -> None:
        """Say why the save cannot go ahead: the verdict line says it now (a bell draws the eye
        there); the notification waits for the review to close (toasts never cover a dialog)."""
        self.app.bell()
        self.notify(self.refusal or "", severity="error", markup=False)

    def action_cancel(self) -> None:
        self.dismiss(False)
