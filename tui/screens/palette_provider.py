"""The command palette: jump to any loaded sequence, step or variant, or run any action.

Sequences not loaded yet (a large account still listing, one the listing failed to reach) are
searched on the server by name too, once the typing pauses, and marked as found there.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from tui.api.errors import ApiError
from tui.session.workspace import VariantKey, client_name
from tui.text.safe_text import one_line
from tui.widgets import messages as m
from tui.widgets.app_access import seqedit_app

if TYPE_CHECKING:
    from tui.api.models import Sequence

# Seconds of quiet typing before the server is asked for sequence names (each key starts the
# palette's search again, cancelling the wait); as the tree's filter waits.
SERVER_SEARCH_DEBOUNCE = 0.4
SERVER_SEARCH_LIMIT = 25  # sequences asked for: the first page of matches is enough to choose from
SERVER_MARK = "  (server)"


def literal_highlight(matcher: Matcher, candidate: str) -> Content:
    """Like ``Matcher.highlight`` but never parses ``candidate`` as markup (it is server text)."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if not score:
        return content
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class JumpProvider(Provider):
    """Everything loaded in the tree, by name: "Q3 outreach › Day 3 Email › A Subject…"."""

    def _targets(self) -> list[tuple[str, m.GoToTarget]]:
        if seqedit_app(self).main_screen is None:  # the no-key screen
            return []
        from tui.api.models import step_day  # start-up: the palette's module is imported before the models

        workspace = seqedit_app(self).workspace
        targets: list[tuple[str, m.GoToTarget]] = []
        for sequence in workspace.sequences:
            title = one_line(sequence.title, 50) or sequence.id
            client = one_line(client_name(sequence), 30)
            # The client as the tree shows it, so a client's name finds its sequences here too.
            targets.append((f"{title} · {client}" if client else title, sequence.id))
            for step in workspace.steps(sequence.id) or ():
                day = f"Day {step_day(step) or '?'}"
                step_name = f"{title} › {day} {step.type.label}"
                targets.append((step_name, (sequence.id, step.id)))
                for key in workspace.variant_keys(sequence.id, step.id):
                    headline = one_line(workspace.edited(key).headline, 40)
                    targets.append((f"{step_name} › {workspace.letter(key)} {headline}", key))
        return targets

    def _jump(self, target: m.GoToTarget) -> None:
        seqedit_app(self).tell_main_screen(m.GoTo(target))

    def _reveal(self, sequence: Sequence) -> None:
        seqedit_app(self).tell_main_screen(m.RevealSequence(sequence))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        targets = self._targets()
        for text, target in targets:
            score = matcher.match(text)
            if score > 0:
                kind = (
                    "variant" if isinstance(target, VariantKey) else "step" if isinstance(target, tuple) else "sequence"
                )
                yield Hit(
                    score,
                    literal_highlight(matcher, text),
                    partial(self._jump, target),
                    text=text,
                    help=f"go to {kind}",
                )
        client = getattr(self.app, "client", None)
        if client is None or len(query.strip()) < 2 or not self._on_main_screen():
            return
        await asyncio.sleep(SERVER_SEARCH_DEBOUNCE)  # cancelled by the palette when a key follows
        known = {sequence.id for sequence in seqedit_app(self).workspace.sequences}
        try:
            pages = client.iter_sequence_pages(name=query.strip(), page_size=SERVER_SEARCH_LIMIT)
            try:
                found = (await anext(pages)).items
            except StopAsyncIteration:
                found = []
            finally:
                await pages.aclose()
        except ApiError as exc:
            text = f"Searching the server failed: {one_line(str(exc) or type(exc).__name__, 120)}"
            yield Hit(0.01, Content(text), partial(self.app.notify, text, severity="warning", markup=False), text=text)
            return
        for sequence in found:
            if sequence.id in known:
                continue  # loaded: listed above if it matched
            title = one_line(sequence.title, 50) or sequence.id
            client_text = one_line(client_name(sequence), 30)
            text = f"{title} · {client_text}" if client_text else title
            # The server matched it by name; rank it by the same measure as the loaded ones.
            score = max(matcher.match(text), 0.05)
            yield Hit(
                score,
                literal_highlight(matcher, text) + Content(SERVER_MARK),
                partial(self._reveal, sequence),
                text=text + SERVER_MARK,
                help="found on the server, not loaded yet · go to sequence",
            )

    def _on_main_screen(self) -> bool:
        return seqedit_app(self).main_screen is not None

    async def discover(self) -> Hits:
        for text, target in self._targets()[:50]:
            if isinstance(target, str):
                yield DiscoveryHit(Text(text), partial(self._jump, target), text=text, help="go to sequence")


class ActionProvider(Provider):
    """Every action that has a binding with a description, run from the palette."""

    def _actions(self) -> list[tuple[str, str, object, str]]:
        """(description, action, node, help) for every described binding, each action once."""
        found: list[tuple[str, str, object, str]] = []
        seen: set[str] = set()
        main = seqedit_app(self).main_screen
        for node in (main, self.app):
            if node is None:
                continue
            for bindings in node._bindings.key_to_bindings.values():
                for binding in bindings:
                    if binding.description and binding.action not in seen:
                        seen.add(binding.action)
                        found.append((binding.description, binding.action, node, self._help(binding)))
        return found

    def _help(self, binding: Binding) -> str:
        # What a person can use: the key and what it does, not the action's internal name.
        key = self.app.get_key_display(binding)
        return f"{key} · {binding.tooltip}" if binding.tooltip else key

    async def _run(self, action: str, node: object) -> None:
        await self.app.run_action(action, node)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, action, node, help_text in self._actions():
            score = matcher.match(description)
            if score > 0:
                yield Hit(
                    score,
                    literal_highlight(matcher, description),
                    partial(self._run, action, node),
                    text=description,
                    help=help_text,
                )

    async def discover(self) -> Hits:
        for description, action, node, help_text in self._actions():
            yield DiscoveryHit(Content(description), partial(self._run, action, node), text=description, help=help_text)
