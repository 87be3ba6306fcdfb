"""Typed request and response models: they make the emulator's own OpenAPI document."""

# ruff: noqa: N815 - field names are the API's camelCase JSON names
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

_OPEN = ConfigDict(extra="allow", populate_by_name=True)

# --- IMS ---------------------------------------------------------------------------------------------------


class TokenResponse(BaseModel):
    """IMS v3 client-credentials answer; ``expires_in`` is in seconds."""

    access_token: str
    token_type: Literal["bearer"]
    expires_in: int


class OAuthErrorBody(BaseModel):
    """OAuth2 error (RFC 6749 §5.2)."""

    error: str
    error_description: str


# --- errors ---------------------------------------------------------------------------------------------


class GatewayErrorBody(BaseModel):
    """adobe.io gateway error; ``error_code`` is a 6-digit string whose first 3 digits are the status."""

    error_code: str
    message: str


class ProblemReport(BaseModel):
    model_config = _OPEN
    detailed_message: str = Field(alias="detailed-message")
    request_id: str = Field(alias="request-id")
    id: str | None = None
    type: str | None = None


class ProblemBody(BaseModel):
    """Flow Service problem body; ``type`` ends with ``FLOW-{code}-{status}``."""

    type: str
    title: str
    status: int
    report: ProblemReport
    errorMessage: str
    errorDetails: str


class ContentTypeErrorBody(BaseModel):
    """The gateway's 400 for a write without a JSON content type."""

    type: str
    status: int
    title: str
    detail: str


class ErrorBody(RootModel[ProblemBody | GatewayErrorBody | ContentTypeErrorBody]):
    """Any of the three error shapes Adobe's platform answers with."""


# --- connections ----------------------------------------------------------------------------------------


class SpecInfo(BaseModel):
    id: str
    version: str | None = None


class AuthInput(BaseModel):
    specName: str
    params: dict[str, Any]


class CreateConnectionRequest(BaseModel):
    """Body of ``POST /connections``."""

    name: str
    description: str | None = None
    auth: AuthInput
    connectionSpec: SpecInfo


class PatchOperation(BaseModel):
    """One RFC 6902 operation; Flow Service allows add, replace and remove."""

    op: str
    path: str
    value: Any = None


class PatchDocument(RootModel[list[PatchOperation]]):
    """Body of ``PATCH /connections/{id}``."""


class CreatedResponse(BaseModel):
    """``{"id", "etag"}`` of a created or updated connection; the etag contains literal double quotes."""

    id: str
    etag: str


class Auth(BaseModel):
    specName: str
    params: dict[str, Any]


class Connection(BaseModel):
    """A base connection as ``GET`` shows it (secret params masked)."""

    model_config = _OPEN
    id: str
    createdAt: int
    updatedAt: int
    createdBy: str
    updatedBy: str
    createdClient: str
    updatedClient: str
    sandboxId: str
    sandboxName: str
    imsOrgId: str
    name: str
    description: str | None = None
    connectionSpec: SpecInfo
    state: str
    auth: Auth
    version: str
    etag: str


class Link(BaseModel):
    href: str


class PageLinks(BaseModel):
    next: Link | None = None


class ConnectionList(BaseModel):
    """``{"items": [...]}``, with ``_links.next.href`` while more pages remain."""

    model_config = ConfigDict(populate_by_name=True)
    items: list[Connection]
    links: PageLinks | None = Field(default=None, alias="_links")


class CountResponse(BaseModel):
    count: int


class ConnectionListOrCount(RootModel[ConnectionList | CountResponse]):
    """The list answer, or ``{"count": N}`` for ``count=true``."""


# --- connection specs, explore, test --------------------------------------------------------------------


class AuthSpec(BaseModel):
    model_config = _OPEN
    name: str
    type: str
    spec: dict[str, Any]


class ConnectionSpec(BaseModel):
    model_config = _OPEN
    id: str
    name: str
    providerId: str
    version: str
    authSpec: list[AuthSpec]
    attributes: dict[str, Any]


class ConnectionSpecList(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    items: list[ConnectionSpec]
    links: PageLinks | None = Field(default=None, alias="_links")


class ConnectionSpecListOrCount(RootModel[ConnectionSpecList | CountResponse]):
    """The list of connection specs, or ``{"count": N}`` for ``count=true``."""


class ExploreItem(BaseModel):
    type: Literal["file", "folder"]
    name: str
    path: str
    canPreview: bool
    canFetchSchema: bool


class XdmType(BaseModel):
    type: str


class Column(BaseModel):
    name: str
    type: str
    xdm: XdmType


class PreviewSchema(BaseModel):
    columns: list[Column]


class FilePreview(BaseModel):
    """``objectType=file``: inferred columns, and rows when ``preview=true``."""

    format: str
    schema_: PreviewSchema = Field(alias="schema")
    data: list[dict[str, Any]]


class ExploreResponse(RootModel[list[ExploreItem] | FilePreview]):
    """A root or folder listing, or a file preview."""


class TestConnectionResponse(BaseModel):
    result: bool


# --- control plane --------------------------------------------------------------------------------------


class FaultRequest(BaseModel):
    """Inject a fault into the next ``count`` requests matching ``method`` (or ``*``) and a glob path."""

    model_config = ConfigDict(strict=True)

    method: str = "*"
    path_pattern: str
    count: int = Field(default=1, ge=1)
    status: int | None = Field(default=None, ge=100, le=599)
    retry_after: int | None = Field(default=None, ge=0)
    latency_ms: int | None = Field(default=None, ge=0)
    action: Literal["reset", "drop_response", "apply_late"] | None = None
    probability: float = Field(default=1.0, gt=0.0, le=1.0)
    """Chance that a matching request gets the fault; below 1 for random (chaos) faults."""
    seed: int | None = None
    """Seed of the rule's own random generator, for a reproducible sequence of draws."""


class FlowMark(BaseModel):
    """Flows that use a connection; an empty list clears the mark."""

    model_config = ConfigDict(strict=True)

    flow_ids: list[str]


class ClockRequest(BaseModel):
    """A change of the emulator's clock: freeze at ``now``, move by ``advance_s``, ``real`` time again,
    or a ``Date`` header lagging by ``date_lag_s``."""

    model_config = ConfigDict(strict=True)

    now: float | None = None
    advance_s: float | None = None
    real: bool = False
    #: Make the ``Date`` header lag the clock by this many seconds (a gateway caching its date).
    date_lag_s: float | None = Field(default=None, ge=0)
