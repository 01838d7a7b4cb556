"""SIGKILL mid-save (issue 18.9): the PATCH reached the server, the process died before it could
retire the draft or write the history. The next start compares each draft with the server's
copy, says which were saved already, records the save in the history once, and drops the draft.

The window that dies is a real process: it writes the draft through the store, as the app's
journal does, and is killed with SIGKILL (its window row stays behind, as after a real crash).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from test_app_support import client_for, make_app, settle
from test_drafts_app_support import notes, store

from tui.api.models import build_update
from tui.config.paths import state_dir
from tui.drafts import DraftKey
from tui.session.workspace import VariantKey

_DYING_WINDOW = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tui.api.models import Variant
    from tui.drafts import DraftKey, DraftStore

    store = DraftStore(Path(sys.argv[1]))
    base = Variant.model_validate_json(sys.argv[3])
    edited = Variant.model_validate_json(sys.argv[4])
    store.save_draft(DraftKey("demo", *sys.argv[2].split("|")), base=base, edited=edited, focus="field-subject")
    print("written", flush=True)
    time.sleep(600)  # mid-save: killed here
    """
)


async def _first_email_variant(sandbox_app) -> tuple[VariantKey, object]:
    client = client_for(sandbox_app)
    async for page in client.iter_sequence_pages():
        for sequence in page.items:
            for step in (await client.list_steps(sequence.id)).items:
                for variant in step.variants:
                    if getattr(variant.type, "value", variant.type) == "Email" and "subject" in variant.payload:
                        key = VariantKey(sequence.id, step.id, variant.id)
                        return key, await client.get_variant(*key)
    raise AssertionError("no email variant in the demo data")


def _die_with_a_draft(key: VariantKey, base, edited) -> None:
    window = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _DYING_WINDOW,
            str(state_dir() / "drafts.sqlite3"),
            "|".join(key),
            base.model_dump_json(),
            edited.model_dump_json(),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert window.stdout is not None and window.stdout.readline().strip() == "written", window.stderr
    os.kill(window.pid, signal.SIGKILL)
    window.wait(timeout=30)


async def _start_until_reported(app, pilot) -> None:
    for _ in range(200):
        await settle(pilot)
        if any(note.startswith("Drafts:") for note in notes(app)):
            return
        await pilot.pause(0.05)


async def test_a_draft_the_server_already_holds_is_reported_saved_and_recorded_once(sandbox_app) -> None:
    key, base = await _first_email_variant(sandbox_app)
    edited = base.model_copy(update={"payload": {**base.payload, "subject": base.payload["subject"] + " SAVED"}})
    _die_with_a_draft(key, base, edited)
    # The PATCH of the interrupted save had reached the server.
    await client_for(sandbox_app).update_variant(*key, build_update(base, edited))

    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await _start_until_reported(app, pilot)
        shown = notes(app)
        assert not any("unsaved draft(s)" in note for note in shown), shown
        assert any("1 draft(s) from an earlier session were already saved on the server" in n for n in shown), shown
        assert not app.workspace.dirty_keys()
        assert "unsaved" not in app.sub_title
    with store() as drafts:
        assert drafts.drafts("demo") == []
        (version,) = drafts.versions(DraftKey("demo", *key))
    assert version.before.payload["subject"] == base.payload["subject"]
    assert version.sent == {"payload": edited.payload}
    assert version.after is not None and version.after.payload["subject"].endswith(" SAVED")

    # A second start has nothing more to say, and the history holds the save once.
    again = make_app(sandbox_app)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not any(note.startswith("Drafts:") for note in notes(again))
    with store() as drafts:
        assert len(drafts.versions(DraftKey("demo", *key))) == 1


async def test_a_draft_the_server_does_not_hold_is_back_as_before(sandbox_app) -> None:
    key, base = await _first_email_variant(sandbox_app)
    edited = base.model_copy(update={"payload": {**base.payload, "subject": base.payload["subject"] + " NOT SENT"}})
    _die_with_a_draft(key, base, edited)

    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await _start_until_reported(app, pilot)
        assert any("1 unsaved draft(s) from an earlier session are back" in note for note in notes(app))
        assert app.workspace.dirty_keys() == [key]
    with store() as drafts:
        assert drafts.versions(DraftKey("demo", *key)) == []
