"""DraftKeeper.restore: a draft written before a rule of the live editing path came in comes back
as that path would have left it (one place: DraftKeeper._normalised), not as an edit the form
can neither make nor undo."""

from __future__ import annotations

from pathlib import Path

from tui.api.models import Sequence, Step, Variant
from tui.drafts import DraftKey, DraftStore
from tui.session.draft_keeper import DraftKeeper
from tui.session.new_variants import blank_variant, duplicate_variant, new_key
from tui.session.variant_checks import VariantChecks
from tui.session.workspace import VariantKey, Workspace

ACCOUNT = "demo"


def _workspace() -> tuple[Workspace, VariantKey]:
    """A vendor-like Email step: the server's own templateId, no preheader."""
    ws = Workspace()
    ws.add_sequences([Sequence(id="s1", title="Hiring managers")])
    step = Step.model_validate(
        {
            "id": "st1",
            "type": "Email",
            "absoluteDays": 1,
            "variants": [{"id": "v1", "payload": {"subject": "Hi", "content": "<p>x</p>", "templateId": 7}}],
        }
    )
    ws.set_steps("s1", [step])
    return ws, VariantKey("s1", "st1", "v1")


def _left_behind(path: Path, key: VariantKey, base: Variant, edited: Variant) -> None:
    """A draft written by a window that is gone (closed: its window row is removed)."""
    store = DraftStore(path)
    store.save_draft(DraftKey(ACCOUNT, *key), base=base, edited=edited)
    store.close()


def _restored(path: Path, ws: Workspace) -> DraftKeeper:
    keeper = DraftKeeper(ws, DraftStore(path), ACCOUNT)
    assert len(keeper.restore()) == 1
    return keeper


def test_an_old_draft_of_an_emptied_preheader_is_no_edit(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    ws, key = _workspace()
    server = ws.server_copy(key)
    emptied = server.model_copy(update={"payload": {**server.payload, "preheader": ""}}, deep=True)
    _left_behind(path, key, server, emptied)
    keeper = _restored(path, ws)
    assert not ws.is_dirty(key) and "preheader" not in ws.edited(key).payload
    # Nothing left to keep: the draft is gone from the file, and it is not "back" (nor "saved").
    assert keeper.held_nothing == [key] and not keeper.already_saved
    assert keeper.drafts() == []
    keeper.close()

    # With a real edit beside it, the edit is back and the PATCH carries no preheader.
    ws, key = _workspace()
    edited = server.model_copy(update={"payload": {**server.payload, "subject": "Hello", "preheader": ""}}, deep=True)
    _left_behind(path, key, server, edited)
    keeper = _restored(path, ws)
    assert ws.changed_fields(key) == ["payload"]
    assert "preheader" not in ws.update_for(key).body()["payload"]
    assert keeper.held_nothing == []
    keeper.close()


def test_an_old_new_variant_draft_leaves_the_servers_own_key_behind(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    ws, key = _workspace()
    step = ws.step("s1", "st1")
    assert step is not None
    new = new_key("s1", "st1")
    # As duplicate_variant made it before it left the server's own keys out.
    copy = duplicate_variant(ws.server_copy(key), new.variant_id)
    old_copy = copy.model_copy(update={"payload": {**copy.payload, "templateId": 7}}, deep=True)
    _left_behind(path, new, blank_variant(new.variant_id, step.type), old_copy)
    keeper = _restored(path, ws)
    assert ws.has(new) and ws.edited(new).payload == {"subject": "Hi", "content": "<p>x</p>"}
    rules = {finding.rule_id for finding in VariantChecks(ws).findings(new)}
    assert "api.payload-keys" not in rules
    keeper.close()
