"""HTTP transport: one ``requests.Session`` (no retries of its own), answer checks and HTTP-error mapping."""

from __future__ import annotations

import email.utils
import http.cookiejar
import logging
import re
from collections.abc import Iterable
from typing import Any, Final

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

from pulumi_aep.config import MAX_CALLS_IN_FLIGHT, ProviderConfig
from pulumi_aep.errors import (
    ApiError,
    AuthenticationError,
    ConflictError,
    ConnectionInUseError,
    NotFoundError,
    PreconditionFailedError,
    RateLimitedError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
)

log = logging.getLogger(__name__)

_UUID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
REDACTED: Final = "[redacted]"


def build_session(config: ProviderConfig) -> requests.Session:
    """One session per provider process; safe to share across the threads of either face.

    Nothing on the session is mutated per request (headers are passed per call) and cookies are
    refused, so concurrent requests never see each other's state. TLS verification stays on. The
    adapter never retries by itself: every retry is decided by ``pulumi_aep.retry.RetryPolicy``, so
    one budget covers each request.
    """
    session = requests.Session()
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    # pool_connections: one pool per host (Flow Service and Catalog behind one gateway, IMS). pool_maxsize:
    # the connections kept per host for reuse. Below the calls in flight, urllib3 opens more under load and
    # closes ("discards") the extras as they finish, so the next burst pays new connections (TLS handshakes
    # against Adobe): sized to the most calls a provider makes at once instead.
    adapter = HTTPAdapter(
        pool_connections=4,
        pool_maxsize=MAX_CALLS_IN_FLIGHT,
        max_retries=Retry(0, read=False, redirect=False),
    )
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def server_time_ms(response: requests.Response) -> int | None:
    """The server's clock from the ``Date`` header (whole seconds, epoch ms), or None if absent or bad."""
    value = response.headers.get("Date")
    if not value:
        return None
    try:
        return int(email.utils.parsedate_to_datetime(value).timestamp() * 1000)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def json_object(
    response: requests.Response, what: str, *, service: str = "Flow Service", hint: str | None = None
) -> dict[str, Any]:
    """The answer's JSON object.

    Args:
        service: who was asked, in the message; ``hint`` says which setting to check when it is not
            Flow Service (``UnexpectedResponseError.HINT``, aep:platformUrl, otherwise).

    Raises:
        UnexpectedResponseError: the body is not a JSON object (not ``service`` answering).
    """
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        kind = response.headers.get("Content-Type") or "no content type"
        raise UnexpectedResponseError(
            f"{what}: the answer is not {service}'s JSON ({kind})",
            status=response.status_code,
            request_id=_request_id({}, response),
            hint=hint,
        )
    return body


def expect_deleted(
    response: requests.Response, what: str, *, statuses: frozenset[int], expected: str | None = None
) -> None:
    """Return only when ``response`` is one of the ``statuses`` that mean deleted.

    ``expected`` says in the error what would have meant deleted (default: the statuses).

    Raises:
        UnexpectedResponseError: another status (e.g. a 200 from a host that is not Flow Service), so the
            entity was not deleted and its state must stay.
    """
    if response.status_code not in statuses:
        said = expected or " or ".join(str(status) for status in sorted(statuses, reverse=True))
        raise UnexpectedResponseError(
            f"{what}: answered HTTP {response.status_code}, not {said}, so it was not deleted",
            status=response.status_code,
            request_id=_request_id({}, response),
        )


def required(
    body: dict[str, Any], key: str, what: str, response: requests.Response, *, hint: str | None = None
) -> str:
    """``body[key]`` as a non-empty string.

    Raises:
        UnexpectedResponseError: the key is missing or empty (``hint`` as for ``json_object``).
    """
    value = body.get(key)
    if value in (None, ""):
        raise UnexpectedResponseError(
            f"{what}: the answer has no {key!r}",
            status=response.status_code,
            request_id=_request_id(body, response),
            hint=hint,
        )
    return str(value)


def transport_error(exc: requests.RequestException, what: str) -> TransportError:
    """Map a ``requests`` failure without an HTTP answer to ``TransportError``.

    ``request_sent`` is False only when the connection was never established, i.e. the server
    cannot have acted on the request; otherwise the outcome is unknown.
    """
    inner = exc.args[0] if exc.args else None
    reason = getattr(inner, "reason", inner)
    if isinstance(reason, NewConnectionError):
        kind, sent = "could not connect", False
    elif isinstance(exc, requests.ConnectTimeout) or isinstance(reason, ConnectTimeoutError):
        kind, sent = "timed out connecting", False
    elif isinstance(exc, requests.Timeout) or isinstance(reason, ReadTimeoutError):
        kind, sent = "timed out waiting for the answer", None
    else:
        kind, sent = "lost the connection before the answer", None
    return TransportError(f"{what}: {kind} ({type(exc).__name__})", request_sent=sent, kind=kind)


def error_from_response(
    response: requests.Response, what: str, secrets: Iterable[str] = (), *, attempts: int = 1
) -> ApiError:
    """Build the ``ApiError`` subclass for an HTTP error answer (status, Adobe code, request id).

    Args:
        attempts: how many times the request was sent; said in the message when more than once.
    """
    body = _json(response)
    code = _code(body)
    sent = f" (sent {attempts} times)" if attempts > 1 else ""
    message = redact(f"{what}{sent}: {_message(body) or response.reason or 'HTTP error'}", secrets)
    request_id = _request_id(body, response)
    status = response.status_code
    if code is not None and code.startswith("1418"):
        flows = tuple(u for u in _UUID.findall(message) if u.lower() not in what.lower())
        return ConnectionInUseError(message, status=status, code=code, request_id=request_id, flow_ids=flows)
    cls = _STATUS_ERRORS.get(status, ServerError if status >= 500 else ApiError)
    error = cls(message, status=status, code=code, request_id=request_id)
    if isinstance(error, RateLimitedError):
        error.retry_after = retry_after_seconds(response)
    if isinstance(error, ServerError):
        error.answered_ms = server_time_ms(response)
    return error


def retry_after_seconds(response: requests.Response) -> float | None:
    """``Retry-After`` in seconds (the delta form Adobe's gateway sends), or None."""
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every non-trivial secret value occurring in ``text``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text


_STATUS_ERRORS: Final[dict[int, type[ApiError]]] = {
    401: AuthenticationError,
    403: AuthenticationError,
    404: NotFoundError,
    409: ConflictError,
    412: PreconditionFailedError,
    429: RateLimitedError,
}


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _code(body: dict[str, Any]) -> str | None:
    kind = body.get("type")
    if isinstance(kind, str) and "/FLOW-" in kind:
        return kind.rsplit("/FLOW-", 1)[1]
    for key in ("error_code", "code", "error"):
        if body.get(key) not in (None, ""):
            return str(body[key])
    return None


def _message(body: dict[str, Any]) -> str | None:
    report = body.get("report")
    report = report if isinstance(report, dict) else {}
    for value in (
        report.get("detailed-message"),
        body.get("errorMessage"),
        body.get("message"),
        body.get("error_description"),
        body.get("detail"),
        body.get("title"),
    ):
        if isinstance(value, str) and value:
            return value
    return None


def _request_id(body: dict[str, Any], response: requests.Response) -> str | None:
    report = body.get("report")
    if isinstance(report, dict) and report.get("request-id"):
        return str(report["request-id"])
    return response.headers.get("x-request-id") or response.headers.get("X-Request-Id")
