"""The drafts file shared between processes, and a writer killed with SIGKILL mid-loop."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tui.api.models import Variant
from tui.drafts import DraftKey, DraftStore
from tui.session.draft_keeper import DraftKeeper
from tui.session.workspace import Workspace

KEY = DraftKey("demo", "seq", "step", "v1")

_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tui.api.models import Variant
    from tui.drafts import DraftKey, DraftStore

    store = DraftStore(Path(sys.argv[1]))
    key = DraftKey("demo", "seq", "step", sys.argv[2])
    base = Variant(id=sys.argv[2], type="Email", payload={"subject": "base", "content": ""})
    limit = int(sys.argv[3])
    n = 0
    while limit < 0 or n < limit:
        edited = base.model_copy(update={"payload": {"subject": f"n={n}", "content": "x" * 20000}})
        store.save_draft(key, base=base, edited=edited, cursor=(0, n))
        # Printed only after the commit returned: the parent may rely on every number it reads.
        print(n, flush=True)
        n += 1
    """
)


def _writer(path: Path, variant_id: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), variant_id, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_write_from_another_process_is_visible(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    mine = DraftStore(path)  # open before the other process writes: no stale snapshot either
    writer = _writer(path, "v1", 3)
    _out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    draft = mine.get_draft(KEY)
    assert draft is not None and draft.edited.payload["subject"] == "n=2"

    base = Variant(id="v9", type="Email", payload={"subject": "from parent", "content": ""})
    mine.save_draft(("demo", "seq", "step", "v9"), base=base, edited=base, label="parent")
    reader = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from tui.drafts import DraftStore; "
            "print([d.label for d in DraftStore(__import__('pathlib').Path(sys.argv[1])).drafts()])",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert reader.returncode == 0, reader.stderr
    assert reader.stdout.strip() == "['parent', '']"


def test_two_processes_writing_at_once(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    writers = [_writer(path, f"v{i}", 150) for i in range(3)]
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert out.split()[-1] == "149"
    drafts = DraftStore(path).drafts()
    assert sorted(d.key.variant_id for d in drafts) == ["v0", "v1", "v2"]
    assert {d.edited.payload["subject"] for d in drafts} == {"n=149"}


def test_sigkill_keeps_the_last_committed_draft(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    writer = _writer(path, "v1", -1)
    last = -1
    assert writer.stdout is not None
    for line in writer.stdout:
        last = int(line)
        if last >= 200:
            break
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    draft = DraftStore(path).get_draft(KEY)
    assert draft is not None
    n = int(draft.edited.payload["subject"].removeprefix("n="))
    # Every number printed was committed; the writer may have committed one or two more since.
    assert n >= last
    assert draft.cursor == (0, n)
    assert draft.edited.payload["content"] == "x" * 20000


# A window that writes a draft, says so, and ends without closing the file (as SIGKILL would)
# when its stdin closes.
_WINDOW = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from tui.api.models import Variant
    from tui.drafts import DraftKey, DraftStore

    store = DraftStore(Path(sys.argv[1]))
    base = Variant(id="v1", type="Email", payload={"subject": "base", "content": ""})
    edited = base.model_copy(update={"payload": {"subject": "edited", "content": ""}})
    store.save_draft(DraftKey("demo", "seq", "step", "v1"), base=base, edited=edited)
    print("written", flush=True)
    sys.stdin.read()
    os._exit(0)
    """
)


def test_a_window_that_ended_but_is_not_reaped_yet_gives_its_drafts_to_the_next_start(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    window = subprocess.Popen(
        [sys.executable, "-c", _WINDOW, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert window.stdin is not None and window.stdout is not None
    try:
        assert window.stdout.readline().strip() == "written"
        # While it runs, its draft stays its own: a second window does not take it.
        keeper = DraftKeeper(Workspace(), DraftStore(path), "demo")
        assert keeper.restore() == []
        assert [keeper.mine(d) for d in keeper.drafts()] == [False]
        assert list(keeper.others()) == [keeper.drafts()[0].owner]
        keeper.close()

        window.stdin.close()  # it ends; not reaped, it stays a zombie (as under a busy init)
        end = time.monotonic() + 30
        while os.waitid(os.P_PID, window.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
            assert time.monotonic() < end, "the window did not end"
            time.sleep(0.02)
        keeper = DraftKeeper(Workspace(), DraftStore(path), "demo")
        (draft,) = keeper.restore()
        assert draft.edited.payload["subject"] == "edited"
        assert [keeper.mine(d) for d in keeper.drafts()] == [True] and keeper.others() == {}
        keeper.close()
    finally:
        if window.poll() is None:
            window.kill()
        window.wait(timeout=30)
