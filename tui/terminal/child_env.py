"""The environment of the processes seqedit starts ($EDITOR, api_key_command, ``config edit``).

A child inherits every variable by default, so an editor, its plugins and anything they start
would see SALESHANDY_API_KEY. Children get the environment without our secrets. Pure: no Textual.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

SECRET_ENV = "SALESHANDY_API_KEY"
_SECRET_WORDS = ("KEY", "TOKEN", "SECRET", "PASSWORD")


def is_secret_env(name: str) -> bool:
    """Whether the variable ``name`` holds a secret of ours: the API key, or a ``SEQEDIT_*``
    variable named like a key, token, secret or password (SEQEDIT_LIVE_KEY, say)."""
    upper = name.upper()
    return upper == SECRET_ENV or (upper.startswith("SEQEDIT_") and any(word in upper for word in _SECRET_WORDS))


def child_environment(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """``env`` (the process's own by default) without the variables :func:`is_secret_env` names."""
    source = os.environ if env is None else env
    return {name: value for name, value in source.items() if not is_secret_env(name)}
