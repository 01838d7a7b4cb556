"""Which API base URLs and keys seqedit will use: the one place for the policy.

Light on purpose (start-up): nothing here imports httpx at module level, so resolving the account
before the first frame costs no httpx import. A base URL in a strict, plain form
(``scheme://host[:port][/path]`` in lower case with a small character set) is split here; any
other text is parsed by httpx itself (imported then: such URLs are rare). The strict form is a
subset on which the split is exactly httpx's (tests/test_base_url.py compares the two), so the
host judged is always the host httpx would connect to; :func:`tui.api.client.check_base_url`
applies the same :func:`judge` to httpx's own parse when the client is built.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.text.safe_text import one_line

if TYPE_CHECKING:
    import httpx

__all__ = [
    "DEFAULT_BASE_URL",
    "BaseUrl",
    "check_api_key",
    "check_base_url",
    "is_loopback",
    "normalize_base_url",
]

DEFAULT_BASE_URL = "https://open-api.saleshandy.com"

Resolver = Callable[[str], list[str]]

# How much of a refused URL a message quotes (one line, cleaned: the text is the person's own,
# but it may have been pasted from anywhere).
_SHOWN_WIDTH = 120

# The strict form. Lower case only (httpx lowers scheme and host: an upper-case URL goes to httpx),
# a host of letters, digits, dots and hyphens that starts and ends with a letter or digit (no
# trailing dot, no percent-escape, no IDNA to decode) or a bracketed IPv6 address without a zone,
# a port of ASCII digits, a path without escapes. Nothing that could be user info, a query or a
# fragment, no whitespace or control character: such text is httpx's to split.
_STRICT = re.compile(
    r"(?P<scheme>https?)://"
    r"(?P<host>[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])"
    r"(?::(?P<port>[0-9]{1,5}))?"
    r"(?:/[A-Za-z0-9._~/-]*)?"
)
# What httpx takes for a dotted IPv4 address (and then insists is a valid one).
_IPV4_STYLE = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")
_STRICT_MAX_LENGTH = 2000
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class BaseUrl:
    """A base URL split as httpx splits it: ``host`` is what a connection would look up (ASCII,
    IDNA-encoded, no brackets); ``extras`` whether it carries user info, a query or a fragment."""

    scheme: str
    host: str
    port: int | None = None
    extras: bool = False


def _resolve(name: str) -> list[str]:
    """Every address ``name`` resolves to (empty when it does not resolve)."""
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return [str(info[4][0]) for info in infos]


def is_loopback(host: str, resolve: Resolver = _resolve) -> bool:
    """Whether every address ``host`` stands for is a loopback one.

    Decided by address, never by name: ``x.localhost`` may resolve anywhere (a hosts file, a
    resolver that does not special-case the name), and plain http would carry the key there.
    An address literal counts only as written: ``127.0.0.1.`` (trailing dot) is a name to the
    resolver, which may send it to DNS, so it is judged by what it resolves to.
    """
    name = host.strip("[]").lower()
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        pass
    addresses = resolve(name)
    try:
        return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)
    except ValueError:
        return False


def _shown(text: str) -> str:
    return one_line(text, _SHOWN_WIDTH)


def normalize_base_url(base_url: str) -> tuple[str, str | None]:
    """``base_url`` without a trailing ``/v1`` (or ``/`` after it), and a sentence to tell the
    person once when one was removed (the vendor's docs show the base URL with /v1, and every
    request path here starts with it: /v1/v1/… would 404 everywhere)."""
    text = (base_url or "").strip()
    bare = text.rstrip("/")
    if bare.lower().endswith("/v1") and "?" not in bare and "#" not in bare:
        shorter = bare[: -len("/v1")].rstrip("/")
        return (
            shorter,
            f"The base URL ended in /v1, which seqedit adds to every request itself: using {_shown(shorter)}.",
        )
    return text, None


def check_api_key(api_key: str | None) -> str:
    """The key, stripped; ValueError (never quoting it) when it is empty or cannot go in a header."""
    key = (api_key or "").strip()
    if not key:
        raise ValueError("No API key given (set SALESHANDY_API_KEY, or use --demo).")
    if not key.isascii() or not key.isprintable() or any(char.isspace() for char in key):
        raise ValueError(
            "The API key contains spaces or characters that cannot be sent in a header "
            "(a copy-paste slip?); copy it again from Saleshandy → Settings → API Key."
        )
    return key


def strict_split(text: str) -> BaseUrl | None:
    """``text`` split without httpx when it is in the strict form (and httpx would accept it);
    None otherwise (httpx must decide)."""
    if len(text) > _STRICT_MAX_LENGTH:
        return None
    match = _STRICT.fullmatch(text)
    if match is None:
        return None
    scheme, host, port_text = match.group("scheme", "host", "port")
    if host.startswith("["):
        host = host[1:-1]
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return None
    elif _IPV4_STYLE.fullmatch(host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return None
    port = None if port_text is None else int(port_text)
    if port is not None and port > 65535:
        return None
    if port == _DEFAULT_PORTS[scheme]:
        port = None
    return BaseUrl(scheme, host, port)


def httpx_url(text: str) -> httpx.URL:
    """``text`` parsed by httpx; ValueError saying why it is not a URL."""
    import httpx  # here, not at the top: only URLs outside the strict form (and the client) need it

    try:
        return httpx.URL(text)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ValueError(f"The API base URL {_shown(text)!r} is not a valid URL ({exc}).") from None


def httpx_split(url: httpx.URL) -> BaseUrl:
    """httpx's parse as a :class:`BaseUrl`: the host is ``raw_host``, the name httpx looks up
    (``url.host`` decodes IDNA, and the resolver would encode it again its own way)."""
    return BaseUrl(
        scheme=url.scheme,
        host=url.raw_host.decode("ascii"),
        port=url.port,
        extras=bool(url.userinfo or url.query or url.fragment),
    )


def judge(parts: BaseUrl, text: str, *, in_process: bool = False, resolve: Resolver = _resolve) -> None:
    """The rule for a base URL once split; ValueError saying what is wrong.

    It must be https, except on a loopback host (127.0.0.0/8, ::1, or a name all of whose
    addresses are loopback) where a local sandbox runs, or when ``in_process`` (an ASGI or mock
    transport: nothing leaves the process, so the host name is only a label). User info,
    queries and fragments are refused: they would be silently merged into every request.
    """
    shown = _shown(text)
    if parts.scheme not in ("http", "https") or not parts.host:
        raise ValueError(f"The API base URL {shown!r} must look like https://open-api.saleshandy.com.")
    if parts.extras:
        raise ValueError(f"The API base URL {shown!r} must not carry a user name, query or fragment.")
    if parts.scheme == "http" and not in_process and not is_loopback(parts.host, resolve):
        raise ValueError(
            f"The API base URL {shown!r} uses plain http: the API key would travel unencrypted. "
            "Use https, or http only to a host whose addresses are all loopback (127.0.0.1, ::1, localhost)."
        )


def check_base_url(base_url: str, *, in_process: bool = False, resolve: Resolver = _resolve) -> BaseUrl:
    """Split and vet an API base URL (:func:`judge`); ValueError saying what is wrong.

    httpx is imported only for a URL outside the strict form."""
    text = (base_url or "").strip()
    parts = strict_split(text) or httpx_split(httpx_url(text))
    judge(parts, text, in_process=in_process, resolve=resolve)
    return parts
