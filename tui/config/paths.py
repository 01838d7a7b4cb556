"""Where seqedit keeps its files: config, data (the demo sandbox), state (drafts, UI state).

Each directory follows the platform's convention (platformdirs) and can be moved with an
environment variable, which tests and benchmarks use to keep the user's real files untouched.
Directories are created private (0700) when first asked for.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "seqedit"


def _directory(env_var: str, default: str) -> Path:
    path = Path(os.environ.get(env_var) or default).expanduser()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    import platformdirs

    return _directory("SEQEDIT_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    import platformdirs

    return _directory("SEQEDIT_DATA_DIR", platformdirs.user_data_dir(APP_NAME))


def state_dir() -> Path:
    import platformdirs

    return _directory("SEQEDIT_STATE_DIR", platformdirs.user_state_dir(APP_NAME))
