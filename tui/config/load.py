"""Reading ``config.toml`` and the environment without ever failing to start.

Each key is validated on its own: a bad value gives one message naming the key and the default
used instead; an unknown key gives a warning (with a "did you mean"); a file that is not TOML at
all gives one message and the defaults. Values of ``api_key`` are never repeated in a message.
A file holding an ``api_key`` that other users can read has its keys refused.

Start-up: only a file with something in it is validated (``tui.config.schema``, pydantic); a
missing or empty one gives :class:`FileValues`' defaults without importing pydantic (issue 16).
"""

from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.text.safe_text import one_line

from .model import DEFAULT_BASE_URL, SEQUENCE_SORTS, FileValues, ProfileValues, check_base_url

if TYPE_CHECKING:
    from pydantic import BaseModel

CONFIG_NAME = "config.toml"
SECRET_KEYS = frozenset({"api_key"})
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})

# Safety settings: an invalid value takes the safe side, not the default (issue 13: an invalid
# read_only left saving on).
# cache: an unreadable value keeps account data off the disk.
_SAFE_SIDE: dict[str, Any] = {"read_only": True, "cache": False}

# What a person is told is used instead of a bad value, per key.
_FALLBACK = {
    "base_url": f"using {DEFAULT_BASE_URL}",
    "theme": "using the default theme",
    "keymap": "using the default keys",
    "editor": "using $VISUAL, $EDITOR or vi",
    "sequence_sort": "using created-desc",
    "read_only": "using true: saving is off until it is fixed",
    "cache": "using false: nothing is cached until it is fixed",
    "api_key": "ignoring it",
    "api_key_command": "ignoring it",
    "default_profile": "using no profile",
    "profiles": "ignoring all profiles",
    "sample_prospects": "using no sample prospects",
}


def config_path(*, create: bool = True) -> Path:
    """Where the config file lives: ``config_dir()/config.toml``.

    Reading needs no directory (:func:`load_config` passes ``create=False``); an existing one is
    still checked as the user's own (another user's could point the key elsewhere).
    """
    from tui.config.paths import config_dir

    return config_dir(create=create) / CONFIG_NAME


@dataclass(frozen=True)
class EnvOverrides:
    """The environment variables that override the file (the API key is not kept here)."""

    base_url: str | None = None
    theme: str | None = None
    profile: str | None = None
    read_only: bool | None = None
    editor: str | None = None
    editor_var: str | None = None  # "VISUAL" or "EDITOR"
    no_color: bool = False


@dataclass(frozen=True)
class LoadedConfig:
    """The file as far as it was valid, the environment's overrides, and what was wrong.

    ``problems`` are invalid values (each replaced by its default); ``warnings`` are keys that
    were ignored. ``key_refused`` says why a key in the file was not used, if it was not.
    """

    path: Path
    exists: bool
    file: FileValues
    env: EnvOverrides
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    key_refused: str | None = None

    @property
    def messages(self) -> list[str]:
        """Problems then warnings: everything to show a person."""
        return [*self.problems, *self.warnings]


def _shown(key: str, value: Any) -> str:
    if key.rsplit(".", 1)[-1] in SECRET_KEYS:
        return "(value not shown)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(one_line(value, 60))
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return one_line(value, 60)


