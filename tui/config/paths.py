"""Where seqedit keeps its files: config, data (the demo sandbox), state (drafts, UI state).

Each directory follows the platform's convention (platformdirs) and can be moved with an
environment variable, which tests and benchmarks use to keep the user's real files untouched.
Directories are created private (0700) when first asked for, and one that is not the user's own
(another owner, or writable by others) is refused: another user could plant a link in it and
have seqedit write a draft over one of the victim's files. A refusal, or a directory that cannot
be created (HOME=/nonexistent), is a :class:`DirectoryProblem` naming the directory and the
variable that moves it; ``tui.cli`` prints it instead of a traceback.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

APP_NAME = "seqedit"

# The exit code of every command when one of these directories cannot be used.
EXIT_DIRECTORY = 5

_KINDS = {
    "SEQEDIT_CONFIG_DIR": "config",
    "SEQEDIT_DATA_DIR": "data",
    "SEQEDIT_STATE_DIR": "state",
}


class DirectoryProblem(OSError):
    """A directory seqedit keeps files in cannot be created, or is not safe to use."""

    def __init__(self, path: Path, env_var: str, reason: str) -> None:
        kind = _KINDS.get(env_var, "")
        self.message = (
            f"cannot use the {kind} directory {path}: {reason}. "
            f"Set {env_var} to a private directory of yours to keep seqedit's {kind} files elsewhere."
        )
        super().__init__(self.message)
        self.filename = str(path)  # as any OSError about a path: callers name it from here
        self.path = path
        self.env_var = env_var
        self.reason = reason

    def __str__(self) -> str:
        return self.message


def private_directory(path: Path, env_var: str, *, create: bool = True) -> Path:
    """``path``, created 0700 if absent; refused unless it is the user's and only theirs to write.

    A directory of the user's that others may only read (an old install, a wide umask) is
    narrowed to 0700. With ``create=False`` an absent directory is returned as it is (reading a
    config file needs no directory). Raises :class:`DirectoryProblem`.
    """
    if create:
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise DirectoryProblem(path, env_var, f"it cannot be created ({exc.strerror or exc})") from exc
    try:
        info = path.stat()  # a link to a directory is judged by the directory it leads to
    except FileNotFoundError:
        if create:
            raise DirectoryProblem(path, env_var, "it vanished right after it was created") from None
        return path
    except OSError as exc:
        raise DirectoryProblem(path, env_var, f"it cannot be examined ({exc.strerror or exc})") from exc
    if not stat.S_ISDIR(info.st_mode):
        raise DirectoryProblem(path, env_var, "it is not a directory")
    if info.st_uid != os.geteuid():
        raise DirectoryProblem(path, env_var, f"it belongs to another user (uid {info.st_uid})")
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o022:
        raise DirectoryProblem(
            path, env_var, f"other users can write to it (mode {mode:o}; make it private with chmod 700)"
        )
    if mode & 0o077:
        try:
            path.chmod(0o700)
        except OSError as exc:
            raise DirectoryProblem(path, env_var, f"it cannot be made private ({exc.strerror or exc})") from exc
    return path


def _directory(env_var: str, default: str, *, create: bool = True) -> Path:
    path = Path(os.environ.get(env_var) or default).expanduser()
    return private_directory(path, env_var, create=create)


def config_dir(*, create: bool = True) -> Path:
    import platformdirs

    return _directory("SEQEDIT_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME), create=create)


def data_dir() -> Path:
    import platformdirs

    return _directory("SEQEDIT_DATA_DIR", platformdirs.user_data_dir(APP_NAME))


def state_dir() -> Path:
    import platformdirs

    return _directory("SEQEDIT_STATE_DIR", platformdirs.user_state_dir(APP_NAME))
