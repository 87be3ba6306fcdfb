"""Typed request and response models: they make the emulator's own OpenAPI document."""

# ruff: noqa: N815 - field names are the API's camelCase JSON names
from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, RootModel, WithJsonSchema

from aep_emulator import flowspecs, specs
from aep_emulator import pipeline_checks as checks

_OPEN = ConfigDict(extra="allow", populate_by_name=True)
#: OpenAPI extension naming the collection an id field refers to (the id must exist there).
REFERENCES = "x-references"


def references(collection: str) -> dict[str, Any]:
    """The JSON schema extra of an id that must name an existing entity of ``collection``."""
    return {REFERENCES: collection}


def _one_of(values: Any) -> dict[str, Any]:
    return {"enum": list(values)}


Name = Annotated[str, Field(min_length=1, max_length=checks.MAX_NAME)]
Description = Annotated[str | None, Field(max_length=checks.MAX_DESCRIPTION)]

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


class Audited(BaseModel):
    """The fields every Flow Service entity carries: id, audit fields, scope, state and etag."""

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
    state: str
    version: str
    etag: str


class Connection(Audited):
    """A base connection as ``GET`` shows it (secret params masked)."""

    name: str
    description: str | None = None
    connectionSpec: SpecInfo
    auth: Auth


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


# --- pipeline: source connections, target connections, flows, flow specs, runs --------------------------

T = TypeVar("T")


class Items(BaseModel, Generic[T]):
    """``{"items": [...]}``, with ``_links.next.href`` while more pages remain."""

    model_config = ConfigDict(populate_by_name=True)
    items: list[T]
    links: PageLinks | None = Field(default=None, alias="_links")


class ItemsOrCount(RootModel[Items[T] | CountResponse], Generic[T]):
    """A list answer, or ``{"count": N}`` for ``count=true``."""


class SourceSpecRef(BaseModel):
    """The base connection's connection spec."""

    id: str = Field(json_schema_extra=_one_of(specs.SPECS))
    version: str | int | None = None


class TargetSpecRef(BaseModel):
    """The Data Lake spec, the only target the emulator serves."""

    id: str = Field(json_schema_extra=_one_of([flowspecs.DATA_LAKE_SPEC_ID]))
    version: str | int | None = None


class FlowSpecRef(BaseModel):
    id: str = Field(json_schema_extra=_one_of(flowspecs.FLOW_SPECS))
    version: str | int | None = None


class SourceDataProperties(BaseModel):
    model_config = _OPEN
    columnDelimiter: str | None = Field(
        default=None, min_length=1, max_length=1, description="One character (``\\t`` names a tab)"
    )
    encoding: str | None = None
    compressionType: str | None = None


class SourceData(BaseModel):
    format: str = Field(json_schema_extra=_one_of(checks.SOURCE_FORMATS))
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    properties: SourceDataProperties | None = None


class SourceParams(BaseModel):
    model_config = _OPEN
    path: str = Field(min_length=1, description="A file, a folder or a wildcard: /<container>/<path>")
    type: str | None = Field(default=None, json_schema_extra=_one_of(checks.SOURCE_PATH_TYPES))


class CreateSourceConnectionRequest(BaseModel):
    """Body of ``POST /sourceConnections``: a path inside an existing base connection of the same spec."""

    name: Name
    description: Description = None
    baseConnectionId: str = Field(json_schema_extra=references("connections"))
    data: SourceData
    params: SourceParams
    connectionSpec: SourceSpecRef


class SchemaRef(BaseModel):
    model_config = _OPEN
    id: str = Field(json_schema_extra=references("schemas"), description="The schema's $id")
    version: str | None = None


class TargetData(BaseModel):
    model_config = _OPEN
    format: str | None = Field(default=None, json_schema_extra=_one_of(checks.TARGET_FORMATS))
    schema_: SchemaRef | None = Field(default=None, alias="schema", description="The dataset's schema")


class TargetParams(BaseModel):
    model_config = _OPEN
    dataSetId: str = Field(json_schema_extra=references("dataSets"))


class CreateTargetConnectionRequest(BaseModel):
    """Body of ``POST /targetConnections``: the Data Lake target writing to an existing dataset."""

    name: Name | None = None
    description: Description = None
    data: TargetData | None = None
    params: TargetParams
    connectionSpec: TargetSpecRef


class MappingParams(BaseModel):
    mappingId: str = Field(json_schema_extra=references("mappingSets"))
    mappingVersion: str | int | None = Field(default=None, description="The mapping set's version")


class MappingTransformation(BaseModel):
    name: Literal["Mapping"]
    params: MappingParams


class Transformation(BaseModel):
    name: str = Field(min_length=1)
    params: dict[str, Any] = {}


