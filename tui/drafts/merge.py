"""Three-way comparison and merge for the conflict dialog.

``base`` is the server copy the draft started from, ``mine`` the draft, ``theirs`` the server's
copy now. Each field is classified on its own, so a teammate's change to the subject and mine to
the body merge without asking; only a field both sides changed differently needs a choice.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from tui.api.models import Variant

from .diff import MISSING, PAYLOAD_PREFIX, field_paths, get_field, same_value

Side = Literal["mine", "theirs"]


class ChangeKind(str, enum.Enum):
    """Who changed a field since the base."""

    MINE = "mine"  # only I changed it
    THEIRS = "theirs"  # only the server's copy changed
    SAME = "same"  # both changed it to the same value
    BOTH = "both"  # both changed it, differently: a person must choose


@dataclass(frozen=True)
class Conflict:
    """One field that changed on at least one side, with its three values."""

    path: str
    kind: ChangeKind
    base: Any
    mine: Any
    theirs: Any

    @property
    def needs_choice(self) -> bool:
        return self.kind is ChangeKind.BOTH


class MergeChoiceMissing(ValueError):
    """``merge`` was asked to merge fields both sides changed, without a choice for each."""

    def __init__(self, paths: list[str]):
        super().__init__("choose mine or theirs for: " + ", ".join(paths))
        self.paths = paths


def three_way(base: Variant, mine: Variant, theirs: Variant) -> list[Conflict]:
    """Every field changed since ``base`` on either side, classified; unchanged fields are left out."""
    found = []
    for path in field_paths(base, mine, theirs):
        b, m, t = get_field(base, path), get_field(mine, path), get_field(theirs, path)
        mine_changed, theirs_changed = not same_value(b, m), not same_value(b, t)
        if not mine_changed and not theirs_changed:
            continue
        if mine_changed and theirs_changed:
            kind = ChangeKind.SAME if same_value(m, t) else ChangeKind.BOTH
        else:
            kind = ChangeKind.MINE if mine_changed else ChangeKind.THEIRS
        found.append(Conflict(path, kind, b, m, t))
    return found


def merge(
    base: Variant,
    mine: Variant,
    theirs: Variant,
    choices: Mapping[str, Side] | None = None,
    *,
    default: Side | None = None,
) -> Variant:
    """The merged variant: each side's own changes kept, ``choices`` deciding per field path.

    ``choices`` may also override a one-sided change (choosing "theirs" for a field only I changed
    drops my change). A field both sides changed differently takes ``choices[path]``, else
    ``default``; with neither, :class:`MergeChoiceMissing` names the fields. The result starts from
    ``theirs`` so that keys only the server knows are kept; to save it, build the PATCH against
    ``theirs``, which is the new base.
    """
    choices = dict(choices or {})
    unknown = [side for side in choices.values() if side not in ("mine", "theirs")]
    if unknown:
        raise ValueError(f"a choice must be 'mine' or 'theirs', not {unknown[0]!r}")
    conflicts = three_way(base, mine, theirs)
    missing = [c.path for c in conflicts if c.needs_choice and c.path not in choices and default is None]
    if missing:
        raise MergeChoiceMissing(missing)

    fields: dict[str, Any] = {}
    payload = dict(theirs.payload)
    for conflict in conflicts:
        side = choices.get(conflict.path)
        if side is None:
            side = (
                (default or "mine")
                if conflict.needs_choice
                else ("mine" if conflict.kind is ChangeKind.MINE else "theirs")
            )
        value = conflict.mine if side == "mine" else conflict.theirs
        if conflict.path.startswith(PAYLOAD_PREFIX):
            key = conflict.path[len(PAYLOAD_PREFIX) :]
            if value is MISSING:
                payload.pop(key, None)
            else:
                payload[key] = value
        else:
            fields[conflict.path] = value
    fields["payload"] = payload
    # Fields ``theirs`` never returned stay unknown in the merge (the priority keeps its form).
    data = theirs.model_dump(mode="python", exclude_unset=True)
    data.update(fields)
    return Variant.model_validate(data)
