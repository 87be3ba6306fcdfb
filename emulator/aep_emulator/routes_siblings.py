"""Sibling services a dataflow references: Catalog datasets, the Schema Registry and Data Prep mapping sets.

Served under Adobe's own base paths on the same emulator base URL (pipeline reference §8), behind the same
gateway checks as Flow Service.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import unquote

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from starlette.convertors import PathConvertor, register_url_convertor

from aep_emulator import defaults
from aep_emulator.models import (
    CreateDatasetRequest,
    CreateMappingSetRequest,
    DatasetRefs,
    Datasets,
    MappingSet,
    MappingSetCreated,
    MappingSetList,
    SchemaList,
    XdmSchema,
    references,
)
from aep_emulator.routes_flow import (
    _ERRORS,
    BODY_ERRORS,
    _body_schema,
    _caller,
    _emu,
    _json,
    _json_body,
    _known_query_params,
)
from aep_emulator.siblings import public


class _AnyPath(PathConvertor):
    """Like ``path``, but also across newlines: a schema id is a URL-encoded ``$id`` and may hold anything."""

    regex = r"[\s\S]*"


register_url_convertor("anypath", _AnyPath())
router = APIRouter(responses=_ERRORS, dependencies=[Depends(_known_query_params)])
CATALOG = defaults.CATALOG_PREFIX
SCHEMAS = defaults.SCHEMA_REGISTRY_PREFIX
CONVERSION = defaults.DATA_PREP_PREFIX
#: Catalog pages with ``limit`` and ``start``; the Schema Registry's ``limit`` is accepted, not applied.
Limit = Annotated[int | None, Query(ge=1, le=100)]
DatasetId = Annotated[str, Path(description="A dataset id", json_schema_extra=references("dataSets"))]
MappingId = Annotated[str, Path(description="A mapping set id", json_schema_extra=references("mappingSets"))]
SchemaId = Annotated[
    str, Path(description="meta:altId or URL-encoded $id", json_schema_extra=references("schemas"))
]


@router.post(
    CATALOG + "/dataSets",
    status_code=201,
    response_model=DatasetRefs,
    tags=["Catalog"],
    operation_id="createDataset",
    openapi_extra=_body_schema(CreateDatasetRequest),
    responses=BODY_ERRORS,
)
async def create_dataset(request: Request, requestDataSource: bool | None = None) -> Response:  # noqa: N803
    """Create a dataset on a seeded schema: 201 ``["@/dataSets/<id>"]`` and a ``Location`` header."""
    emu = _emu(request)
    body = await _json_body(request)
    with emu.pipeline.lock:
        dataset_id = emu.siblings.create_dataset(_caller(request), body)
    emu.save()
    return _json([f"@/dataSets/{dataset_id}"], 201, {"Location": f"{CATALOG}/dataSets/{dataset_id}"})


@router.get(CATALOG + "/dataSets", response_model=Datasets, tags=["Catalog"], operation_id="listDatasets")
async def list_datasets(
    request: Request,
    limit: Limit = None,
    start: Annotated[int, Query(ge=0)] = 0,
    properties: str | None = None,
) -> Response:
    """The caller's datasets, as an object keyed by dataset id: ``limit`` (default 50, at most 100) of them
    from offset ``start``, oldest first."""
    emu = _emu(request)
    with emu.pipeline.lock:
        return _json(emu.siblings.list_datasets(_caller(request), start=start, limit=limit))


@router.get(
    CATALOG + "/dataSets/{dataset_id}", response_model=Datasets, tags=["Catalog"], operation_id="getDataset"
)
async def get_dataset(request: Request, dataset_id: DatasetId) -> Response:
    """One dataset, as ``{"<id>": {...}}``."""
    emu = _emu(request)
    with emu.pipeline.lock:
        return _json({dataset_id: public(emu.siblings.dataset(_caller(request), dataset_id))})


@router.delete(
    CATALOG + "/dataSets/{dataset_id}",
    response_model=DatasetRefs,
    tags=["Catalog"],
    operation_id="deleteDataset",
)
async def delete_dataset(request: Request, dataset_id: DatasetId) -> Response:
    """Delete a dataset: 200 ``["@/dataSets/<id>"]``; 1447 while a target connection writes to it."""
    emu = _emu(request)
    with emu.pipeline.lock:
        emu.siblings.delete_dataset(_caller(request), dataset_id)
    emu.save()
    return _json([f"@/dataSets/{dataset_id}"])


@router.get(
    SCHEMAS + "/tenant/schemas",
    response_model=SchemaList,
    tags=["Schema Registry"],
    operation_id="listTenantSchemas",
)
async def list_schemas(request: Request, limit: Limit = None) -> Response:
    """The seeded tenant schemas: ``{"results": [...], "_page": {...}}``."""
    schemas = _emu(request).siblings.schemas()
    return _json({"results": schemas, "_page": {"count": len(schemas)}, "_links": {}})


@router.get(
    SCHEMAS + "/tenant/schemas/{schema_id:anypath}",
    response_model=XdmSchema,
    tags=["Schema Registry"],
    operation_id="getTenantSchema",
)
async def get_schema(request: Request, schema_id: SchemaId) -> Response:
    """One seeded schema by ``meta:altId`` or URL-encoded ``$id``."""
    return _json(_emu(request).siblings.schema(unquote(schema_id)))


@router.post(
    CONVERSION + "/mappingSets",
    response_model=MappingSetCreated,
    tags=["Data Prep"],
    operation_id="createMappingSet",
    openapi_extra=_body_schema(CreateMappingSetRequest),
    responses=BODY_ERRORS,
)
async def create_mapping_set(request: Request, validate: bool | None = None) -> Response:
    """Create a mapping set on a seeded schema: **200** ``{id, version, createdDate, ...}``."""
    emu = _emu(request)
    body = await _json_body(request)
    with emu.pipeline.lock:
        created = emu.siblings.create_mapping(_caller(request), body)
    emu.save()
    return _json(created)


@router.get(
    CONVERSION + "/mappingSets",
    response_model=MappingSetList,
    tags=["Data Prep"],
    operation_id="listMappingSets",
)
async def list_mapping_sets(
    request: Request, limit: Annotated[int, Query(ge=1, le=100)] = 50, start: Annotated[int, Query(ge=0)] = 0
) -> Response:
    """The caller's mapping sets: ``{"data": [...], "_page": {"count", "limit"}}``."""
    emu = _emu(request)
    with emu.pipeline.lock:
        return _json(emu.siblings.list_mappings(_caller(request), limit, start))


@router.get(
    CONVERSION + "/mappingSets/{mapping_id}",
    response_model=MappingSet,
    tags=["Data Prep"],
    operation_id="getMappingSet",
)
async def get_mapping_set(request: Request, mapping_id: MappingId) -> Response:
    """One mapping set."""
    emu = _emu(request)
    with emu.pipeline.lock:
        return _json(public(emu.siblings.mapping(_caller(request), mapping_id)))
