"""Error classes of the emulator, each rendering one of the three JSON shapes Adobe's APIs answer with.

The tree (no HTTP imports: the web layer turns ``status`` + ``body()`` into a response)::

    EmulatorError                 status, headers, body()
    ├── GatewayError              adobe.io gateway: {"error_code": "403010", "message": ...}
    ├── ContentTypeError          gateway 400 for a missing or wrong Content-Type on a write
    ├── OAuthError                IMS: {"error": "invalid_client", "error_description": ...}
    └── FlowError                 Flow Service problem body, ``type`` = .../FLOW-{code}-{status}

The error code string (``403010``, ``1404``) is kept apart from the HTTP status, as in moto.
"""

from __future__ import annotations

import uuid
from typing import Any

FLOW_ERROR_TYPE_PREFIX = "https://ns.adobe.com/aep/errors/FLOW-"

#: Titles Flow Service uses per HTTP status in its problem bodies.
_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Resource not found",
    408: "Request timeout",
    412: "Precondition failed",
    422: "Unprocessable entity",
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


def new_request_id() -> str:
    """Return a fresh request id, as Adobe puts in ``report.request-id``."""
    return str(uuid.uuid4())


class EmulatorError(Exception):
    """Root of the emulator's errors: an HTTP status and a JSON body."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers: dict[str, str] = dict(headers or {})

    def body(self, request_id: str | None = None) -> dict[str, Any]:
        """Return the JSON body of the error."""
        return {"message": self.message}


class GatewayError(EmulatorError):
    """An adobe.io gateway rejection, raised before Flow Service sees the request."""

    def __init__(self, status: int, error_code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(status, message, headers)
        self.error_code = error_code

    def body(self, request_id: str | None = None) -> dict[str, Any]:
        return {"error_code": self.error_code, "message": self.message}


class ContentTypeError(EmulatorError):
    """The gateway's 400 for a write without ``Content-Type: application/json``."""

    def __init__(self) -> None:
        super().__init__(400, "A valid content-type must be specified")

    def body(self, request_id: str | None = None) -> dict[str, Any]:
        return {
            "type": "/placeholder/type/uri",
            "status": 400,
            "title": "BadRequestError",
            "detail": self.message,
        }


class OAuthError(EmulatorError):
    """An IMS OAuth2 error (RFC 6749 §5.2 shape)."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(status, description)
        self.error = error

    def body(self, request_id: str | None = None) -> dict[str, Any]:
        return {"error": self.error, "error_description": self.message}


class FlowError(EmulatorError):
    """A Flow Service error with its catalog code (``1404``) and status (``412``)."""

    def __init__(
        self,
        code: int,
        status: int,
        message: str,
        *,
        title: str | None = None,
        resource_id: str | None = None,
        resource_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status, message, headers)
        self.code = code
        self.title = title or _TITLES.get(status, "Error")
        self.resource_id = resource_id
        self.resource_type = resource_type

    @property
    def type_uri(self) -> str:
        """The problem ``type``, e.g. ``https://ns.adobe.com/aep/errors/FLOW-1101-404``."""
        return f"{FLOW_ERROR_TYPE_PREFIX}{self.code}-{self.status}"

    def body(self, request_id: str | None = None) -> dict[str, Any]:
        report: dict[str, Any] = {
            "detailed-message": self.message,
            "request-id": request_id or new_request_id(),
        }
        if self.resource_id is not None:
            report["id"] = self.resource_id
            report["type"] = self.resource_type or "connections"
        return {
            "type": self.type_uri,
            "title": self.title,
            "status": self.status,
            "report": report,
            "errorMessage": self.message,
            "errorDetails": self.message,
        }


# --- Named constructors: one per documented error, so the catalog lives in one place. ---------------------


def not_found(resource_id: str, kind: str = "connections") -> FlowError:
    """FLOW-1101-404, the body OAS-D documents for an unknown or deleted id."""
    return FlowError(
        1101, 404, f"{kind} not found with id = [{resource_id}]", resource_id=resource_id, resource_type=kind
    )


def bad_request(message: str, code: int = 1100) -> FlowError:
    """A 400 problem with the given catalog code."""
    return FlowError(code, 400, message)


def token_missing() -> GatewayError:
    return GatewayError(403, "403010", "Oauth token is missing.")


def token_invalid() -> GatewayError:
    return GatewayError(401, "401013", "Oauth token is not valid")


def api_key_missing() -> GatewayError:
    return GatewayError(403, "403000", "Api Key is required")


def api_key_invalid() -> GatewayError:
    return GatewayError(403, "403003", "Api Key is invalid")


def org_header_missing() -> GatewayError:
    return GatewayError(400, "400003", "Missing header")


def profile_not_valid() -> GatewayError:
    return GatewayError(403, "403025", "Profile is not valid")


def too_many_requests(retry_after: int | None = None) -> GatewayError:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return GatewayError(429, "429050", "Too many requests", headers)


def sandbox_header_missing() -> FlowError:
    return FlowError(
        2105, 400, "Header is missing: the header 'x-sandbox-name' is required.", title="Bad request"
    )


def sandbox_not_found(name: str) -> FlowError:
    return FlowError(
        2100,
        404,
        f"The sandbox with the name '{name}' could not be found. Verify the sandbox name and try again.",
        title="Sandbox not found",
    )


#: Catalog code of the emulator's own "route not emulated" answer (Adobe has none; 501 keeps it apart from
#: a 404 that a client would read as "deleted").
NOT_EMULATED_CODE = 9501


def not_emulated(method: str, path: str) -> FlowError:
    """FLOW-9501-501: a route of Adobe's API (or an unknown one) the emulator does not serve."""
    return FlowError(
        NOT_EMULATED_CODE,
        501,
        f"{method} {path} is not emulated by aep-emulator (see emulator/README.md for the operations served)",
        title="Not implemented",
    )
