"""The user's look-and-feel settings applied to the running app: themes, keymap, editor.

``prepare_theme(app)`` runs as the app is built and ``apply_preferences(app)`` once it runs
(from ``SeqEditApp.on_mount``). Together they read the effective settings (``tui.config``: file,
profile, environment) unless the app already carries them as ``app.settings`` (with the file's
problems as ``app.config_problems``: ``seqedit`` reads the file once, to resolve the account),
register the themes, pick one, apply the keymap, and show every problem in one plain-text
notification: the config file's own problems, broken theme files, an unknown theme, keymap
entries it could not apply. Nothing here can stop the app from starting.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from tui.text.safe_text import one_line

if TYPE_CHECKING:
    from textual.app import App

    from tui.config import Settings

NOTIFY_TIMEOUT = 12.0
# Settings read at start-up, per app, so later lookups (the editor) do not re-read the file.
_LOADED: weakref.WeakKeyDictionary[App, Settings | None] = weakref.WeakKeyDictionary()


def settings_for(app: App) -> tuple[Settings | None, list[str]]:
    """The settings and the config's problems: ``app.settings`` and ``app.config_problems`` if
    the app was given them (the one read that resolved its account), else the config's effective
    settings for the app's profile, read now."""
    existing = getattr(app, "settings", None)
    if existing is not None:
        return existing, list(getattr(app, "config_problems", ()))
    from tui.config import UnknownProfile, effective, load_config

    config = load_config()
    messages = list(config.messages)
    profile = getattr(getattr(app, "account", None), "profile", None)
    try:
        return effective(config, profile), messages
    except UnknownProfile as exc:
        messages.append(one_line(exc, 300))
        try:
            return effective(config), messages
        except UnknownProfile:
            return None, messages


def prepare_theme(app: App) -> list[str]:
    """Read the settings, register the themes and pick one; returns the problems, unshown.

    For an app that is not running yet: chosen before the first screen is styled, the theme
    costs no second parse of every stylesheet (benchmarks: startup). :func:`apply_preferences`
    does the rest once the app runs.
    """
    from tui.config.themes import choose_theme

    settings, messages = settings_for(app)
    _LOADED[app] = settings
    theme = settings.theme if settings is not None else None
    source = settings.source("theme") if settings is not None else "config"
    return messages + choose_theme(app, theme, source)


def apply_preferences(app: App, prepared: list[str] | None = None) -> list[str]:
    """Themes and keymap from the settings; returns (and notifies) the problems found.

    ``prepared``: what :func:`prepare_theme` returned when it ran before the app started (the
    theme is then in place already); otherwise the theme is chosen here.
    """
    from tui.config.themes import remember_theme_changes

    messages = prepare_theme(app) if prepared is None else list(prepared)
    remember_theme_changes(app)
    settings = _LOADED.get(app)
    if settings is not None and settings.keymap:
        from tui.config.keymap import apply_keymap  # start-up: only with a keymap to apply

        messages += apply_keymap(app, settings.keymap)
    if messages:
        app.notify(
            "\n".join(one_line(message, 300) for message in messages),
            title="Settings",
            severity="warning",
            markup=False,
            timeout=NOTIFY_TIMEOUT,
        )
    return messages


def configured_editor(app: App) -> str | None:
    """The config's ``editor`` (environment overrides already applied), if any."""
    settings = getattr(app, "settings", None)
    if settings is None:
        settings = _LOADED[app] if app in _LOADED else settings_for(app)[0]
    return getattr(settings, "editor", None) if settings is not None else None


def configured_sequence_sort(app: App) -> str:
    """The config's ``sequence_sort`` (created-desc when none, or the file could not be read)."""
    settings = getattr(app, "settings", None)
    if settings is None:
        settings = _LOADED[app] if app in _LOADED else settings_for(app)[0]
    return getattr(settings, "sequence_sort", None) or "created-desc"


def configured_cache(app: App) -> bool:
    """The config's ``cache`` (true when unset; an invalid value already read as false)."""
    settings = getattr(app, "settings", None)
    if settings is None:
        settings = _LOADED[app] if app in _LOADED else settings_for(app)[0]
    return bool(getattr(settings, "cache", True))
