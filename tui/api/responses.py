"""Reading the API's responses: the success envelope, error bodies, and the error to raise.

The documented success body is ``{"message": str, "payload": ...}``. Error bodies are
undocumented and come in several shapes (``message`` as a string or a list, text under ``error``,
or the service's ``{"payload": [{"message": ...}]}``), so they are read defensively. Every piece
of server text is made terminal-safe with :func:`tui.text.safe_text.one_line`, cut to a sane length,
and scrubbed of the API key before it lands in an exception.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from tui.text.safe_text import one_line

from .errors import (
    ApiError,
    AuthError,
    GatewayError,
    NotFoundError,
    RateLimited,
    ServerError,
    UnexpectedResponse,
    ValidationFailed,
)

T = TypeVar("T")

MESSAGE_WIDTH = 300  # one server message, as shown in a notification or a status line
# JSON nested deeper than this is refused: no answer of the API nests more than a few levels, and
# deeper data would take Python's recursion (the parser, pydantic, repr, the PATCH encoder) to its
# limit, where a RecursionError escapes the handlers meant for bad answers.
MAX_JSON_DEPTH = 64
# An upper bound on the objects and arrays one answer may hold, counted as ``{`` and ``[`` bytes
# before parsing (a cheap overcount: brackets inside strings count too). A page of 1,000 sequences
# holds about 5,000; the cap keeps a hostile answer of tiny objects from taking gigabytes once parsed.
MAX_JSON_CONTAINERS = 500_000
MAX_MESSAGES = 20
SNIPPET_WIDTH = 80  # how much of an unparsable body to quote back
REDACTED = "[redacted]"


@dataclass
class Listing(Generic[T]):
    """Items that parsed, and one error line for each item that did not.

    ``pages`` is how many pages were fetched to build it (1 for unpaged endpoints). ``rejected``:
    for each item that did not parse, (its id, its title, why) as plain text, so that a caller
    can name what it could not use (``lint --all``: "sequence T (ID) not checked").
    """

    items: list[T] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pages: int = 1
    rejected: list[tuple[str, str, str]] = field(default_factory=list)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class ApiResult:
    """A success envelope whose payload is not a model: the PATCH answers ``payload: 1``."""

    message: str
    payload: Any


def scrub(text: str, secret: str | None) -> str:
    """``text`` with every occurrence of ``secret`` replaced, so a key never leaves in a message."""
    if secret and secret in text:
        return text.replace(secret, REDACTED)
    return text


def safe_message(raw: object, secret: str | None, width: int = MESSAGE_WIDTH) -> str:
    """Server text as one plain, bounded line without the key."""
    # Scrub before and after cleaning: cleaning could join a key split by control characters.
    return scrub(one_line(scrub(str(raw), secret), width), secret)


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key in ("message", "msg", "detail", "error"):
            if key in value and value[key] not in (None, ""):
                yield from _strings(value[key])
                return
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)


def error_messages(body: Any) -> list[str]:
    """The useful text in an error body, most specific first, without duplicates."""
    found: list[str] = []
    if isinstance(body, dict):
        for key in ("message", "payload", "errors", "detail"):
            found.extend(_strings(body.get(key)))
        if not found:
            found.extend(_strings(body.get("error")))
    else:
        found.extend(_strings(body))
    unique: list[str] = []
    for text in found:
        if text.strip() and text not in unique:
            unique.append(text)
    return unique


def _snippet(content: bytes, secret: str | None) -> str:
    text = content[:400].decode("utf-8", errors="replace")
    return safe_message(text, secret, SNIPPET_WIDTH)


class JsonRefused(ValueError):
    """JSON that parses but is too deep or holds too many objects to be an API answer."""


def _deeper_than(value: Any, limit: int) -> bool:
    # Level by level, not recursively: walking a deep structure recursively is the failure being
    # guarded. Exact type checks keep it to about a third of json.loads's own time.
    level = [value]
    for _ in range(limit):
        deeper = []
        for item in level:
            for child in item.values() if type(item) is dict else item:
                kind = type(child)
                if kind is dict or kind is list:
                    deeper.append(child)
        if not deeper:
            return False
        level = deeper
    return True


def parse_json(content: bytes) -> Any:
    """``content`` parsed as JSON within :data:`MAX_JSON_DEPTH` and :data:`MAX_JSON_CONTAINERS`.

    Every failure is a ValueError (JsonRefused for the limits): a RecursionError or MemoryError
    from the parser must not escape as something the callers do not handle.
    """
    if content.count(b"{") + content.count(b"[") > MAX_JSON_CONTAINERS:
        raise JsonRefused(f"more than {MAX_JSON_CONTAINERS:,} objects and arrays")
    try:
        value = json.loads(content)
    except RecursionError:
        raise JsonRefused(f"nested more than {MAX_JSON_DEPTH} levels deep") from None
    except MemoryError:
        raise JsonRefused("too large to parse") from None
    if isinstance(value, (dict, list)) and _deeper_than(value, MAX_JSON_DEPTH):
        raise JsonRefused(f"nested more than {MAX_JSON_DEPTH} levels deep")
    return value


def decode_json(response: httpx.Response, operation: str, secret: str | None) -> Any:
    """The response body as JSON, or UnexpectedResponse naming what was wrong with it."""
    content = response.content
    if not content.strip():
        raise UnexpectedResponse(
            f"{operation}: the server sent an empty body (HTTP {response.status_code})",
            status=response.status_code,
        )
    try:
        return parse_json(content)
    except JsonRefused as exc:
        raise UnexpectedResponse(
            f"{operation}: the server's answer is JSON {exc} (HTTP {response.status_code}); not read",
            status=response.status_code,
        ) from None
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise UnexpectedResponse(
            f"{operation}: the server's answer is not valid JSON (truncated?), "
            f"HTTP {response.status_code}, starting {_snippet(content, secret)!r}",
            status=response.status_code,
        ) from None


def envelope(response: httpx.Response, operation: str, secret: str | None) -> ApiResult:
    """The ``{message, payload}`` envelope of a 2xx response."""
    body = decode_json(response, operation, secret)
    if not isinstance(body, dict):
        raise UnexpectedResponse(
            f"{operation}: expected a JSON object with a payload, got a JSON {type(body).__name__}",
            status=response.status_code,
        )
    if "payload" not in body:
        raise UnexpectedResponse(f"{operation}: the server's answer has no payload", status=response.status_code)
    message = body.get("message")
    return ApiResult(
        message=safe_message(message, secret) if message is not None else "", payload=unwrap(body["payload"])
    )


_ENVELOPE_KEYS = frozenset({"payload", "message", "statusCode"})


def unwrap(payload: Any) -> Any:
    """The payload, also when the server wrapped it twice (``{"payload": {"payload": …}}``,
    seen in the vendor's material). Only an object made of envelope keys is unwrapped: a
    variant (which has a ``payload`` of its own next to ``id`` and ``type``) is left alone."""
    depth = 0
    while isinstance(payload, dict) and "payload" in payload and set(payload) <= _ENVELOPE_KEYS and depth < 4:
        payload, depth = payload["payload"], depth + 1
    return payload


def _codes(body: Any) -> set[int]:
    """The vendor's error codes in a body: top-level ``code`` and each ``payload[*].code``."""
    found: set[int] = set()
    items = [body]
    if isinstance(body, dict) and isinstance(body.get("payload"), list):
        items += body["payload"]
    for item in items:
        if isinstance(item, dict):
            code = item.get("code")
            if isinstance(code, int) and not isinstance(code, bool):
                found.add(code)
            elif isinstance(code, str) and code.strip().isdigit():
                found.add(int(code.strip()))
    return found


def _error_body(response: httpx.Response, secret: str | None) -> tuple[list[str], set[int]]:
    """The error body's messages (plain, bounded, without the key) and its vendor codes."""
    content = response.content
    messages: list[str] = []
    codes: set[int] = set()
    if content.strip():
        try:
            body = parse_json(content)
        except JsonRefused as exc:
            messages = [f"(an error body {exc}; not read)"]
        except ValueError:
            messages = [_snippet(content, secret)]
        else:
            messages = error_messages(body)
            codes = _codes(body)
    cleaned = [safe_message(text, secret) for text in messages[:MAX_MESSAGES]]
    return [text for text in cleaned if text], codes


# The vendor's bad key: "1001: Invalid token" (code 1001 also marks validation failures, so the
# code alone does not make it a key problem; "token" or "api key" in the text does).
_BAD_KEY = re.compile(r"\binvalid\s+(api[\s_-]*)?(token|key)\b", re.IGNORECASE)
_KEY_WORDS = re.compile(r"\b(token|api[\s_-]*key)\b", re.IGNORECASE)
KEY_CODE = 1001


def says_bad_key(messages: list[str], codes: set[int]) -> bool:
    """Whether an error's text and codes say the API key was refused."""
    if any(_BAD_KEY.search(text) for text in messages):
        return True
    coded = KEY_CODE in codes or any(text.lstrip().startswith(f"{KEY_CODE}") for text in messages)
    return coded and any(_KEY_WORDS.search(text) for text in messages)


def is_gateway_page(response: httpx.Response) -> bool:
    """An HTML page where JSON was due: a CDN's or proxy's own error page, not the API's answer."""
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml"):
        return True
    return not kind and response.content.lstrip()[:1] == b"<"


def error_for(
    response: httpx.Response,
    operation: str,
    secret: str | None,
    retry_after: float | None = None,
) -> ApiError | None:
    """The exception a non-2xx response stands for, or None for a success."""
    status = response.status_code
    if 200 <= status < 300:
        return None
    if 300 <= status < 400:
        host = safe_message(response.request.url.host, secret, 80)
        target = safe_message(response.headers.get("location", ""), secret, 120)
        where = f" to {target}" if target else ""
        return UnexpectedResponse(
            f"{operation}: the server redirected (HTTP {status}){where}; the redirect was not "
            f"followed, so the API key is only ever sent to {host}. Check the base URL.",
            status=status,
        )
    if (status == 403 or status >= 500) and is_gateway_page(response):
        return GatewayError(
            f"{operation}: HTTP {status} with a web page instead of the API's answer: a gateway or CDN in front "
            "of the API is failing or blocking this network. This is not about the API key; try again later.",
            status=status,
            messages=[],
        )
    messages, codes = _error_body(response, secret)
    reason = response.reason_phrase or "error"
    said = "; ".join(messages) if messages else reason
    text = f"{operation}: HTTP {status}: {said}"
    if status in (401, 403) or (400 <= status < 500 and says_bad_key(messages, codes)):
        return AuthError(
            f"{operation}: the API key was refused (HTTP {status}: {said}). "
            "Check SALESHANDY_API_KEY or the profile's key.",
            status=status,
            messages=messages,
        )
    if status == 404:
        return NotFoundError(text, status=status, messages=messages)
    if status == 429:
        wait = f" (the server asked to wait {retry_after:.0f} s)" if retry_after is not None else ""
        return RateLimited(f"{text}{wait}", status=status, messages=messages, retry_after=retry_after)
    if 400 <= status < 500:
        return ValidationFailed(text, status=status, messages=messages)
    if 500 <= status < 600:
        return ServerError(text, status=status, messages=messages)
    return UnexpectedResponse(text, status=status, messages=messages)
