"""The base-URL policy without httpx (tui/api/base_url.py) and the light account resolution.

Resolving the account comes before the first frame, so it must not import httpx, the client or
the models (issue 16). Splitting a URL without httpx is only safe where the split is exactly
httpx's: a URL that would slip past the light check as "plain http to loopback" while httpx sends
it to another host would carry the key unencrypted to that host. So every tricky URL is judged
by both the light check and the client's httpx-based one, and a property test compares the two
splits wherever the light one answers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.api import base_url as light
from tui.api import client

_FRESH = """
import argparse, json, sys
from tui.session.account import resolve_account

accounts = []
for url in json.loads(sys.argv[1]):
    args = argparse.Namespace(demo=False, demo_reset=False, base_url=url, profile=None)
    accounts.append(resolve_account(args).base_url)
heavy = [name for name in ("httpx", "tui.api.client", "tui.api.models", "tui.api.responses") if name in sys.modules]
print(json.dumps({"accounts": accounts, "heavy": heavy}))
"""


def test_resolving_the_account_imports_no_httpx_client_or_models(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SEQEDIT_", "XDG_"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        SALESHANDY_API_KEY="sk-test-0123456789abcdef",
    )
    urls = ["http://127.0.0.1:8787", "https://open-api.saleshandy.com/v1/"]
    result = subprocess.run(
        [sys.executable, "-c", _FRESH, json.dumps(urls)], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["accounts"] == ["http://127.0.0.1:8787", "https://open-api.saleshandy.com"]
    assert report["heavy"] == []


def _fake_resolve(name: str) -> list[str]:
    """A resolver without DNS: names with "loop" in them are loopback, the rest are not."""
    return ["127.0.0.1", "::1"] if "loop" in name else ["203.0.113.9"]


def _outcome(check, url: str) -> tuple[str, str]:
    """("ok", the host a connection would look up) or ("refused", "")."""
    try:
        parts = check(url, resolve=_fake_resolve)
    except ValueError:
        return ("refused", "")
    host = parts.raw_host.decode("ascii") if isinstance(parts, httpx.URL) else parts.host
    return ("ok", host)


# Each one is a way urllib, a browser and httpx can disagree on the host. Whatever the light check
# says must be what the client's httpx parse says.
TRICKY = [
    "http://127.0.0.1\\@evil.example",
    "http://evil.example#@127.0.0.1",
    "http://127.0.0.1:80@evil.example",
    "http://127.0.0.1%2f@evil.example",
    "http://127.0.0.1%2F@evil.example",
    "http://[::1%25eth0]",
    "http://[::1%eth0]:8787",
    "http://127.0.0.1\t@evil.example",
    "http://127.0.0.1\n.evil.example",
    "http://127.0\t.0.1:8787",
    "http://127.0.0.1\r\n@evil.example",
    "http://127.0.0.1 @evil.example",
    "HTTP://127.0.0.1:8787",
    "Http://LOCALHOST:8787",
    "http://127.0.0.1.:8787",
    "http://localhost.:8787",
    "http://loop.example.:8787",
    "http://xn--bcher-kva.example",
    "http://bücher.example",
    "http://faß.example",
    "http://ｌｏｃａｌhost:8787",
    "http://127.0.0.1:８０８７",
    "http://127.0.0.1:+8787",
    "http://127.0.0.1:99999",
    "http://999.0.0.1",
    "http://127.1",
    "http://0x7f.0.0.1",
    "http://2130706433",
    "http://[::ffff:127.0.0.1]",
    "http://[::1]:8787",
    "http://[0:0:0:0:0:0:0:1]",
    "http://evil.example?@127.0.0.1",
    "http://evil.example/@127.0.0.1",
    "http://127.0.0.1/..%2f..%2f@evil.example",
    "http:/127.0.0.1",
    "http:127.0.0.1",
    "//127.0.0.1:8787",
    "http://",
    "http://:8787",
    "https://open-api.saleshandy.com",
    "https://user@open-api.saleshandy.com",
    "http://loop.example:8787/api",
]


@pytest.mark.parametrize("url", TRICKY)
def test_the_light_check_judges_tricky_urls_as_httpx_connects(url):
    mine = light.strict_split(url.strip())
    if mine is not None:
        assert mine == light.httpx_split(httpx.URL(url.strip()))
    assert _outcome(light.check_base_url, url) == _outcome(client.check_base_url, url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1\\@evil.example",
        "http://evil.example#@127.0.0.1",
        "http://127.0.0.1:80@evil.example",
        "http://127.0.0.1%2f@evil.example",
        "http://127.0.0.1\t@evil.example",
    ],
)
def test_urls_that_would_reach_another_host_are_refused(url):
    """Refused by the light check itself, with the real resolver (not only equal to httpx)."""
    with pytest.raises(ValueError):
        light.check_base_url(url)


def test_a_trailing_dot_makes_an_address_a_name_to_resolve() -> None:
    """``127.0.0.1.`` is not the literal to the system's resolver, which may ask DNS: judged by
    what the name resolves to, as the connection would look it up."""
    asked: list[str] = []

    def resolve(name: str) -> list[str]:
        asked.append(name)
        return ["203.0.113.9"]

    for check in (light.check_base_url, client.check_base_url):
        with pytest.raises(ValueError, match="plain http"):
            check("http://127.0.0.1.:8787", resolve=resolve)
    assert asked == ["127.0.0.1.", "127.0.0.1."]
    assert light.is_loopback("127.0.0.1") and light.is_loopback("::1")


def test_an_idna_host_is_resolved_by_the_name_httpx_sends() -> None:
    """``faß`` is ``fass`` to the IDNA 2003 codec the resolver would use on text, but httpx
    connects to its IDNA 2008 form: the check must resolve that one."""
    asked: list[str] = []

    def resolve(name: str) -> list[str]:
        asked.append(name)
        return ["127.0.0.1"]

    light.check_base_url("http://faß.example", resolve=resolve)
    client.check_base_url("http://faß.example", resolve=resolve)
    sent = httpx.URL("http://faß.example").raw_host.decode("ascii")
    assert asked == [sent, sent] and sent.startswith("xn--")


def test_the_strict_form_is_split_without_httpx_and_the_rest_with_it():
    assert light.strict_split("http://127.0.0.1:8787") == light.BaseUrl("http", "127.0.0.1", 8787)
    assert light.strict_split("https://open-api.saleshandy.com:443/x") == light.BaseUrl(
        "https", "open-api.saleshandy.com", None
    )
    assert light.strict_split("http://[::1]:9000") == light.BaseUrl("http", "::1", 9000)
    for outside in ("HTTP://127.0.0.1", "http://127.0.0.1.", "http://a@b", "http://999.0.0.1", "http://x:99999"):
        assert light.strict_split(outside) is None


_PIECES = st.sampled_from(
    ["127.0.0.1", "localhost", "loop", "evil.example", "[::1]", "[", "]", "::1", "%25", "%2f", "@", "\\", ":", "8787"]
    + ["/", "#", "?", ".", "-", "_", " ", "\t", "\n", "A", "xn--", "ß", "０", "99999", "0x7f", "1"]
)
_PREFIXES = st.sampled_from(["http://", "https://", "HTTP://", "http:/", "http:", "//", "ftp://", ""])


@settings(max_examples=400, deadline=None)
@given(prefix=_PREFIXES, pieces=st.lists(_PIECES, max_size=8))
def test_wherever_the_light_split_answers_it_is_httpx_split(prefix, pieces):
    text = prefix + "".join(pieces)
    mine = light.strict_split(text)
    if mine is not None:
        assert mine == light.httpx_split(httpx.URL(text)), text
    assert _outcome(light.check_base_url, text) == _outcome(client.check_base_url, text), text


def test_the_policy_texts_stay_as_they_were():
    """Messages made without tui.api.responses: the same one-line, bounded quoting."""
    with pytest.raises(ValueError) as caught:
        light.check_base_url("http://open-api.saleshandy.com/\x1b[31m")
    assert "\x1b" not in str(caught.value) and "not a valid URL" in str(caught.value)
    long = "https://" + "a" * 300 + ".example/v1"
    _, notice = light.normalize_base_url(long)
    assert notice is not None and "…" in notice and "\n" not in notice


def test_the_editor_and_its_first_screen_leave_httpx_to_the_client():
    """The main screen and what it imports (the editing part asks ``unreached`` of the errors)
    load neither httpx nor the client: the client comes after the first frame."""
    code = (
        "import json, sys\n"
        "import tui.commands.app, tui.app, tui.screens.main_screen, tui.session.account\n"
        "print(json.dumps([m for m in ('httpx', 'tui.api.client', 'tui.session.connect') if m in sys.modules]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
