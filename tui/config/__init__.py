"""Configuration: ``config.toml``, profiles, the environment, the API key, remembered UI state.

Pure: no Textual import. ``load_config`` never raises; ``effective`` merges one profile;
``get_api_key`` finds the key without ever showing it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .load import EnvOverrides, LoadedConfig, config_path, load_config
    from .model import DEFAULT_BASE_URL, SEQUENCE_SORTS, FileValues, ProfileValues, SecretText
    from .schema import ConfigFile, ProfileConfig
    from .secrets import API_KEY_ENV, ApiKeyError, api_key_source, get_api_key
    from .settings import Settings, UnknownProfile, effective
    from .template import TEMPLATE, write_template
    from .ui_state import load_ui_state, save_ui_state, ui_state_path

# Loaded on first use (PEP 562): ``tui.config.paths`` is imported by every command before it
# runs, and importing this package's models (pydantic) first cost `seqedit preview FILE.html`
# ~90 ms it never needs (issue 17 item 6).
_WHERE = {
    "EnvOverrides": "load",
    "LoadedConfig": "load",
    "config_path": "load",
    "load_config": "load",
    "DEFAULT_BASE_URL": "model",
    "SEQUENCE_SORTS": "model",
    "FileValues": "model",
    "ProfileValues": "model",
    "SecretText": "model",
    "ConfigFile": "schema",
    "ProfileConfig": "schema",
    "API_KEY_ENV": "secrets",
    "ApiKeyError": "secrets",
    "api_key_source": "secrets",
    "get_api_key": "secrets",
    "Settings": "settings",
    "UnknownProfile": "settings",
    "effective": "settings",
    "TEMPLATE": "template",
    "write_template": "template",
    "load_ui_state": "ui_state",
    "save_ui_state": "ui_state",
    "ui_state_path": "ui_state",
}


__all__ = [
    "API_KEY_ENV",
    "DEFAULT_BASE_URL",
    "SEQUENCE_SORTS",
    "TEMPLATE",
    "ApiKeyError",
    "ConfigFile",
    "EnvOverrides",
    "FileValues",
    "LoadedConfig",
    "ProfileConfig",
    "ProfileValues",
    "SecretText",
    "Settings",
    "UnknownProfile",
    "api_key_source",
    "config_path",
    "effective",
    "get_api_key",
    "load_config",
    "load_ui_state",
    "save_ui_state",
    "ui_state_path",
    "write_template",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
