"""The shape report of ``seqedit doctor``: the keys and JSON types the server answered with.

Never a value: a report is meant to be pasted into a bug report, so it holds key paths and type
names only. A key that could itself be data (anything but letters and underscores, such as an
id or an email address used as a key) is shown as ``<key>``.
"""

from __future__ import annotations

import re
from typing import Any

_PLAIN_KEY = re.compile(r"[A-Za-z_]{1,40}")
# A list's items are folded together: the report is about shapes, and 1,000 sequences have one.
_MAX_ITEMS = 200


def json_type(value: Any) -> str:
    """The JSON type name of ``value``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return "other"


def shown_key(key: object) -> str:
    """``key`` when it is plainly a field name, else ``<key>`` (it might be data)."""
    return key if isinstance(key, str) and _PLAIN_KEY.fullmatch(key) else "<key>"


class ShapeReport:
    """Key paths and the JSON types seen at each, per endpoint, in the order first seen."""

    def __init__(self) -> None:
        self.endpoints: dict[str, dict[str, set[str]]] = {}
        self.notes: dict[str, str] = {}

    def add(self, endpoint: str, payload: Any) -> None:
        """Fold the answer ``payload`` of ``endpoint`` (a path template, no ids) into the report."""
        self._walk(self.endpoints.setdefault(endpoint, {}), "payload", payload)

    def note(self, endpoint: str, answer: str) -> None:
        """Record how ``endpoint`` answered when it did not succeed (a status, an error class)."""
        self.notes[endpoint] = answer

    def _walk(self, paths: dict[str, set[str]], path: str, value: Any) -> None:
        paths.setdefault(path, set()).add(json_type(value))
        if isinstance(value, dict):
            for key, item in value.items():
                self._walk(paths, f"{path}.{shown_key(key)}", item)
        elif isinstance(value, list):
            for item in value[:_MAX_ITEMS]:
                self._walk(paths, f"{path}[]", item)

    def lines(self) -> list[str]:
        """The report as plain lines: ``GET /v1/…`` then ``  payload[].user.id  number``."""
        out = []
        for endpoint, paths in self.endpoints.items():
            out.append(endpoint)
            width = min(48, max((len(path) for path in paths), default=0))
            for path, types in paths.items():
                out.append(f"  {path:<{width}}  {'|'.join(sorted(types))}")
        for endpoint, answer in self.notes.items():
            out.append(f"{endpoint}: {answer}")
        return out