class CreateFlowRequest(BaseModel):
    """Body of ``POST /flows``: one source and one target connection paired by the flow spec."""

    name: Name
    description: Description = None
    flowSpec: FlowSpecRef
    sourceConnectionIds: list[Annotated[str, Field(json_schema_extra=references("sourceConnections"))]] = (
        Field(min_length=1, max_length=1)
    )
    targetConnectionIds: list[Annotated[str, Field(json_schema_extra=references("targetConnections"))]] = (
        Field(min_length=1, max_length=1)
    )
    transformations: list[MappingTransformation | Transformation] | None = None
    scheduleParams: Annotated[
        dict[str, Any],
        WithJsonSchema(checks.SCHEDULE_SCHEMA),
        Field(description="Required unless ?mode=draft"),
    ]
    options: dict[str, Any] | None = None


class _PipelineConnection(Audited):
    """The fields source and target connections share."""

    description: str | None = None
    data: dict[str, Any]
    params: Any
    connectionSpec: SpecInfo
    providerRefId: str
    inheritedAttributes: dict[str, Any]


class SourceConnection(_PipelineConnection):
    """A source connection as ``GET`` shows it."""

    name: str
    baseConnectionId: str


class TargetConnection(_PipelineConnection):
    """A Data Lake target connection as ``GET`` shows it."""

    name: str | None = None


class Flow(Audited):
    """A dataflow as ``GET`` shows it; ``lastRunDetails`` once it has run."""

    name: str
    description: str | None = None
    flowSpec: SpecInfo
    sourceConnectionIds: list[str]
    targetConnectionIds: list[str]
    transformations: list[Any]
    scheduleParams: Any
    options: Any
    inheritedAttributes: dict[str, Any]
    labels: list[Any]
    runs: str
    lastOperation: dict[str, Any]
    lastRunDetails: dict[str, Any] | None = None


class RunMetrics(BaseModel):
    model_config = _OPEN
    durationSummary: dict[str, Any]
    sizeSummary: dict[str, Any]
    recordSummary: dict[str, Any]
    fileSummary: dict[str, Any]
    statusSummary: dict[str, Any]


class Run(Audited):
    """A run synthesized for an enabled scheduled flow (``eTag`` and ``activites`` are OAS-S spellings)."""

    flowId: str
    flowSpec: SpecInfo
    providerRefId: str
    params: dict[str, Any]
    metrics: RunMetrics
    activities: list[Any]
    eTag: str


class FlowSpec(BaseModel):
    model_config = _OPEN
    id: str
    name: str
    providerId: str
    version: str
    attributes: dict[str, Any]
    sourceConnectionSpecIds: list[str]
    targetConnectionSpecIds: list[str]
    transformationSpecs: list[dict[str, Any]]
    scheduleSpec: dict[str, Any]


# --- sibling services: Catalog, Schema Registry, Data Prep ----------------------------------------------


class DatasetSchemaRef(BaseModel):
    model_config = _OPEN
    id: str = Field(
        json_schema_extra=references("schemas"), description="A seeded schema's $id or meta:altId"
    )
    contentType: str | None = None


class CreateDatasetRequest(BaseModel):
    """Body of Catalog's ``POST /dataSets``."""

    model_config = _OPEN
    name: Name
    description: str | None = None
    schemaRef: DatasetSchemaRef


class Dataset(BaseModel):
    """A Catalog dataset (the request's fields, echoed, and Catalog's own)."""

    model_config = _OPEN
    name: str
    schemaRef: dict[str, Any]
    imsOrg: str
    sandboxId: str
    created: int
    updated: int
    createdClient: str
    version: str
    files: str


class DatasetRefs(RootModel[list[str]]):
    """``["@/dataSets/<id>"]``: Catalog's answer to a create and a delete."""


class Datasets(RootModel[dict[str, Dataset]]):
    """Datasets keyed by id: Catalog's answer to a list and a get."""


class XdmSchema(BaseModel):
    model_config = _OPEN
    id: str = Field(alias="$id")
    altId: str = Field(alias="meta:altId")
    title: str
    type: str
    version: str


class SchemaPage(BaseModel):
    count: int


class SchemaList(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    results: list[XdmSchema]
    page: SchemaPage = Field(alias="_page")
    links: dict[str, Any] = Field(alias="_links")


class OutputSchema(BaseModel):
    model_config = _OPEN
    schemaRef: DatasetSchemaRef


class MappingInput(BaseModel):
    model_config = _OPEN
    sourceType: str | None = None
    source: str | None = None
    destination: str | None = None


class CreateMappingSetRequest(BaseModel):
    """Body of Data Prep's ``POST /mappingSets`` (the legacy ``xdmSchema`` instead of ``outputSchema`` too)."""

    model_config = _OPEN
    outputSchema: OutputSchema
    mappings: list[MappingInput]


class MappingSetCreated(BaseModel):
    id: str
    version: int
    createdDate: int
    modifiedDate: int
    createdBy: str
    modifiedBy: str


class MappingSet(MappingSetCreated):
    """A mapping set: the request's fields, echoed, and the created ones."""

    model_config = _OPEN
    mappings: list[Any]


class MappingPage(BaseModel):
    count: int
    limit: int


class MappingSetList(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    data: list[MappingSet]
    page: MappingPage = Field(alias="_page")
