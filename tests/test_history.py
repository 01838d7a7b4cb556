"""Save history, the field diff every screen uses, and the three-way merge of the conflict dialog."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.api.channels import Priority
from tui.api.models import Variant, build_update
from tui.drafts import (
    MISSING,
    ChangeKind,
    DraftKey,
    DraftStore,
    MergeChoiceMissing,
    diff_variants,
    format_value,
    merge,
    text_diff,
    three_way,
)

KEY = DraftKey("demo", "seq", "step", "v1")


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        self.now += 1
        return self.now


def email(subject: str = "Hello", content: str = "<p>Hi</p>", **fields) -> Variant:
    return Variant.model_validate(
        {"id": "v1", "type": "Email", "payload": {"subject": subject, "content": content}, **fields}
    )


def task(**fields) -> Variant:
    return Variant.model_validate({"id": "t1", "type": "LinkedInMessage", "payload": {"message": "hi"}, **fields})


# -- history -----------------------------------------------------------------------------


def test_versions_newest_first_with_their_diffs(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "d.sqlite3", clock=Clock())
    v0, v1, v2 = email("one"), email("two"), email("two", "<p>Bye</p>", status=0)
    first = store.record_save(KEY, before=v0, sent=build_update(v0, v1).body(), after=v1)
    second = store.record_save(KEY, before=v1, sent=build_update(v1, v2).body(), after=v2)
    store.record_save(DraftKey("demo", "seq", "step", "other"), before=v0, sent={}, after=v0)

    versions = store.versions(KEY)
    assert [v.id for v in versions] == [second, first]
    assert versions[0].saved_at > versions[1].saved_at
    assert [(c.path, c.before, c.after) for c in versions[0].changes()] == [
        ("status", 1, 0),
        ("payload.content", "<p>Hi</p>", "<p>Bye</p>"),
    ]
    assert versions[1].sent == {"payload": {"subject": "two", "content": "<p>Hi</p>"}}
    assert [c.path for c in versions[1].changes()] == ["payload.subject"]
    # Restoring a version means editing back to its ``before``: the PATCH undoes the save.
    assert build_update(versions[0].result, versions[0].before).body() == {
        "status": 1,
        "payload": {"subject": "two", "content": "<p>Hi</p>"},
    }
    assert store.version(first) == versions[1]
    assert store.version(99999) is None
    assert store.versions(("demo", "seq", "step", "nothing")) == []


def test_version_without_a_reread_copy_applies_what_was_sent(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "d.sqlite3")
    before = task(priority="High")
    sent = {"taskNote": "call first", "priority": "Urgent"}
    version = store.version(store.record_save(KEY, before=before, sent=sent, after=None))
    assert version.after is None
    assert version.result.taskNote == "call first" and version.result.priority is Priority.URGENT
    assert [c.path for c in version.changes()] == ["taskNote", "priority"]


def test_history_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    with DraftStore(path) as store:
        store.record_save(KEY, before=email("a"), sent={"payload": {"subject": "b"}}, after=email("b"))
    with DraftStore(path) as store:
        (version,) = store.versions(KEY)
        assert version.after == email("b") and version.key == KEY


# -- diff --------------------------------------------------------------------------------


def test_diff_compares_payload_keys_one_by_one() -> None:
    a = email("Hi", "<p>x</p>").model_copy(
        update={"payload": {"subject": "Hi", "content": "<p>x</p>", "preheader": "p"}}
    )
    b = email("Hi", "<p>y</p>").model_copy(update={"payload": {"subject": "Hi", "content": "<p>y</p>", "extra": 1}})
    changes = diff_variants(a, b)
    assert [(c.path, c.before, c.after) for c in changes] == [
        ("payload.content", "<p>x</p>", "<p>y</p>"),
        ("payload.preheader", "p", MISSING),
        ("payload.extra", MISSING, 1),
    ]
    assert diff_variants(a, a) == []


def test_diff_in_patch_order_and_agrees_with_the_patch_body() -> None:
    a = task(priority="Low", taskNote=None, absoluteDays=2, assigneeId="u1")
    b = task(priority="Urgent", taskNote="ring", absoluteDays=3, assigneeId="u2", status=0)
    paths = [c.path for c in diff_variants(a, b)]
    assert paths == ["status", "taskNote", "absoluteDays", "assigneeId", "priority"]
    assert set(build_update(a, b).body()) == set(paths)


def test_long_values_get_a_line_diff() -> None:
    before = "<p>one</p>\n<p>two</p>\n<p>three</p>"
    after = "<p>one</p>\n<p>2</p>\n<p>three</p>"
    (change,) = diff_variants(email(content=before), email(content=after))
    assert change.is_long
    assert change.lines() == [
        "--- before",
        "+++ after",
        "@@ -1,3 +1,3 @@",
        " <p>one</p>",
        "-<p>two</p>",
        "+<p>2</p>",
        " <p>three</p>",
    ]
    (short,) = diff_variants(email("a"), email("b"))
    assert not short.is_long


def test_text_diff() -> None:
    assert text_diff("same", "same") == []
    lines = text_diff("a\nb\n", "a\nc\n", labels=("server", "mine"))
    assert lines[:2] == ["--- server", "+++ mine"] and "-b" in lines and "+c" in lines
    assert all(not line.endswith("\n") for line in lines)


def test_format_value() -> None:
    assert format_value(None) == "(none)" and format_value(MISSING) == "(none)"
    assert format_value(Priority.HIGH) == "High"
    assert format_value(["a1", "a2"]) == "a1, a2" and format_value([]) == "(empty)"
    assert format_value({"b": 1, "a": "x"}) == '{"a": "x", "b": 1}'


# -- three-way and merge -----------------------------------------------------------------


def test_three_way_classifies_each_field() -> None:
    base = task(taskNote="note", priority="Normal", absoluteDays=1, assigneeId="u1")
    mine = task(taskNote="my note", priority="High", absoluteDays=2, assigneeId="u1")
    theirs = task(taskNote="their note", priority="High", absoluteDays=1, assigneeId="u9")
    kinds = {c.path: c.kind for c in three_way(base, mine, theirs)}
    assert kinds == {
        "taskNote": ChangeKind.BOTH,
        "absoluteDays": ChangeKind.MINE,
        "assigneeId": ChangeKind.THEIRS,
        "priority": ChangeKind.SAME,
    }
    note = next(c for c in three_way(base, mine, theirs) if c.path == "taskNote")
    assert (note.base, note.mine, note.theirs, note.needs_choice) == ("note", "my note", "their note", True)
    assert three_way(base, base, base) == []


def test_merge_keeps_both_sides_and_follows_choices() -> None:
    base = email("Subject", "<p>body</p>", absoluteDays=1)
    mine = email("My subject", "<p>my body</p>", absoluteDays=1)
    theirs = email("Subject", "<p>their body</p>", absoluteDays=4, serverOnly="kept")
    with pytest.raises(MergeChoiceMissing) as missing:
        merge(base, mine, theirs)
    assert missing.value.paths == ["payload.content"]

    merged = merge(base, mine, theirs, {"payload.content": "theirs"})
    assert merged.payload == {"subject": "My subject", "content": "<p>their body</p>"}
    assert merged.absoluteDays == 4 and merged.extras() == {"serverOnly": "kept"}

    merged = merge(base, mine, theirs, {"payload.content": "mine", "absoluteDays": "mine"})
    assert merged.payload["content"] == "<p>my body</p>" and merged.absoluteDays == 1
    # Saving the merge means a PATCH against the server's copy: only my side's changes go out.
    assert build_update(theirs, merged).body() == {
        "payload": {"subject": "My subject", "content": "<p>my body</p>"},
        "absoluteDays": 1,
    }

    # "Take theirs" for everything, and "keep mine" for everything.
    assert merge(base, mine, theirs, default="theirs", choices={"payload.subject": "theirs"}).payload == theirs.payload
    assert merge(base, mine, theirs, default="mine").payload == mine.payload


def test_merge_removes_a_payload_key_one_side_dropped() -> None:
    base = email().model_copy(update={"payload": {"subject": "s", "content": "c", "preheader": "p"}})
    mine = email().model_copy(update={"payload": {"subject": "s", "content": "c"}})
    theirs = email().model_copy(update={"payload": {"subject": "s2", "content": "c", "preheader": "p"}})
    merged = merge(base, mine, theirs)
    assert merged.payload == {"subject": "s2", "content": "c"}


def test_merge_enums_and_bad_choice() -> None:
    base, mine, theirs = task(priority="Low"), task(priority="High"), task(priority="Urgent")
    assert merge(base, mine, theirs, {"priority": "mine"}).priority is Priority.HIGH
    with pytest.raises(ValueError, match="'mine' or 'theirs'"):
        merge(base, mine, theirs, {"priority": "both"})  # type: ignore[dict-item]
