"""What starting ``seqedit`` imports (issue 7, benchmarks: startup).

Each check runs a fresh interpreter, imports what ``seqedit --demo`` imports before its first
frame, and lists which of the modules kept off that path got loaded anyway.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The modules ``seqedit --demo`` loads on the way to its first frame with sequences.
START_PATH = (
    "tui.cli",
    "tui.commands.app",
    "tui.app",
    "tui.session.connect",
    "tui.screens.main_screen",
    "tui.sandbox.app",
)


def loaded_after(imports: tuple[str, ...], watched: tuple[str, ...]) -> list[str]:
    """Which of ``watched`` a fresh interpreter holds after importing ``imports``."""
    code = (
        "import importlib, json, sys\n"
        f"for name in {list(imports)!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps([m for m in {list(watched)!r} if sys.modules.get(m) is not None]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_start_path_leaves_the_httpx_command_line_client_alone() -> None:
    # httpx's CLI pulls click, pygments and rich.syntax: ~35 ms seqedit never uses.
    assert loaded_after(START_PATH, ("httpx._main", "click")) == []


def test_httpx_still_works_without_its_command_line_client() -> None:
    code = (
        "import tui.cli, httpx\n"
        "response = httpx.Response(200, json={'ok': True})\n"
        "print(response.json()['ok'], callable(httpx.main))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["True", "True"]


def test_pydantic_plugins_are_not_searched_for() -> None:
    code = (
        "import os, tui.cli\n"
        "from pydantic.plugin._loader import get_plugins\n"
        "print(os.environ['PYDANTIC_DISABLE_PLUGINS'], list(get_plugins()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["__all__", "[]"]


def test_the_start_path_loads_no_rule_engine_or_mail_parser() -> None:
    # The validation rules (lexbor, spam and tag patterns) wait for the first check, and the
    # sandbox's multipart parser (the email package) for the first upload.
    watched = (
        "selectolax.lexbor",
        "tui.validation.rules_email",
        "tui.validation.html_doc",
        "email.policy",
        "email.headerregistry",
    )
    assert loaded_after(START_PATH, watched) == []


def test_the_rules_still_run_once_asked() -> None:
    code = (
        "import tui.cli\n"
        "from tui.api.channels import Channel\n"
        "from tui.api.models import Variant\n"
        "from tui.validation import Context, validate\n"
        "variant = Variant.model_validate({'id': 'v1', 'type': 'email', 'payload': {'subject': '', 'content': '<p>Hi {{Nme}}</p>'}})\n"
        "print(len(validate(variant, Context(channel=Channel.EMAIL))) > 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True"]


def test_the_start_path_leaves_the_tabs_for_later() -> None:
    # The form, findings and preview panes and the save flow load with the main screen's right
    # side, after its first frame (tui.screens.main_screen.MainScreen.mount_right_side).
    watched = (
        "tui.screens.live_checks",
        "tui.screens.safe_save",
        "tui.widgets.variant_form",
        "tui.widgets.findings_panel",
        "tui.widgets.preview_pane",
        "tui.preview",
        "tui.session.save_flow",
    )
    assert loaded_after(START_PATH, watched) == []


def test_models_build_without_pydantic_searching_package_metadata() -> None:
    # Plugins disabled: no loader of pydantic's imports importlib.metadata (email, csv, zipfile)
    # just to look for none; models still validate and report errors as before.
    code = (
        "import sys, tui.cli\n"
        "import importlib; [importlib.import_module(name) for name in " + repr(list(START_PATH)) + "]\n"
        "from pydantic import ValidationError\n"
        "from tui.api.models import Sequence, VariantUpdate, parse_items\n"
        "parsed = parse_items(Sequence, [{'id': 's1', 'title': 'T', 'steps': None}, {'title': 'no id'}])\n"
        "try:\n"
        "    VariantUpdate(absoluteDays=0)\n"
        "    bad = False\n"
        "except ValidationError:\n"
        "    bad = True\n"
        "print(len(parsed.items), len(parsed.errors), bad, 'importlib.metadata' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "1", "True", "False"]


def test_pydantic_plugins_are_searched_for_when_enabled() -> None:
    import os

    code = (
        "import tui.cli\n"
        "from pydantic.plugin import _loader\n"
        "print(hasattr(_loader, 'entry_points'), list(_loader.get_plugins()))\n"
    )
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": ""}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "[]"]


def test_previewing_an_html_file_loads_only_the_renderer(tmp_path: Path) -> None:
    # Issue 17 item 6 (benchmarks: preview): `seqedit preview FILE.html` loads the renderer and
    # its parser, not the models, the rules, the channel table, the pane's block cache, Rich,
    # the other subcommands, or what argparse, pathlib and selectolax would bring for nothing
    # (logging, shutil, json).
    email = tmp_path / "email.html"
    email.write_text(
        "<p>Hi {{First Name}},</p><table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>"
    )
    watched = (
        "pydantic",
        "tui.api.models",
        "tui.api.channels",
        "tui.preview.blocks",
        "tui.validation",
        "rich",
        "tui.commands.lint",
        "tui.commands.config",
        "subprocess",
        "logging",
        "shutil",
        "json",
        "pathlib",
    )
    code = (
        "import contextlib, io, json, sys\n"
        "loaded_before = set(sys.modules)\n"
        "from tui.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    code = main(['preview', {str(email)!r}, '--width', '40'])\n"
        f"watched = {list(watched)!r}\n"
        "print(json.dumps([code, out.getvalue(), [m for m in watched if m in sys.modules and m not in loaded_before]]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    exit_code, output, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert exit_code == 0
    assert output.splitlines()[-2:] == ["A | B", "1 | 2"]
    assert loaded == []


def test_previewing_on_a_terminal_writes_styles_without_rich(tmp_path: Path) -> None:
    # On a terminal the styles are written directly (byte for byte what Rich printed:
    # tests/test_preview_styles.py); Rich's console is ~35 ms of start-up.
    email = tmp_path / "email.html"
    email.write_text("<p><b>Bold</b> text</p>")
    code = (
        "import io, json, os, sys\n"
        "os.environ.pop('NO_COLOR', None); os.environ['TERM'] = 'xterm'\n"
        "class Terminal(io.StringIO):\n"
        "    def isatty(self): return True\n"
        "from tui.cli import main\n"
        "out, sys.stdout = sys.stdout, Terminal()\n"
        f"code = main(['preview', {str(email)!r}, '--width', '40'])\n"
        "written, sys.stdout = sys.stdout.getvalue(), out\n"
        "print(json.dumps([code, written, 'rich' in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    exit_code, written, rich_loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert exit_code == 0
    assert written == "\x1b[1mBold\x1b[0m text\n"
    assert not rich_loaded


def test_the_parser_loaded_without_logging_still_logs() -> None:
    # selectolax.lexbor loads with a stand-in for logging (tui/preview/parser.py); its logger
    # still writes, through the real logging, loaded then.
    code = (
        "import sys\n"
        "from tui.preview.parser import parser_class\n"
        "parser_class()('<p>x</p>')\n"
        "print('logging' in sys.modules, file=sys.stderr)\n"
        "import selectolax.lexbor\n"
        "selectolax.lexbor.logger.error('written through logging')\n"
        "import logging\n"
        "print(logging.getLogger('x').name, 'logging' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stderr.splitlines() == ["False", "written through logging", "x True"]
