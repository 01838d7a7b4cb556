"""Getting the API key: the environment, then ``api_key_command``, then the config file.

The key is returned to the caller and nowhere else: it is not logged, and no message here
contains it or the command's output (which might be the key, or part of it).
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Mapping

from tui.terminal.child_env import child_environment

from .settings import Settings

API_KEY_ENV = "SALESHANDY_API_KEY"
COMMAND_TIMEOUT = 10.0


class ApiKeyError(Exception):
    """The key could not be obtained (``api_key_command`` failed); the message says how to fix it."""


def _where(settings: Settings) -> str:
    source = settings.source("api_key_command")
    return f" (from {source})" if source != "default" else ""


def api_key_source(settings: Settings, env: Mapping[str, str] = os.environ) -> str | None:
    """Where :func:`get_api_key` would take the key from, without running anything."""
    if (env.get(API_KEY_ENV) or "").strip():
        return API_KEY_ENV
    if settings.api_key_command:
        return f"api_key_command in {settings.source('api_key_command')}"
    if settings.api_key is not None:
        return f"api_key in {settings.source('api_key')}"
    return None


def run_key_command(command: str, *, timeout: float = COMMAND_TIMEOUT, where: str = "") -> str:
    """Run ``command`` through the shell and return its stripped output; ApiKeyError on failure."""
    try:
        # A session of its own, so a timeout can stop the whole pipeline, not only the shell
        # (an orphan holding the pipe open would make us wait for it anyway).
        process = subprocess.Popen(
            command,
            shell=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env=child_environment(),
        )
    except OSError as exc:
        raise ApiKeyError(
            f"api_key_command{where} could not be started ({exc.strerror or type(exc).__name__})"
        ) from None
    try:
        stdout, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise ApiKeyError(
            f"api_key_command{where} did not finish within {timeout:g} s; run it yourself to check it"
        ) from None
    result = subprocess.CompletedProcess(command, process.returncode, stdout, b"")
    if result.returncode != 0:
        hint = " (command not found?)" if result.returncode == 127 else ""
        raise ApiKeyError(
            f"api_key_command{where} failed with exit status {result.returncode}{hint}; "
            "run it yourself to see why (its output is not shown, it may hold the key)"
        )
    key = result.stdout.decode("utf-8", errors="replace").strip()
    if not key:
        raise ApiKeyError(f"api_key_command{where} printed nothing; it should print the API key")
    if "\n" in key:
        # A password manager entry often has the secret on the first line and notes below.
        key = key.splitlines()[0].strip()
    return key


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    process.communicate()


def get_api_key(
    settings: Settings, env: Mapping[str, str] = os.environ, *, timeout: float = COMMAND_TIMEOUT
) -> str | None:
    """The API key: ``SALESHANDY_API_KEY``, else ``api_key_command``'s output, else the file's key.

    None when there is none (``settings.key_refused`` may say why); ApiKeyError when the command
    fails.
    """
    key = (env.get(API_KEY_ENV) or "").strip()
    if key:
        return key
    if settings.api_key_command:
        return run_key_command(settings.api_key_command, timeout=timeout, where=_where(settings))
    if settings.api_key is not None:
        return settings.api_key.get_secret_value().strip() or None
    return None
