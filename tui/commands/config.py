"""`seqedit config path|show|edit`: where the config file is, what is in effect, and editing it.

``show`` and ``edit`` report what the app would at start-up, in its words: the file's own
problems, then broken theme files, a theme that is not installed and keymap entries the app cannot
apply. Those last checks need Textual and the app's classes, so they are imported only then
(``config path`` stays fast).

``show`` never prints the API key: only whether one is set and where from. It does not run
``api_key_command`` either (that may prompt for a passphrase); it names it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Mapping
from typing import TextIO


def _account_options() -> argparse.ArgumentParser:
    # Defaults are suppressed so that `seqedit --profile x config show` is not undone by the
    # subcommand's own (unset) option.
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--profile", default=argparse.SUPPRESS, help="show this profile's settings")
    return parent


def register(sub, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``config`` and its actions to the ``seqedit`` parser."""
    parser = sub.add_parser(
        "config",
        help="show, locate or edit the config file",
        description="The config file (TOML): its path, the settings in effect, or edit it in $VISUAL/$EDITOR.",
    )
    actions = parser.add_subparsers(dest="config_action", metavar="ACTION")
    actions.add_parser("path", help="print the config file's path")
    actions.add_parser("show", parents=[_account_options()], help="print the effective settings and any problems")
    actions.add_parser(
        "edit", help="open the config file in $VISUAL/$EDITOR (a commented template if absent), then check it"
    )


def run(args: argparse.Namespace) -> int:
    """Run the chosen action (``show`` when none is given)."""
    from tui.commands._stdout import until_stdout_closes

    return until_stdout_closes(lambda: _run(args))


def _run(args: argparse.Namespace) -> int:
    action = getattr(args, "config_action", None) or "show"
    if action == "path":
        from tui.config import config_path

        print(config_path())
        return 0
    if action == "edit":
        return edit(os.environ)
    return show(getattr(args, "profile", None), os.environ)


def _value(value: object) -> str:
    from tui.text.safe_text import one_line

    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return one_line(value, 100)


def show(profile: str | None, env: Mapping[str, str], out: TextIO | None = None) -> int:
    """Print the settings in effect for ``profile`` and the config's problems."""
    from tui.config import api_key_source, effective, load_config
    from tui.config.settings import UnknownProfile
    from tui.text.safe_text import one_line

    out = out or sys.stdout
    loaded = load_config(env=env)
    try:
        settings = effective(loaded, profile)
    except UnknownProfile as exc:
        print(f"seqedit config: {one_line(exc)}", file=sys.stderr)
        return 2

    state = "" if loaded.exists else "  (not found: defaults in use; `seqedit config edit` creates it)"
    rows = [("config file", f"{loaded.path}{state}")]
    for name in ("profile", "base_url", "theme", "sequence_sort", "read_only", "cache", "editor", "no_color"):
        value = getattr(settings, name)
        origin = settings.source(name)
        if name == "editor" and value is None:
            value = "vi"
        if name == "theme" and value is None:
            value, origin = _unconfigured_theme()
        rows.append((name, f"{_value(value)}  ({origin})"))
    source = api_key_source(settings, env)
    rows.append(("api key", f"set (from {source})" if source else "not set"))
    rows.append(("profiles", ", ".join(one_line(p, 40) for p in settings.profiles) or "(none)"))
    if settings.keymap:
        rows.append(("keymap", ", ".join(f"{one_line(b, 40)} = {one_line(k, 40)}" for b, k in settings.keymap.items())))
    width = max(len(label) for label, _ in rows)
    for label, text in rows:
        print(f"{label:<{width}}  {text}", file=out)
    themes = [(settings.theme, settings.source("theme"))] if settings.theme else []
    _report([*loaded.messages, *app_problems(themes, settings.keymap)], out)
    return 0