def _reason(key: str, error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    if key.endswith("sequence_sort") and kind == "literal_error":
        return "is not one of " + ", ".join(SEQUENCE_SORTS)
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind in ("string_type",):
        return "must be a string"
    if kind in ("dict_type", "model_type"):
        return "must be a table"
    if kind == "extra_forbidden":
        return "is not a known key"
    message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    # The client's own sentences ("The API base URL … uses plain http") read as a second clause.
    return f"is not usable: {message.rstrip('.')}" if message[:1].isupper() else message


def _check(model: type[BaseModel], key: str, value: Any, where: str, label: str) -> tuple[bool, list[str]]:
    """Validate one key alone; (ok, messages)."""
    from pydantic import ValidationError  # start-up: only with a file to validate

    try:
        model.model_validate({key: value})
        return True, []
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
    shown_key = f"{where}{key}"
    reason = _reason(shown_key, errors[0])
    fallback = "ignoring it" if where or key == "keymap" else _FALLBACK.get(key, "ignoring it")
    if key in _SAFE_SIDE:
        fallback = _FALLBACK[key]
    return False, [f"{label}: {shown_key} = {_shown(shown_key, value)} {reason}; {fallback}"]


def _unknown(key: str, known: list[str], where: str, label: str) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"{label}: unknown key {where + one_line(key, 40)!r} is ignored{hint}"


def _lenient(
    model: type[BaseModel], raw: Mapping[str, Any], where: str, label: str
) -> tuple[dict[str, Any], list[str], list[str]]:
    """The valid subset of ``raw`` for ``model``, problems, warnings."""
    good: dict[str, Any] = {}
    problems: list[str] = []
    warnings: list[str] = []
    known = list(model.model_fields)
    for key, value in raw.items():
        if key not in known:
            warnings.append(_unknown(key, known, where, label))
            continue
        if key == "profiles":
            continue
        if key == "keymap" and isinstance(value, dict):
            # Judged binding by binding: one bad key does not cost the others.
            good[key] = {}
            for binding, keys in value.items():
                ok, messages = _check(model, key, {binding: keys}, where, label)
                if ok:
                    good[key][binding] = keys
                else:
                    bad = f"keymap.{one_line(binding, 40)}"
                    problems.extend(m.replace("keymap = a table", f"{bad} = {_shown(bad, keys)}", 1) for m in messages)
            continue
        ok, messages = _check(model, key, value, where, label)
        if ok:
            good[key] = value
        else:
            problems.extend(messages)
            if key in _SAFE_SIDE:
                good[key] = _SAFE_SIDE[key]
    return good, problems, warnings


def _validated(raw: dict[str, Any], label: str) -> tuple[FileValues, list[str], list[str]]:
    """What is valid in the file's ``raw`` tables, as plain values; problems, warnings."""
    from .schema import ConfigFile, ProfileConfig, file_values, profile_values  # start-up: pydantic

    good, problems, warnings = _lenient(ConfigFile, raw, "", label)

    profiles: dict[str, ProfileValues] = {}
    raw_profiles = raw.get("profiles", {})
    if not isinstance(raw_profiles, dict):
        problems.append(f"{label}: profiles must be a table of [profiles.NAME] tables; ignoring all profiles")
        raw_profiles = {}
    for name, table in raw_profiles.items():
        where = f"profiles.{name}."
        if not isinstance(table, dict):
            problems.append(f"{label}: profiles.{one_line(name, 40)} must be a table; ignoring it")
            continue
        kept, found, warned = _lenient(ProfileConfig, table, where, label)
        problems += found
        warnings += warned
        profiles[name] = profile_values(ProfileConfig.model_validate(kept))

    default = good.get("default_profile")
    if default is not None and default not in profiles:
        choices = ", ".join(profiles) or "none are defined"
        problems.append(
            f"{label}: default_profile = {default!r} names no [profiles.{default}] table ({choices}); using no profile"
        )
        good.pop("default_profile")

    return file_values(ConfigFile.model_validate(good), profiles), problems, warnings


def _read_file(path: Path, label: str) -> tuple[dict[str, Any], list[str]]:
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [f"{label}: cannot be read ({one_line(exc.strerror or exc, 80)}); using the defaults"]
    import tomllib  # only with a file to read (start-up: its patterns compile at import)

    try:
        with handle:
            return tomllib.load(handle), []
    except tomllib.TOMLDecodeError as exc:
        return {}, [f"{label}: not valid TOML ({one_line(exc, 120)}); using the defaults for everything"]
    except UnicodeDecodeError:
        return {}, [f"{label}: not valid TOML (not UTF-8 text); using the defaults for everything"]
    except OSError as exc:
        return {}, [f"{label}: cannot be read ({one_line(exc.strerror or exc, 80)}); using the defaults"]


def _env_overrides(env: Mapping[str, str], problems: list[str]) -> EnvOverrides:
    values: dict[str, Any] = {}
    base_url = (env.get("SEQEDIT_BASE_URL") or "").strip()
    if base_url:
        try:
            values["base_url"] = check_base_url(base_url)
        except ValueError as exc:
            problems.append(f"SEQEDIT_BASE_URL: {one_line(exc, 200)} Ignoring it.")
    if (env.get("SEQEDIT_THEME") or "").strip():
        values["theme"] = env["SEQEDIT_THEME"].strip()
    if (env.get("SEQEDIT_PROFILE") or "").strip():
        values["profile"] = env["SEQEDIT_PROFILE"].strip()
    if "SEQEDIT_READ_ONLY" in env:
        word = env["SEQEDIT_READ_ONLY"].strip().lower()
        if word in TRUE_WORDS:
            values["read_only"] = True
        elif word in FALSE_WORDS:
            values["read_only"] = False
        else:
            values["read_only"] = True  # a safety setting: an invalid value takes the safe side
            problems.append(
                f"SEQEDIT_READ_ONLY = {one_line(word, 20)!r} must be 1/0, true/false, yes/no or on/off; "
                f"{_FALLBACK['read_only']}"
            )
    for var in ("VISUAL", "EDITOR"):
        if (env.get(var) or "").strip():
            values["editor"], values["editor_var"] = env[var].strip(), var
            break
    # https://no-color.org: present and not empty.
    values["no_color"] = bool(env.get("NO_COLOR"))
    return EnvOverrides(**values)


def _has_key(raw: Mapping[str, Any]) -> bool:
    if "api_key" in raw:
        return True
    profiles = raw.get("profiles")
    return isinstance(profiles, dict) and any(isinstance(p, dict) and "api_key" in p for p in profiles.values())


def _drop_keys(raw: dict[str, Any]) -> dict[str, Any]:
    raw = {k: v for k, v in raw.items() if k != "api_key"}
    if isinstance(raw.get("profiles"), dict):
        raw["profiles"] = {
            name: ({k: v for k, v in table.items() if k != "api_key"} if isinstance(table, dict) else table)
            for name, table in raw["profiles"].items()
        }
    return raw


def load_config(path: Path | None = None, env: Mapping[str, str] = os.environ) -> LoadedConfig:
    """Read the config file (default :func:`config_path`) and the environment; never raises."""
    path = Path(path) if path is not None else config_path(create=False)
    label = path.name
    raw, problems = _read_file(path, label)
    warnings: list[str] = []
    key_refused = None

    if _has_key(raw):
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            mode = 0
        if mode & 0o077:
            key_refused = (
                f"{path} holds an api_key but other users can read it (mode {mode:o}); the key in it "
                f"is refused. Make it private with:  chmod 600 {path}"
            )
            problems.append(key_refused)
            raw = _drop_keys(raw)

    # Start-up: nothing to validate (no file, the usual case) is the defaults, without pydantic.
    file, found, warned = _validated(raw, label) if raw else (FileValues(), [], [])
    problems += found
    warnings += warned
    return LoadedConfig(
        path=path,
        exists=path.exists(),
        file=file,
        env=_env_overrides(env, problems),
        problems=problems,
        warnings=warnings,
        key_refused=key_refused,
    )
