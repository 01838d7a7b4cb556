"""Reading the API's responses: the success envelope, error bodies, and the error to raise.

The documented success body is ``{"message": str, "payload": ...}``. Error bodies are
undocumented and come in several shapes (``message`` as a string or a list, text under ``error``,
or the service's ``{"payload": [{"message": ...}]}``), so they are read defensively. Every piece
of server text is made terminal-safe with :func:`tui.text.safe_text.one_line`, cut to a sane length,
and scrubbed of the API key before it lands in an exception.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from tui.text.safe_text import one_line

from .errors import (
    ApiError,
    AuthError,
    NotFoundError,
    RateLimited,
    ServerError,
    UnexpectedResponse,
    ValidationFailed,
)

T = TypeVar("T")

MESSAGE_WIDTH = 300  # one server message, as shown in a notification or a status line
MAX_MESSAGES = 20
SNIPPET_WIDTH = 80  # how much of an unparsable body to quote back
REDACTED = "[redacted]"


@dataclass
class Listing(Generic[T]):
    """Items that parsed, and one error line for each item that did not.

    ``pages`` is how many pages were fetched to build it (1 for unpaged endpoints).
    """

    items: list[T] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pages: int = 1

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


def decode_json(response: httpx.Response, operation: str, secret: str | None) -> Any:
    """The response body as JSON, or UnexpectedResponse naming what was wrong with it."""
    content = response.content
    if not content.strip():
        raise UnexpectedResponse(
            f"{operation}: the server sent an empty body (HTTP {response.status_code})",
            status=response.status_code,
        )
    try:
        return json.loads(content)
    except (ValueError, UnicodeDecodeError):
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
    return ApiResult(message=safe_message(message, secret) if message is not None else "", payload=body["payload"])


def _error_body_messages(response: httpx.Response, secret: str | None) -> list[str]:
    content = response.content
    messages: list[str] = []
    if content.strip():
        try:
            messages = error_messages(json.loads(content))
        except (ValueError, UnicodeDecodeError):
            messages = [_snippet(content, secret)]
    cleaned = [safe_message(text, secret) for text in messages[:MAX_MESSAGES]]
    return [text for text in cleaned if text]


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
    messages = _error_body_messages(response, secret)
    reason = response.reason_phrase or "error"
    said = "; ".join(messages) if messages else reason
    text = f"{operation}: HTTP {status}: {said}"
    if status in (401, 403):
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
