"""The provider's exceptions, one small tree.

::

    AepError                                  root (never raised itself): catch this to catch everything
    │                                         below
    ├── ConfigurationError(ValueError)        bad or missing aep:* config / AEP_* environment; or a
    │                                         connection whose state records no org is not in aep:orgId
    ├── ValidationError(ValueError)           bad resource inputs (check() reports these as CheckFailures)
    ├── VerificationError                     `verify=True` and the connection could not be verified
    ├── CreateOutcomeUnknownError             a create may have been applied; reconciling could not tell
    ├── CreateIncompleteError                 a pipeline create applied, the step after it failed; undone
    ├── EngineRequestError                    the engine asked for what this provider does not serve:
    │                                         an unknown type token, a malformed URN
    ├── TransportError                        no HTTP answer: connection refused/reset, timeout
    └── ApiError                              an HTTP answer other than the expected one; keeps status,
        │                                     code, request_id
        ├── AuthenticationError               401/403 from the gateway; 400/401/403 from IMS
        ├── NotFoundError                     404 from Flow Service or Catalog
        ├── ConflictError                     409
        │   └── PreconditionFailedError       412: If-Match etag is stale
        ├── ConnectionInUseError              400 code 1418 / 1447: dependents still use it (delete them first)
        ├── RateLimitedError                  429 (when it was resent, after the retry budget is spent)
        ├── ServerError                       5xx from Flow Service, the gateway or IMS
        └── UnexpectedResponseError           a status or body Adobe never sends (a wrong aep:platformUrl,
                                              or aep:imsUrl: the hint names the one that was asked)

``ApiError`` itself is raised only for a 4xx without a class of its own (e.g. a 400 bad request).

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
    "CreateIncompleteError",
    "CreateOutcomeUnknownError",
    "EngineRequestError",
    "NotFoundError",
    "PreconditionFailedError",
    "RateLimitedError",
    "ServerError",
    "TransportError",
    "UnexpectedResponseError",
    "ValidationError",
    "VerificationError",
]


class AepError(Exception):
    """Root of every error raised by ``pulumi_aep``.

    Attributes:
        before_request: True when it happened before the Flow Service request was sent (getting an
            access token), so that request cannot have been applied.
    """

    before_request: bool = False


class ConfigurationError(AepError, ValueError):
    """Provider configuration (``aep:*`` keys or ``AEP_*`` variables) is missing or invalid, or does
    not fit the state: a connection whose state records no org is not found in ``aep:orgId``."""


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
    """``verify=True`` and the connection could not be verified.

    Either the platform cannot reach the storage through it, or the check itself failed (the
    message quotes the cause, with its status, code and request id). The message always says
    whether the connection made by the create was deleted again or still exists.
    """


class CreateIncompleteError(AepError):
    """A create was applied, then a step right after it failed (reading the new entity back, enabling
    a new dataflow), so Pulumi cannot record it. The new entity was deleted again, or the message
    names the id that remains and how to delete it; the failed step's message (with Adobe's status,
    code and request id) is quoted.

    Attributes:
        remaining_id: the id of the entity left behind, or None when it was deleted again.
        cause: the failure of the step after the create.
    """

    def __init__(self, message: str, *, remaining_id: str | None, cause: AepError) -> None:
        super().__init__(message)
        self.remaining_id = remaining_id
        self.cause = cause


class TransportError(AepError):
    """The request got no HTTP answer (connection refused or reset, timeout).

    Attributes:
        request_sent: False when the request certainly never left (connect failure); None if unknown.
        kind: what happened, in a few words ("timed out waiting for the answer").
    """

    HINT: ClassVar[str] = (
        "check the network and proxy settings and aep:platformUrl/aep:imsUrl (raise aep:readTimeout "
        "for slow answers), then run again"
    )

    def __init__(self, message: str, *, request_sent: bool | None = None, kind: str = "no answer") -> None:
        super().__init__(f"{message}: {self.HINT}")
        self.request_sent = request_sent
        self.kind = kind


class ApiError(AepError):
    """An HTTP error answer from Flow Service, the adobe.io gateway or IMS.

    Attributes:
        status: HTTP status code.
        code: Adobe's error code (``"1418-400"``, gateway ``"401013"``, IMS ``"invalid_client"``) or None.
        request_id: ``report.request-id`` or the ``x-request-id`` header, for Adobe support; or None.
    """

    #: How to fix it, appended to the message (each subclass says it for its case; ``hint=`` for one
    #: answer whose source needs another, e.g. IMS rather than Flow Service).
    HINT: ClassVar[str] = ""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str | None = None,
        request_id: str | None = None,
        hint: str | None = None,
    ) -> None:
        details = ", ".join(
            f"{label} {value}"
            for label, value in (("HTTP", status), ("code", code), ("request id", request_id))
            if value is not None
        )
        fix = self.HINT if hint is None else hint
        suffix = f"; {fix}" if fix and fix not in message else ""
        super().__init__(f"{message} ({details}){suffix}")
        self.message = message
        self.status = status
        self.code = code
        self.request_id = request_id


class AuthenticationError(ApiError):
    """Credentials were rejected: 401/403 from the gateway, 400/401/403 from IMS."""

    HINT = (
        "check aep:clientId, aep:clientSecret (or aep:accessToken), aep:orgId and aep:scopes, and that "
        "the credential's product profile grants Experience Platform sources. After rotating a "
        "credential, `pulumi refresh` and `pulumi destroy` use the one stored with the stack's provider: "
        "set the new one in AEP_CLIENT_SECRET (or AEP_ACCESS_TOKEN), which is tried when the stored one "
        "is rejected, or run `pulumi up` first (or `pulumi destroy --run-program`)"
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
    """A delete refused because other resources still use the one being deleted: a base connection
    used by dataflows or source connections (code 1418), a source or target connection used by a
    dataflow, or a dataset a target connection writes to (code 1447). The message names the
    dependents and what to delete first.

    Attributes:
        flow_ids: ids of the dependents (dataflows, or source or target connections), when the API
            named them.
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
    HINT = "the API kept throttling: run again, with a lower --parallel or a higher aep:maxRetries"


class ServerError(ApiError):
    """Adobe answered 5xx (the message says whether and how often the request was resent).

    Attributes:
        answered_ms: the server's clock (its ``Date``, epoch ms) when it answered, if it said.
    """

    answered_ms: int | None = None

    HINT = "Adobe's service failed: run again, and quote the request id to Adobe support if it persists"


class UnexpectedResponseError(ApiError):
    """An answer Flow Service (or IMS) never gives: a status it does not use, or a body that is not its
    JSON. The hint names the URL setting of the service that was asked (aep:imsUrl for a token)."""

    HINT = (
        "check aep:platformUrl (Adobe's is https://platform.adobe.io): the host that answered does not "
        "behave like Flow Service"
    )


class EngineRequestError(AepError):
    """The Pulumi engine asked for what this provider does not serve: a resource type token it does not
    offer (the program declares a type of a newer provider version), or a URN it cannot parse."""


class CreateOutcomeUnknownError(AepError):
    """A create may have been applied, and reconciling could not tell whether or which connection.

    Attributes:
        candidate_ids: connections that may be the one created (empty when listing failed).
    """

    def __init__(self, message: str, *, candidate_ids: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.candidate_ids = candidate_ids
