"""The user's keymap: binding id → keys, from the config's ``[keymap]`` table, applied to the app.

Every seqedit ``Binding`` has an id (``save-variant``, ``open-in-editor``, …); the help screen
(``?``/F1) lists them. Multiplexers take ctrl+s, ctrl+j and ctrl+o, so users move those here::

    [keymap]
    save-variant = "f2"
    open-in-editor = "f4,ctrl+g"

Unknown ids and keys that are not keys are reported (one message each, naming the id) and left
out; the rest is applied with ``App.set_keymap``.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.text.safe_text import one_line

if TYPE_CHECKING:
    from textual.app import App

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
# Packages whose widgets and screens declare seqedit's bindings; imported so that lazily loaded
# screens (help, review…) count as known before they are first shown.
BINDING_PACKAGES = ("tui.screens", "tui.widgets")


@dataclass(frozen=True)
class KnownBinding:
    """One binding id the keymap may move: where it is declared, its default keys, what it does."""

    id: str
    keys: str
    description: str
    owner: str
    # True for bindings of the app or a screen: they are live while a text field has focus.
    above_fields: bool = True


def known_bindings(app: App | type[App]) -> dict[str, KnownBinding]:
    """Every binding id declared by the app class and seqedit's screens and widgets.

    ``app`` may be the class: headless commands (``seqedit config``) check a keymap without
    building an app, and get the same ids the running app does."""
    from textual.app import App
    from textual.binding import Binding
    from textual.dom import DOMNode
    from textual.screen import Screen

    for package in BINDING_PACKAGES:
        _import_all(package)
    app_class = app if isinstance(app, type) else type(app)
    classes: list[type] = [cls for cls in app_class.__mro__ if isinstance(cls, type) and issubclass(cls, DOMNode)]
    classes.extend(cls for cls in _subclasses(DOMNode) if cls.__module__.startswith("tui."))
    known: dict[str, KnownBinding] = {}
    for cls in classes:
        for item in cls.__dict__.get("BINDINGS", ()):
            if isinstance(item, Binding) and item.id and item.id not in known:
                above = issubclass(cls, (App, Screen))
                known[item.id] = KnownBinding(item.id, item.key, item.description, cls.__name__, above)
    return known


def check_keymap(keymap: Mapping[str, str], known: Mapping[str, KnownBinding]) -> tuple[dict[str, str], list[str]]:
    """Split ``keymap`` into the usable part and one plain-text problem per unusable entry."""
    usable: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        shown_id = one_line(binding_id, 60)
        if binding_id not in known:
            close = difflib.get_close_matches(binding_id, list(known), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else "; the help screen (? or F1) lists the ids"
            problems.append(f"keymap: unknown binding id '{shown_id}'{hint}")
            continue
        if not isinstance(keys, str):
            problems.append(f'keymap.{shown_id}: must be a key string such as "ctrl+w"')
            continue
        parts = [part.strip() for part in keys.split(",")]
        bad = next((part for part in parts if not is_key(part)), None)
        if bad is not None:
            problems.append(
                f'keymap.{shown_id}: \'{one_line(bad, 40)}\' is not a key (e.g. "ctrl+w", "f2", "alt+e", "question_mark")'
            )
            continue
        usable[binding_id] = ",".join(parts)
    problems.extend(_clashes(usable, known))
    problems.extend(_taken_by_text_fields(usable, known))
    return usable, problems


def apply_keymap(app: App, keymap: Mapping[str, str] | None) -> list[str]:
    """Apply the usable part of ``keymap`` to ``app``; return the problems (plain text)."""
    if not keymap:
        return []
    usable, problems = check_keymap(keymap, known_bindings(app))
    app.set_keymap(usable)
    return problems


def is_key(key: str) -> bool:
    """Whether ``key`` names a key Textual can report: ``"ctrl+w"``, ``"f2"``, ``"?"``, ``"slash"``."""
    if not key:
        return False
    if len(key) == 1:
        return key.isprintable() and not key.isspace()
    *modifiers, base = key.split("+")
    if any(modifier not in MODIFIERS for modifier in modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    return base in _named_keys() or _is_character_name(base)


def _named_keys() -> frozenset[str]:
    from textual.keys import Keys

    return frozenset(key.value.rpartition("+")[2] for key in Keys if not key.value.startswith("<"))


def _is_character_name(base: str) -> bool:
    # Textual names printable keys by their Unicode name ("question_mark", "slash", "full_stop").
    # Nearly any word names some character ("banana" is U+1F34C): "ctrl+banana" was taken as a
    # key and the binding it replaced (help) became unreachable (issue 13). Only the names of
    # ASCII characters count; any other character is written as itself ("é").
    from textual.keys import REPLACED_KEYS, _get_unicode_name_from_key

    try:
        character = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(base, base)))
    except KeyError:
        return False
    return character.isascii()


def _normal(key: str) -> str:
    from textual.keys import _character_to_key

    return _character_to_key(key) if len(key) == 1 else key


def _clashes(usable: Mapping[str, str], known: Mapping[str, KnownBinding]) -> list[str]:
    # Two bindings of one class on the same key: Textual would run only one of them. Bindings of
    # different widgets may share a key (only the focused one's runs), so those are not reported.
    effective = {ident: usable.get(ident, binding.keys) for ident, binding in known.items()}
    problems = []
    for ident, keys in usable.items():
        owner = known[ident].owner
        mine = {_normal(part.strip()) for part in keys.split(",")}
        for other, other_keys in effective.items():
            if other == ident or known[other].owner != owner or (other in usable and other < ident):
                continue
            shared = mine & {_normal(part.strip()) for part in other_keys.split(",")}
            if shared:
                problems.append(
                    f"keymap.{ident}: '{sorted(shared)[0]}' is also the key of '{other}' ({known[other].description or other}); one of them will not work"
                )
    return problems


def _taken_by_text_fields(usable: Mapping[str, str], known: Mapping[str, KnownBinding]) -> list[str]:
    # A focused Input or TextArea handles its own keys first (ctrl+w deletes a word, ctrl+e goes
    # to the end), so a binding moved onto one of them stops working while typing in a field.
    from textual.widgets import Input, TextArea

    taken: dict[str, str] = {}
    for widget in (Input, TextArea):
        for item in widget.BINDINGS:
            if isinstance(item, tuple):
                continue
            for key in item.key.split(","):
                taken.setdefault(_normal(key.strip()), item.description or item.action)
    problems = []
    for ident, keys in usable.items():
        if not known[ident].above_fields:
            continue
        for key in keys.split(","):
            if _normal(key) in taken:
                problems.append(
                    f"keymap.{ident}: text fields use '{key}' themselves ({taken[_normal(key)].lower()}), so it will not work while typing in one"
                )
                break
    return problems


def _import_all(package_name: str) -> None:
    try:
        package = importlib.import_module(package_name)
    except ImportError:
        return
    for info in pkgutil.iter_modules(package.__path__):
        try:
            importlib.import_module(f"{package_name}.{info.name}")
        except Exception:  # a module that fails to import declares no bindings we could move
            continue


def _subclasses(cls: type) -> Iterable[type]:
    sub: type
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)
