"""The provider's exceptions, one small tree.

::

    AepError                                  root: catch this to catch everything below
    ├── ConfigurationError(ValueError)        bad or missing aep:* config / AEP_* environment
    ├── ValidationError(ValueError)           bad resource inputs (check() reports these as CheckFailures)
    ├── VerificationError                     `verify=True` and the platform cannot reach the storage
    ├── TransportError                        no HTTP answer: connection refused/reset, timeout
    └── ApiError                              an HTTP error answer; keeps status, code, request_id
        ├── AuthenticationError               401/403 from the gateway or IMS
        ├── NotFoundError                     404
        ├── ConflictError                     409
        │   └── PreconditionFailedError       412: If-Match etag is stale
        ├── ConnectionInUseError              400 code 1418: dataflows still use the connection
        ├── RateLimitedError                  429 after the retry budget is spent
        └── ServerError                       5xx after the retry budget is spent

Messages are built before raising, name the resource and never contain a secret (no tokens,
client secrets, connection strings, SAS URIs or service-principal keys).
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "AepError",
    "ApiError",
    "AuthenticationError",
    "ConfigurationError",
    "ConflictError",
    "ConnectionInUseError",
    "NotFoundError",
    "PreconditionFailedError",
    "RateLimitedError",
    "ServerError",
    "TransportError",
    "ValidationError",
    "VerificationError",
]


class AepError(Exception):
    """Root of every error raised by ``pulumi_aep``."""


class ConfigurationError(AepError, ValueError):
    """Provider configuration (``aep:*`` keys or ``AEP_*`` variables) is missing or invalid."""


class ValidationError(AepError, ValueError):
    """A resource input is invalid.

    Attributes:
        property: the input property at fault, e.g. ``connection_string``.
    """

    def __init__(self, property_: str, reason: str) -> None:
        super().__init__(f"{property_}: {reason}")
        self.property = property_
        self.reason = reason


class VerificationError(AepError):
    """``verify=True`` and the platform could not reach the storage through the connection."""


class TransportError(AepError):
    """The request got no HTTP answer (connection refused or reset, timeout).

    Attributes:
        request_sent: False when the request certainly never left (connect failure); None if unknown.
    """

    HINT: ClassVar[str] = (
        "check the network and proxy settings and aep:platformUrl/aep:imsUrl (raise aep:readTimeout "
        "for slow answers), then run again"
    )

    def __init__(self, message: str, *, request_sent: bool | None = None) -> None:
        super().__init__(f"{message}: {self.HINT}")
        self.request_sent = request_sent


class ApiError(AepError):
    """An HTTP error answer from Flow Service, the adobe.io gateway or IMS.

    Attributes:
        status: HTTP status code.
        code: Adobe's error code (``"1418-400"``, gateway ``"401013"``, IMS ``"invalid_client"``) or None.
        request_id: ``report.request-id`` or the ``x-request-id`` header, for Adobe support; or None.
    """

    #: How to fix it, appended to the message (each subclass says it for its case).
    HINT: ClassVar[str] = ""

    def __init__(
        self, message: str, *, status: int, code: str | None = None, request_id: str | None = None
    ) -> None:
        details = ", ".join(
            f"{label} {value}"
            for label, value in (("HTTP", status), ("code", code), ("request id", request_id))
            if value is not None
        )
        hint = f"; {self.HINT}" if self.HINT and self.HINT not in message else ""
        super().__init__(f"{message} ({details}){hint}")
        self.message = message
        self.status = status
        self.code = code
        self.request_id = request_id


class AuthenticationError(ApiError):
    """Credentials were rejected (401/403), by IMS or by the gateway."""

    HINT = (
        "check aep:clientId, aep:clientSecret (or aep:accessToken), aep:orgId and aep:scopes, and that "
        "the credential's product profile grants Experience Platform sources"
    )


class NotFoundError(ApiError):
    """The resource does not exist (404) in this org and sandbox."""

    HINT = (
        "check sandbox_name (or aep:sandboxName) and aep:platformUrl; a connection deleted outside "
        "Pulumi is dropped from state by `pulumi refresh`"
    )


class ConflictError(ApiError):
    """The request conflicts with the resource's current state (409)."""


class PreconditionFailedError(ConflictError):
    """The ``If-Match`` etag no longer matches (412): someone changed the resource meanwhile."""

    HINT = "someone kept changing the connection while Pulumi updated it: run again"


class ConnectionInUseError(ApiError):
    """The connection cannot be deleted because dataflows still use it (code 1418).

    Attributes:
        flow_ids: ids of the dataflows that use the connection, when the API named them.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str | None = None,
        request_id: str | None = None,
        flow_ids: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message, status=status, code=code, request_id=request_id)
        self.flow_ids = flow_ids


class RateLimitedError(ApiError):
    """Throttled (429): after the retry budget was spent, or on a create (never retried by the transport).

    Attributes:
        retry_after: seconds the gateway asked to wait (``Retry-After``), if it said.
    """

    retry_after: float | None = None
    HINT = "the API kept throttling after the retries: run again, with a lower --parallel or a higher aep:maxRetries"


class ServerError(ApiError):
    """Adobe answered 5xx after the retry budget was spent."""

    HINT = "Adobe's service failed after the retries: run again, and quote the request id to Adobe support if it persists"
