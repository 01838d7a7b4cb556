"""The themes ship inside the wheel: build it, install it into a fresh venv, list themes from there.

The editable install finds themes in the checkout, which would hide a packaging mistake; this test
runs the installed copy with the working directory outside the checkout. Building needs hatchling:
used from the project venv when present, otherwise pip builds in isolation (fetching hatchling
from the package index, or its cache).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import tui

CHECKOUT = Path(tui.__file__).resolve().parent.parent
BUNDLED_NAMES = {"seqedit-dark", "seqedit-light", "seqedit-high-contrast", "seqedit-ansi"}

LIST_THEMES = """
import json, tui, tui.config.themes as t
specs, problems = t.load_all()
built, build_problems = t.textual_themes(specs)
print(json.dumps({
    "tui": tui.__file__,
    "folder": str(t.bundled_theme_dir()),
    "names": sorted(theme.name for theme in built),
    "problems": [str(p) for p in problems + build_problems],
}))
"""


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, f"{command[:4]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    return result


@pytest.fixture(scope="module")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(CHECKOUT)]
    if importlib.util.find_spec("hatchling") is not None:
        command.insert(4, "--no-build-isolation")
    started = time.perf_counter()
    _run(command)
    print(f"\nwheel built in {time.perf_counter() - started:.1f}s")
    wheels = list(out.glob("seqedit-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_the_wheel_contains_every_bundled_theme(built_wheel: Path) -> None:
    with zipfile.ZipFile(built_wheel) as archive:
        names = set(archive.namelist())
    for theme in BUNDLED_NAMES:
        assert f"tui/themes/{theme}.toml" in names
    assert "tui/config/themes.py" in names


def test_themes_load_from_the_installed_wheel_outside_the_checkout(built_wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    project_site = _run(
        [sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    ).stdout.strip()
    # Lend the fresh venv the project venv's dependencies (textual, platformdirs…) without a
    # download: a plain path line in a .pth. The project's editable-install .pth in that folder is
    # not processed (only site dirs' .pth files are), so seqedit comes from the wheel alone.
    Path(site, "project-deps.pth").write_text(project_site + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(built_wheel)])

    away = tmp_path / "elsewhere"
    away.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["SEQEDIT_DATA_DIR"] = str(tmp_path / "data")
    result = _run([str(python), "-c", LIST_THEMES], cwd=away, env=env)
    listing = json.loads(result.stdout.strip().splitlines()[-1])

    assert Path(listing["tui"]).is_relative_to(venv), listing["tui"]
    assert not Path(listing["tui"]).is_relative_to(CHECKOUT)
    assert Path(listing["folder"]).is_relative_to(venv) and listing["folder"].endswith(os.path.join("tui", "themes"))
    assert set(listing["names"]) == BUNDLED_NAMES
    assert listing["problems"] == []
