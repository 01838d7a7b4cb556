"""Theme files: seqedit's bundled TOML themes, the user's own, and their Textual form.

A theme file is TOML whose top-level keys are the fields of Textual's ``textual.theme.Theme``
(``name`` and ``primary`` required; ``secondary``, ``accent``, ``warning``, ``error``, ``success``,
``foreground``, ``background``, ``surface``, ``panel``, ``boost`` colours; ``dark``, ``ansi``
booleans; ``luminosity_spread``, ``text_alpha`` numbers; an optional ``description``) plus a
``[variables]`` table of CSS variables. The format is documented in ``themes/README.md``.

Where themes come from, in this order:

1. bundled: ``themes/*.toml`` in the checkout, shipped inside the wheel as ``tui/themes``;
2. user: ``*.toml`` in ``tui.config.paths.data_dir() / "themes"``.

A user theme with the same name as a bundled one replaces it (copy a bundled file, change a
colour, keep the name). Within one folder the first file (by file name) claiming a name wins and
the later one is reported. Every broken file is reported as a :class:`ThemeProblem` naming the
file and the key, and skipped: loading never raises.

This module stays free of Textual at import time (headless commands list themes too);
:func:`to_textual_theme` and :func:`textual_themes` import it when called.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from tui.text.safe_text import one_line

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from textual.theme import Theme

COLOUR_FIELDS = (
    "primary",
    "secondary",
    "accent",
    "warning",
    "error",
    "success",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
BOOL_FIELDS = ("dark", "ansi")
NUMBER_FIELDS = {"luminosity_spread": (0.0, 1.0), "text_alpha": (0.0, 1.0)}
TEXT_FIELDS = ("name", "description")
KNOWN_KEYS = frozenset((*COLOUR_FIELDS, *BOOL_FIELDS, *NUMBER_FIELDS, *TEXT_FIELDS, "variables"))

# The colours seqedit's own widgets use, as theme variables (``$finding-error`` in CSS), so a
# theme can restyle them and no widget hard-codes a colour. Themes that do not define one (all
# of Textual's built-ins) get a value derived from their base colours: see semantic_defaults().
SEMANTIC_VARIABLES: Mapping[str, str] = MappingProxyType(
    {
        "finding-error": "text of an error finding (always also marked E)",
        "finding-warning": "text of a warning finding (always also marked W)",
        "finding-info": "text of an info finding (always also marked I)",
        "merge-tag": "a merge tag such as {{first_name}} in previews and editors",
        "spintax": "spintax braces and options",
        "fallback": "a merge tag's fallback value",
        "missing": "a merge tag whose field is unknown or empty",
        "diff-add": "text added in a diff (also marked +)",
        "diff-remove": "text removed in a diff (also marked -)",
        "diff-add-background": "background of an added diff line",
        "diff-remove-background": "background of a removed diff line",
        "dirty": "the unsaved-changes marker (also shown as *)",
    }
)

THEME_SUFFIX = ".toml"
USER_THEME_FOLDER = "themes"

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_VARIABLE_NAME = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_FUNCTION = re.compile(r"^(?:rgb|rgba|hsl|hsla)\(\s*[0-9.%,\s]+\)$")
_WORD = re.compile(r"^[a-z][a-z0-9_]*$")
_ALPHA = re.compile(r"^(?P<colour>.+?)\s+(?P<alpha>\d{1,3}(?:\.\d+)?)%$")
_TEXT_STYLE_WORDS = frozenset(
    [
        "none",
        "not",
        "bold",
        "b",
        "italic",
        "i",
        "underline",
        "u",
        "reverse",
        "r",
        "strike",
        "s",
        "dim",
        "d",
        "blink",
        "underline2",
        "uu",
        "overline",
        "o",
    ]
)
_ANSI_NAMES = frozenset(
    ["ansi_default"]
    + [
        f"ansi_{bright}{colour}"
        for bright in ("", "bright_")
        for colour in ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
    ]
)


@dataclass(frozen=True)
class ThemeProblem:
    """Why one theme file was skipped: the file, the key at fault (if one), and what is wrong."""

    source: str
    key: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}: {self.key}" if self.key else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ThemeSpec:
    """A validated theme file, ready to become a Textual ``Theme``."""

    name: str
    primary: str
    secondary: str | None = None
    accent: str | None = None
    warning: str | None = None
    error: str | None = None
    success: str | None = None
    foreground: str | None = None
    background: str | None = None
    surface: str | None = None
    panel: str | None = None
    boost: str | None = None
    dark: bool = True
    ansi: bool = False
    luminosity_spread: float | None = None
    text_alpha: float | None = None
    variables: Mapping[str, str] = field(default_factory=dict)
    description: str = ""
    source: str = ""
    origin: str = "user"

    def theme_kwargs(self) -> dict[str, Any]:
        """The keyword arguments for ``textual.theme.Theme`` (unset numbers keep Textual's defaults)."""
        kwargs: dict[str, Any] = {"name": self.name, "dark": self.dark, "ansi": self.ansi}
        for key in COLOUR_FIELDS:
            kwargs[key] = getattr(self, key)
        for key in NUMBER_FIELDS:
            value = getattr(self, key)
            if value is not None:
                kwargs[key] = value
        kwargs["variables"] = dict(self.variables)
        return kwargs


class ThemeFileError(ValueError):
    """One key of a theme file is unusable. Raised by :func:`to_textual_theme`; the loading
    functions turn it into a :class:`ThemeProblem` instead."""

    def __init__(self, key: str | None, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


# --- where theme files are -------------------------------------------------------------------


def bundled_theme_dir() -> Traversable | None:
    """The bundled themes folder: ``tui/themes`` in an installed wheel, else the checkout's ``themes/``."""
    package = Path(__file__).resolve().parent.parent
    for folder in (package / "themes", package.parent / "themes"):
        if folder.is_dir():
            return folder
    # A package that is not plain files (a zip) is read through importlib.resources, imported
    # only then (start-up: with its readers and zipfile, ~2 ms before the first frame).
    import importlib.resources

    packaged = importlib.resources.files("tui") / "themes"
    return packaged if packaged.is_dir() else None


def bundled_theme_files() -> list[Traversable]:
    """The bundled ``*.toml`` theme files, sorted by file name."""
    folder = bundled_theme_dir()
    return _toml_files(folder) if folder is not None else []


def user_theme_dir() -> Path:
    """Where the user's own theme files live: ``<data dir>/themes`` (not created here)."""
    from tui.config.paths import data_dir

    return data_dir() / USER_THEME_FOLDER


def user_theme_files() -> list[Path]:
    """The user's ``*.toml`` theme files, sorted by file name; none if the folder does not exist."""
    folder = user_theme_dir()
    return [Path(str(entry)) for entry in _toml_files(folder)] if folder.is_dir() else []


def _toml_files(folder: Traversable) -> list[Traversable]:
    entries = [entry for entry in folder.iterdir() if entry.name.endswith(THEME_SUFFIX) and entry.is_file()]
    return sorted(entries, key=lambda entry: entry.name)


# --- loading ---------------------------------------------------------------------------------


def load_theme_file(path: Path | Traversable, *, origin: str = "user") -> ThemeSpec | ThemeProblem:
    """Read and check one theme file; a problem (never an exception) when it is unusable."""
    source = _describe(path, origin)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return ThemeProblem(source, None, f"cannot be read ({one_line(exc.strerror or exc)})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return ThemeProblem(source, None, "is not UTF-8 text")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return ThemeProblem(source, None, f"is not valid TOML ({one_line(exc, 120)})")
    try:
        return _spec_from(data, source=source, origin=origin)
    except ThemeFileError as exc:
        return ThemeProblem(source, exc.key, exc.message)


def load_all(
    bundled: Iterable[Path | Traversable] | None = None,
    user: Iterable[Path | Traversable] | None = None,
) -> tuple[list[ThemeSpec], list[ThemeProblem]]:
    """Every usable theme (bundled, then the user's) and the problems of the files skipped.

    A user theme named like a bundled one replaces it; a name claimed twice in one folder keeps
    the first file and reports the second. The arguments default to the real folders.
    """
    problems: list[ThemeProblem] = []
    bundled_files = bundled_theme_files() if bundled is None else list(bundled)
    if user is None:
        try:
            user_files = user_theme_files()
        except OSError as exc:  # an unreadable data dir costs the user themes, not the app
            where = one_line(exc.filename or "user theme folder", 200)
            problems.append(ThemeProblem(where, None, f"cannot be read ({one_line(exc.strerror or exc)})"))
            user_files = []
    else:
        user_files = [Path(str(entry)) for entry in user]
    chosen: dict[str, ThemeSpec] = {}
    for origin, files in (("bundled", bundled_files), ("user", user_files)):
        seen_here: dict[str, str] = {}
        for path in files:
            result = load_theme_file(path, origin=origin)
            if isinstance(result, ThemeProblem):
                problems.append(result)
                continue
            if result.name in seen_here:
                problems.append(
                    ThemeProblem(
                        result.source,
                        "name",
                        f"{result.name!r} is already defined by {seen_here[result.name]}; file skipped",
                    )
                )
                continue
            seen_here[result.name] = result.source
            chosen[result.name] = result
    return list(chosen.values()), problems


def _describe(path: Path | Traversable, origin: str) -> str:
    # Bundled files are named by file name (the install path means nothing to the user); user
    # files by their full path, which is where the user has to go to fix them.
    name = path.name if origin == "bundled" else str(path)
    return one_line(name, 200)


def _spec_from(data: dict[str, Any], *, source: str, origin: str) -> ThemeSpec:
    for key in data:
        if key not in KNOWN_KEYS:
            raise ThemeFileError(_shown(key), f"unknown key (known: {', '.join(sorted(KNOWN_KEYS))})")
    values: dict[str, Any] = {}
    for key in TEXT_FIELDS:
        if key in data and not isinstance(data[key], str):
            raise ThemeFileError(key, "must be a string")
    name = data.get("name")
    if name is None:
        raise ThemeFileError("name", "is missing")
    if not _NAME.match(name):
        raise ThemeFileError(
            "name",
            f"{one_line(name, 60)!r} must be 1-40 lowercase letters, digits or '-', starting with a letter or digit",
        )
    values["name"] = name
    values["description"] = one_line(data.get("description", ""), 200)
    if "primary" not in data:
        raise ThemeFileError("primary", "is missing")
    for key in COLOUR_FIELDS:
        if key in data:
            values[key] = _colour(key, data[key], allow_alpha=False)
    for key in BOOL_FIELDS:
        if key in data:
            if not isinstance(data[key], bool):
                raise ThemeFileError(key, "must be true or false")
            values[key] = data[key]
    for key, (low, high) in NUMBER_FIELDS.items():
        if key in data:
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                raise ThemeFileError(key, f"must be a number from {low:g} to {high:g}")
            values[key] = float(value)
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise ThemeFileError("variables", "must be a table ([variables])")
    checked: dict[str, str] = {}
    for var_name, var_value in variables.items():
        key = f"variables.{_shown(var_name)}"
        if not _VARIABLE_NAME.match(var_name):
            raise ThemeFileError(key, "variable names are lowercase letters, digits and '-'")
        if not isinstance(var_value, str):
            raise ThemeFileError(key, "must be a string")
        checked[var_name] = _variable_value(key, var_name, var_value)
    values["variables"] = MappingProxyType(checked)
    return ThemeSpec(**values, source=source, origin=origin)


def _shown(key: object) -> str:
    return one_line(key, 60)


def _colour(key: str, value: object, *, allow_alpha: bool) -> str:
    if not isinstance(value, str):
        raise ThemeFileError(key, 'must be a colour string such as "#1e90ff" or "ansi_blue"')
    text = value.strip()
    if allow_alpha and (match := _ALPHA.match(text)):
        if float(match.group("alpha")) > 100:
            raise ThemeFileError(key, f"{one_line(value, 60)!r}: opacity is at most 100%")
        _colour(key, match.group("colour"), allow_alpha=False)
        return text
    if _HEX.match(text) or _FUNCTION.match(text) or text in _ANSI_NAMES or text == "transparent":
        return text
    if text.startswith("ansi_"):
        raise ThemeFileError(
            key, f"{one_line(value, 60)!r} is not an ANSI colour name (ansi_red, ansi_bright_blue, ansi_default, …)"
        )
    if _WORD.match(text.lower()):
        # A named colour such as "crimson"; Textual's colour parser checks the name when the
        # theme is built (to_textual_theme), which keeps Textual out of this module's imports.
        return text
    raise ThemeFileError(
        key, f"{one_line(value, 60)!r} is not a colour (#rrggbb, rgb(…), hsl(…), ansi_… or a colour name)"
    )


def _variable_value(key: str, name: str, value: str) -> str:
    text = value.strip()
    if not text or any(char in text for char in ";{}\n\r$"):
        raise ThemeFileError(key, "must be a single plain CSS value (no ';', braces, '$' or newlines)")
    if name.endswith("style"):
        words = text.split()
        if not all(word in _TEXT_STYLE_WORDS for word in words):
            raise ThemeFileError(
                key, f"{one_line(value, 60)!r} is not a text style (bold, italic, underline, reverse, none, …)"
            )
        return text
    return _colour(key, text, allow_alpha=True)


# --- Textual ---------------------------------------------------------------------------------


def to_textual_theme(spec: ThemeSpec, *, derive: bool = True) -> Theme:
    """Build the Textual ``Theme``; raises ThemeFileError (with the key) for a colour Textual rejects.

    ``derive``: also check that Textual can derive the theme's colours (its CSS variables).
    """
    from textual.color import Color, ColorParseError
    from textual.theme import Theme

    for key in COLOUR_FIELDS:
        value = getattr(spec, key)
        if value is not None:
            try:
                Color.parse(value)
            except ColorParseError:
                raise ThemeFileError(key, f"{one_line(value, 60)!r} is not a colour Textual knows") from None
    for name, value in spec.variables.items():
        if name.endswith("style"):
            continue
        match = _ALPHA.match(value)
        try:
            Color.parse(match.group("colour") if match else value)
        except ColorParseError:
            raise ThemeFileError(
                f"variables.{name}", f"{one_line(value, 60)!r} is not a colour Textual knows"
            ) from None
    theme = Theme(**spec.theme_kwargs())
    if not derive:
        return theme
    try:
        theme.to_color_system().generate()
    except Exception as exc:  # Textual's own derivation failing is a broken file, not a crash
        raise ThemeFileError(None, f"Textual cannot derive its colours ({one_line(exc, 120)})") from None
    return theme


def textual_themes(specs: Iterable[ThemeSpec]) -> tuple[list[Theme], list[ThemeProblem]]:
    """Textual ``Theme`` objects for ``specs``; unusable ones become problems.

    A theme may not take the name of one of Textual's built-in themes: registering it would
    silently change "textual-dark" or "nord" for the user, which is more surprising than useful.
    """
    from textual.theme import BUILTIN_THEMES

    themes: list[Theme] = []
    problems: list[ThemeProblem] = []
    for spec in specs:
        if spec.name in BUILTIN_THEMES:
            problems.append(
                ThemeProblem(
                    spec.source, "name", f"{spec.name!r} is one of Textual's built-in themes; choose another name"
                )
            )
            continue
        try:
            # The bundled files' derivations are checked by tests/test_themes.py, not at every
            # start (start-up: ~0.6 ms each; Textual derives the chosen one's when it styles).
            themes.append(to_textual_theme(spec, derive=spec.origin != "bundled"))
        except ThemeFileError as exc:
            problems.append(ThemeProblem(spec.source, exc.key, exc.message))
    return themes, problems


def semantic_defaults(base: Mapping[str, str]) -> dict[str, str]:
    """Values for :data:`SEMANTIC_VARIABLES` derived from a theme's generated Textual colours.

    ``base`` is ``Theme.to_color_system().generate()`` (keys such as ``text-error``). An app
    returns this from ``App.get_theme_variable_defaults`` so that ``$merge-tag`` and friends
    resolve under every theme, including Textual's built-ins; a theme's own variables win.
    """

    def pick(*names: str) -> str:
        for name in names:
            if name in base:
                return base[name]
        return "ansi_default"

    return {
        "finding-error": pick("text-error", "error"),
        "finding-warning": pick("text-warning", "warning"),
        "finding-info": pick("text-primary", "primary"),
        "merge-tag": pick("text-accent", "accent"),
        "spintax": pick("text-secondary", "secondary"),
        "fallback": pick("text-success", "success"),
        "missing": pick("text-error", "error"),
        "diff-add": pick("text-success", "success"),
        "diff-remove": pick("text-error", "error"),
        "diff-add-background": pick("success-muted", "surface"),
        "diff-remove-background": pick("error-muted", "surface"),
        "dirty": pick("text-warning", "warning"),
    }


# --- contrast --------------------------------------------------------------------------------


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG 2 contrast ratio of two ``#rgb``/``#rrggbb`` colours (1.0 to 21.0)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) in (3, 4):
        digits = "".join(char * 2 for char in digits[:3])
    if len(digits) not in (6, 8) or not _HEX.match("#" + digits):
        raise ValueError(f"not a hex colour: {colour!r}")
    channels = [int(digits[index : index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [value / 12.92 if value <= 0.04045 else math.pow((value + 0.055) / 1.055, 2.4) for value in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


# --- the app ---------------------------------------------------------------------------------

DEFAULT_THEME = "seqedit-dark"


def install_themes(app: Any, configured: str | None = None, configured_from: str = "config") -> list[str]:
    """Register every bundled and user theme on ``app``, pick the theme, remember later choices.

    :func:`choose_theme` then :func:`remember_theme_changes`, for an app that is running.
    Returns the problems as plain-text lines; the caller shows them.
    """
    messages = choose_theme(app, configured, configured_from)
    remember_theme_changes(app)
    return messages


def choose_theme(app: Any, configured: str | None = None, configured_from: str = "config") -> list[str]:
    """Register every bundled and user theme on ``app`` and pick the theme (before it runs too).

    The theme is ``configured`` (config file or SEQEDIT_THEME, named by ``configured_from``) when
    set, else the one chosen last time (``tui.config`` UI state), else :data:`DEFAULT_THEME`.
    Returns the problems as plain-text lines; the caller shows them.
    """
    from tui.config import load_ui_state

    specs, problems = load_all()
    built, build_problems = textual_themes(specs)
    for theme in built:
        app.register_theme(theme)
    messages = [str(problem) for problem in (*problems, *build_problems)]

    saved = load_ui_state().get("theme")
    wanted: list[tuple[str, str]] = []
    if configured:
        wanted.append((configured, configured_from))
    if isinstance(saved, str) and saved:
        wanted.append((saved, "last session"))
    wanted.append((DEFAULT_THEME, "default"))
    for name, source in wanted:
        if name in app.available_themes:
            app.theme = name
            break
        if source == configured_from:  # a stale saved choice just falls back quietly
            messages.append(
                f"theme {one_line(name, 60)!r} ({source}) is not installed; known: {', '.join(sorted(app.available_themes))}"
            )
    return messages


def remember_theme_changes(app: Any) -> None:
    """From now on, save every change of ``app``'s theme (the command palette's "Change theme")
    to the UI state. ``app`` must be running (Textual's signals need that)."""
    from tui.config import save_ui_state

    current = {"name": app.theme}

    def remember(theme: Any) -> None:
        # The signal also fires for the start-up choice; only a change is a new choice.
        if theme.name != current["name"]:
            current["name"] = theme.name
            try:
                save_ui_state(theme=theme.name)
            except OSError as exc:
                app.notify(f"Could not remember the theme: {one_line(exc, 120)}", markup=False, severity="warning")

    app.theme_changed_signal.subscribe(app, remember)
