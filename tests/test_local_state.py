"""Local state that cannot be trusted (issue 18.3, 18.8, 18.10, 18.11): directories of another
user or writable by others, planted links, a damaged or deleted drafts file, directories that
cannot be created."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tui.api.models import Variant
from tui.config.paths import EXIT_DIRECTORY, DirectoryProblem, state_dir
from tui.drafts import DraftKey, DraftStore, DraftStoreError

KEY = DraftKey("demo", "seq", "step", "v1")


def email(subject: str, content: str = "<p>Hi</p>") -> Variant:
    return Variant.model_validate({"id": "v1", "type": "Email", "payload": {"subject": subject, "content": content}})


def private_dir(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


# -- 18.3: directories and files that are not the user's own ---------------------------------


def test_state_directory_is_created_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEQEDIT_STATE_DIR", str(tmp_path / "a" / "state"))
    os.umask(0o022)
    path = state_dir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o700


def test_a_readable_directory_of_ours_is_narrowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wide = tmp_path / "state"
    wide.mkdir()
    wide.chmod(0o755)
    monkeypatch.setenv("SEQEDIT_STATE_DIR", str(wide))
    assert state_dir() == wide
    assert stat.S_IMODE(wide.stat().st_mode) == 0o700


def test_a_directory_others_can_write_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # a shared temporary directory
    monkeypatch.setenv("SEQEDIT_STATE_DIR", str(shared))
    with pytest.raises(DirectoryProblem) as raised:
        state_dir()
    text = str(raised.value)
    assert str(shared) in text and "SEQEDIT_STATE_DIR" in text and "other users can write" in text
    with pytest.raises(DirectoryProblem):
        DraftStore(shared / "drafts.sqlite3")
    assert not (shared / "drafts.sqlite3").exists()


def test_a_directory_of_another_user_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a directory to another user takes root")
    theirs = private_dir(tmp_path / "theirs")
    os.chown(theirs, 12345, 12345)
    monkeypatch.setenv("SEQEDIT_STATE_DIR", str(theirs))
    with pytest.raises(DirectoryProblem, match="belongs to another user"):
        state_dir()


@pytest.mark.parametrize("victim_exists", [True, False])
def test_a_planted_link_is_not_followed(tmp_path: Path, victim_exists: bool) -> None:
    victim = tmp_path / "victims-file"
    if victim_exists:
        victim.write_bytes(b"")  # SQLite would take an empty file for a new database
    state = private_dir(tmp_path / "state")
    (state / "drafts.sqlite3").symlink_to(victim)
    with pytest.raises(DraftStoreError, match="symbolic link"):
        DraftStore(state / "drafts.sqlite3")
    if victim_exists:
        assert victim.read_bytes() == b""
    else:
        assert not victim.exists()


def test_a_planted_link_to_the_wal_is_not_followed(tmp_path: Path) -> None:
    state = private_dir(tmp_path / "state")
    victim = tmp_path / "victims-file"
    victim.write_text("mine")
    (state / "drafts.sqlite3-wal").symlink_to(victim)
    with pytest.raises(DraftStoreError, match="symbolic link"):
        DraftStore(state / "drafts.sqlite3")
    assert victim.read_text() == "mine"


# -- 18.11: a directory that cannot be created ------------------------------------------------


def _seqedit(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **env},
    )


@pytest.mark.parametrize(
    ("args", "variable"),
    [
        (("--demo",), "SEQEDIT_STATE_DIR"),
        (("lint", "--demo", "--all"), "SEQEDIT_DATA_DIR"),
        (("config", "show"), "SEQEDIT_CONFIG_DIR"),
    ],
)
def test_a_directory_that_cannot_be_created_is_named_without_a_traceback(
    tmp_path: Path, args: tuple[str, ...], variable: str
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    env = {name: str(blocker / name.lower()) for name in ("SEQEDIT_STATE_DIR", "SEQEDIT_DATA_DIR")}
    env["SEQEDIT_CONFIG_DIR"] = str(tmp_path / "config")
    env[variable] = str(blocker / "here")
    result = _seqedit(*args, env=env)
    assert result.returncode == EXIT_DIRECTORY, result.stderr
    assert "Traceback" not in result.stderr
    assert str(blocker / "here") in result.stderr and variable in result.stderr


def test_the_app_refuses_a_shared_state_directory_before_starting(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    result = _seqedit("--demo", env={"SEQEDIT_STATE_DIR": str(shared)})
    assert result.returncode == EXIT_DIRECTORY
    assert "Traceback" not in result.stderr
    assert f"cannot use the state directory {shared}: other users can write to it" in result.stderr
    assert not (shared / "drafts.sqlite3").exists()


# -- 18.10: a damaged page ---------------------------------------------------------------------


def _fill(path: Path, count: int) -> None:
    with DraftStore(path) as store:
        for n in range(count):
            key = DraftKey("demo", "seq", "step", f"v{n:03}")
            store.save_draft(key, base=email("base"), edited=email(f"row-{n:03}", "x" * 1500))


def test_one_damaged_page_is_moved_aside_and_the_readable_drafts_kept(tmp_path: Path) -> None:
    path = private_dir(tmp_path / "state") / "drafts.sqlite3"
    _fill(path, 80)
    data = bytearray(path.read_bytes())
    page_size = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    page = data.index(b'"row-040"') // page_size
    data[page * page_size : (page + 1) * page_size] = os.urandom(page_size)
    path.write_bytes(bytes(data))

    with DraftStore(path) as store:  # raised "database disk image is malformed" on every start
        (problem,) = store.problems
        assert "damaged" in problem and "moved to" in problem
        subjects = {d.edited.payload["subject"] for d in store.drafts()}
        assert 60 <= len(subjects) < 80 and "row-000" in subjects and "row-079" in subjects
        assert "row-040" not in subjects
        store.save_draft(KEY, base=email("base"), edited=email("new"))
    (aside,) = [p for p in path.parent.iterdir() if ".broken-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert str(aside) in problem
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- 18.8: deleted while running ---------------------------------------------------------------


def test_a_drafts_file_deleted_while_open_is_created_again(tmp_path: Path) -> None:
    path = private_dir(tmp_path / "state") / "drafts.sqlite3"
    store = DraftStore(path)
    store.save_draft(KEY, base=email("base"), edited=email("one"))
    path.unlink()  # someone cleans up the state directory
    other = DraftKey("demo", "seq", "step", "v2")
    store.save_draft(other, base=email("base"), edited=email("two"))
    assert store.generation == 1
    assert any("was deleted while seqedit was running" in p for p in store.problems)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # Another process sees the new file: the write did not vanish into the deleted one.
    with DraftStore(path) as again:
        assert [d.key for d in again.drafts()] == [other]
    store.close()


# -- the version-1 file -------------------------------------------------------------------------


def test_a_version_one_file_is_migrated_with_its_drafts(tmp_path: Path) -> None:
    path = private_dir(tmp_path / "state") / "drafts.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE drafts (account TEXT NOT NULL, sequence_id TEXT NOT NULL, step_id TEXT NOT NULL,
            variant_id TEXT NOT NULL, base TEXT NOT NULL, edited TEXT NOT NULL, focus TEXT,
            cursor_line INTEGER, cursor_column INTEGER, label TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL, updated_at REAL NOT NULL,
            PRIMARY KEY (account, sequence_id, step_id, variant_id));
        """
    )
    conn.execute(
        "INSERT INTO drafts VALUES ('demo', 'seq', 'step', 'v1', ?, ?, 'field-subject', 0, 3, '', 1, 2)",
        (email("base").model_dump_json(), email("old draft").model_dump_json()),
    )
    conn.commit()
    conn.close()
    with DraftStore(path) as store:
        (draft,) = store.drafts()
        assert draft.edited.payload["subject"] == "old draft" and draft.owner == "" and draft.cursor == (0, 3)
