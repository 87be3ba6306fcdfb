"""HTTP transport: one ``requests.Session`` with a urllib3 ``Retry`` policy, and HTTP-error mapping."""

from __future__ import annotations

import http.cookiejar
import logging
import re
from collections.abc import Iterable
from typing import Any, Final
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

from pulumi_aep.config import ProviderConfig, RetrySettings
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
)

log = logging.getLogger(__name__)

#: Statuses worth another try: throttling and the gateway's transient failures (500 is not: it is
#: usually a bug or a bad input, and a create answered 500 is reconciled, not repeated).
RETRY_STATUSES: Final = frozenset({429, 502, 503, 504})
#: Methods whose repetition cannot create a second resource. POST and PATCH are never retried here.
IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_UUID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
REDACTED: Final = "[redacted]"


class LoggingRetry(Retry):
    """urllib3 ``Retry`` that logs every retry it decides on (method, path, cause; never headers)."""

    def increment(self, *args: Any, **kwargs: Any) -> LoggingRetry:
        new = super().increment(*args, **kwargs)
        last = new.history[-1] if new.history else None
        if last is not None:
            cause = last.status or type(last.error).__name__
            path = urlsplit(last.url or "").path
            log.warning("retrying %s %s after %s", last.method, path, cause)
        return new


def build_retry(settings: RetrySettings, methods: Iterable[str] = IDEMPOTENT_METHODS) -> Retry:
    """The single retry policy: listed methods only, on 429/502/503/504 and connection errors.

    Backoff is exponential (``backoff_factor * 2**n``) plus uniform jitter, capped at ``backoff_max``;
    ``Retry-After`` wins when present, capped at ``retry_after_max``. Connect errors are retried for
    every method because the request never left; read errors only for ``methods``.
    """
    return LoggingRetry(
        total=settings.total,
        allowed_methods=frozenset(methods),
        status_forcelist=RETRY_STATUSES,
        backoff_factor=settings.backoff_factor,
        backoff_max=settings.backoff_max,
        backoff_jitter=settings.jitter,
        retry_after_max=settings.retry_after_max,
        respect_retry_after_header=True,
        raise_on_status=False,
        redirect=False,
    )


def build_session(config: ProviderConfig) -> requests.Session:
    """One session per provider process; safe to share across the dynamic provider's 4 threads.

    Nothing on the session is mutated per request (headers are passed per call) and cookies are
    refused, so concurrent requests never see each other's state. TLS verification stays on.
    """
    session = requests.Session()
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=8, max_retries=build_retry(config.retries))
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    # A token request has no side effect, so its POST may be repeated like a GET.
    ims = HTTPAdapter(max_retries=build_retry(config.retries, IDEMPOTENT_METHODS | {"POST"}))
    session.mount(f"{config.ims_url}/ims/", ims)
    return session


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
    return TransportError(f"{what}: {kind} ({type(exc).__name__})", request_sent=sent)


def error_from_response(response: requests.Response, what: str, secrets: Iterable[str] = ()) -> ApiError:
    """Build the ``ApiError`` subclass for an HTTP error answer (status, Adobe code, request id)."""
    body = _json(response)
    code = _code(body)
    message = redact(f"{what}: {_message(body) or response.reason or 'HTTP error'}", secrets)
    request_id = _request_id(body, response)
    status = response.status_code
    if code is not None and code.startswith("1418"):
        flows = tuple(u for u in _UUID.findall(message) if u.lower() not in what.lower())
        return ConnectionInUseError(message, status=status, code=code, request_id=request_id, flow_ids=flows)
    cls = _STATUS_ERRORS.get(status, ServerError if status >= 500 else ApiError)
    error = cls(message, status=status, code=code, request_id=request_id)
    if isinstance(error, RateLimitedError):
        error.retry_after = _seconds(response.headers.get("Retry-After"))
    return error


def _seconds(value: str | None) -> float | None:
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