def app_problems(themes: list[tuple[str, str]], keymap: Mapping[str, str]) -> list[str]:
    """What the app would report about these themes (name, where it was set) and this keymap,
    besides the config file's own problems: as :func:`tui.config.themes.choose_theme` and
    :func:`tui.config.keymap.apply_keymap` word it."""
    from textual.theme import BUILTIN_THEMES

    from tui.config.themes import load_all, textual_themes
    from tui.text.safe_text import one_line

    specs, problems = load_all()
    built, build_problems = textual_themes(specs)
    messages = [str(problem) for problem in (*problems, *build_problems)]
    installed = sorted(set(BUILTIN_THEMES) | {theme.name for theme in built})
    for name, source in dict.fromkeys(themes):
        if name not in installed:
            messages.append(f"theme {one_line(name, 60)!r} ({source}) is not installed; known: {', '.join(installed)}")
    if keymap:
        from tui.app import SeqEditApp
        from tui.config.keymap import check_keymap, known_bindings

        # The class, not an app: its bindings and those of every screen and widget are the ids
        # the running app accepts (tests/test_config_app_check.py keeps the two equal).
        messages += check_keymap(keymap, known_bindings(SeqEditApp))[1]
    return messages


def _themes_of_file(loaded) -> tuple[list[tuple[str, str]], list[str]]:
    """Every theme the file (or the environment) names, each with where it is set, and the
    problem of an unknown profile the app would start with."""
    from tui.config import UnknownProfile, effective
    from tui.text.safe_text import one_line

    label = loaded.path.name
    themes: list[tuple[str, str]] = []
    problems: list[str] = []
    if loaded.file.theme:
        themes.append((loaded.file.theme, label))
    for name, profile in loaded.file.profiles.items():
        if profile.theme:
            themes.append((profile.theme, f"profile {name}"))
    try:
        settings = effective(loaded)
    except UnknownProfile as exc:
        problems.append(one_line(exc, 300))
    else:
        if settings.theme:
            themes.append((settings.theme, settings.source("theme")))
    return themes, problems


def _unconfigured_theme() -> tuple[str, str]:
    """The theme the app starts with when neither the config nor SEQEDIT_THEME names one, and
    why (as :func:`tui.config.themes.choose_theme` picks it; whether a remembered theme is still
    installed is not checked, as that needs Textual's own themes)."""
    from tui.config import load_ui_state
    from tui.config.themes import DEFAULT_THEME

    saved = load_ui_state().get("theme")
    if isinstance(saved, str) and saved:
        return saved, "last session"
    return DEFAULT_THEME, "default"


def _report(messages: list[str], out: TextIO) -> None:
    from tui.text.safe_text import one_line

    if messages:
        print("\nproblems:", file=out)
        for message in messages:
            print(f"  {one_line(message)}", file=out)


def edit(env: Mapping[str, str]) -> int:
    """Open the config file in the user's editor, creating a commented template first; then check it."""
    import shlex

    from tui.config import config_path, load_config, write_template
    from tui.terminal.child_env import child_environment

    path = config_path()
    if write_template(path):
        print(f"created {path} from the template")
    loaded = load_config(path, env=env)
    command = _editor(env, loaded.file.editor)
    try:
        result = subprocess.run([*command, str(path)], check=False, env=child_environment(env))
    except FileNotFoundError:
        print(
            f"seqedit config: the editor {shlex.join(command)!r} was not found; set $VISUAL or $EDITOR", file=sys.stderr
        )
        return 2
    if result.returncode != 0:
        print(f"seqedit config: the editor exited with status {result.returncode}", file=sys.stderr)
    loaded = load_config(path, env=env)
    themes, profile_problems = _themes_of_file(loaded)
    messages = [*loaded.messages, *profile_problems, *app_problems(themes, loaded.file.keymap)]
    if messages:
        _report(messages, sys.stdout)
        print(f"\n{path}: {len(messages)} problem(s); seqedit uses the defaults for those keys.")
        return 1
    print(f"{path}: OK")
    return 0


def _editor(env: Mapping[str, str], configured: str | None) -> list[str]:
    import shlex

    for text in (env.get("VISUAL"), env.get("EDITOR"), configured):
        if text and text.strip():
            try:
                words = shlex.split(text)
            except ValueError:
                continue
            if words:
                return words
    return ["vi"]
