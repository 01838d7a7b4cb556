"""The client's exceptions. Their text is the server's message as plain text, never the key."""

from __future__ import annotations


class ApiError(Exception):
    """Base of every error the client raises.

    ``status`` is the HTTP status when there was a response; ``messages`` are the server's own
    messages (each as the server wrote it); ``retryable`` says whether trying again may help.
    """

    retryable = False

    def __init__(self, message: str, *, status: int | None = None, messages: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.messages = list(messages or ([message] if message else []))

    def __str__(self) -> str:
        return self.message


class AuthError(ApiError):
    """401/403: the API key is missing, wrong or not allowed to do this."""


class NotFoundError(ApiError):
    """404: the sequence, step or variant is not there (deleted by a teammate?)."""


class ValidationFailed(ApiError):
    """400/422: the server rejected the request; ``messages`` say which rule."""


class RateLimited(ApiError):
    """429 after the retries ran out; ``retry_after`` is the wait the server asked for."""

    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx: the server failed."""

    retryable = True


class NetworkError(ApiError):
    """No usable response: refused, timed out, name not resolved, dropped.

    ``sent`` is False when the request certainly never reached the server (a connect error);
    True or None means a PATCH may or may not have been applied and must be re-read first.
    """

    retryable = True

    def __init__(self, message: str, *, sent: bool | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.sent = sent


class GatewayError(NetworkError):
    """A gateway's or CDN's HTML page (403, 5xx) instead of the API's answer: the service or the
    network path is failing, not the key. Whether a PATCH got through is unknown (``sent`` None)."""

    def __init__(self, message: str, **kwargs):
        kwargs.setdefault("sent", None)
        super().__init__(message, **kwargs)


class UnexpectedResponse(ApiError):
    """A response that is not the JSON shape the API documents (truncated, HTML, wrong type)."""

    retryable = True


def unreached(exc: ApiError) -> bool:
    """Whether ``exc`` says nothing about the account's data, only that the server could not
    be used (no connection, a failing server, a refused key): asking again later may work.
    Here, beside the errors, so screens can ask without importing the client (start-up)."""
    return exc.retryable or isinstance(exc, AuthError)


# The vendor's words when a test email names a sender the sequence does not use.
SENDER_NOT_CONNECTED = "please connect email account with this sequence"


def sender_not_connected(error: ApiError) -> bool:
    """Whether ``error`` is the vendor's refusal of a test email's sender (its own message)."""
    return any(SENDER_NOT_CONNECTED in text.casefold() for text in [error.message, *error.messages])


NOT_CONNECTED_ADVICE = (
    "The sending account is not connected to this sequence (the server said: "
    '"Please connect email account with this sequence"). Connect it in the sequence\'s settings '
    "in Saleshandy, or pick another sender."
)
