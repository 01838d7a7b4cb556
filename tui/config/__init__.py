"""Configuration: ``config.toml``, profiles, the environment, the API key, remembered UI state.

Pure: no Textual import. ``load_config`` never raises; ``effective`` merges one profile;
``get_api_key`` finds the key without ever showing it.
"""

from .load import EnvOverrides, LoadedConfig, config_path, load_config
from .model import DEFAULT_BASE_URL, SEQUENCE_SORTS, ConfigFile, ProfileConfig
from .secrets import API_KEY_ENV, ApiKeyError, api_key_source, get_api_key
from .settings import Settings, UnknownProfile, effective
from .template import TEMPLATE, write_template
from .ui_state import load_ui_state, save_ui_state, ui_state_path

__all__ = [
    "API_KEY_ENV",
    "DEFAULT_BASE_URL",
    "SEQUENCE_SORTS",
    "TEMPLATE",
    "ApiKeyError",
    "ConfigFile",
    "EnvOverrides",
    "LoadedConfig",
    "ProfileConfig",
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
