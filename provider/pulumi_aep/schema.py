"""The Pulumi package schema of ``pulumi-resource-aep``: the resources of ``pulumi_aep.registry``, each from
its definition (``pulumi_aep.definition`` for the connection, ``pulumi_aep.pipeline_schema`` for the pipeline)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import metadata
from typing import Any

from pulumi_aep.config import ENV_FALLBACKS
from pulumi_aep.definition import AZURE_BLOB_CONNECTION_DOC, CONFIG, PACKAGE, TYPES, Prop
from pulumi_aep.pipeline.definition import ResourceDefinition
from pulumi_aep.pipeline_schema import pipeline_resource, pipeline_types
from pulumi_aep.registry import REGISTRY, ResourceType

_PRIMITIVES = frozenset({"string", "boolean", "integer", "number", "array"})


def version() -> str:
    """The plugin version: the installed distribution's (pyproject.toml's)."""
    try:
        return metadata.version("pulumi-aep")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        return "0.0.0"


def _type_spec(prop: Prop) -> dict[str, Any]:
    if prop.type in _PRIMITIVES:
        spec: dict[str, Any] = {"type": prop.type}
        if prop.items is not None:
            spec["items"] = {"type": prop.items}
        return spec
    return {"$ref": f"#/types/{prop.type}"}


def _property(prop: Prop) -> dict[str, Any]:
    spec = {**_type_spec(prop), "description": prop.description}
    if prop.secret:
        spec["secret"] = True
    if prop.replaces:
        spec["replaceOnChanges"] = True
    return spec


def _properties(props: Iterable[Prop]) -> dict[str, Any]:
    return {p.camel: _property(p) for p in props}


def _object_types() -> dict[str, Any]:
    return {
        token: {
            "type": "object",
            "description": doc,
            "properties": _properties(fields),
            "required": [p.camel for p in fields if p.required],
        }
        for token, (doc, fields) in TYPES.items()
    }


def _config() -> dict[str, Any]:
    variables: dict[str, Any] = {}
    for key in CONFIG:
        spec: dict[str, Any] = {"type": key.type, "description": key.description}
        if key.secret:
            spec["secret"] = True
        if key.name in ENV_FALLBACKS:
            spec["defaultInfo"] = {"environment": [ENV_FALLBACKS[key.name]]}
        variables[key.name] = spec
    return variables


def _resource(kind: ResourceType) -> dict[str, Any]:
    if isinstance(kind.definition, ResourceDefinition):
        return pipeline_resource(kind.definition)
    props = kind.definition
    return {
        "description": AZURE_BLOB_CONNECTION_DOC,
        "properties": _properties(props),
        "required": [p.camel for p in props if p.always_output],
        "inputProperties": _properties(p for p in props if p.input),
    }


def schema() -> dict[str, Any]:
    """The package schema as a dict."""
    config = _config()
    return {
        "name": PACKAGE,
        "displayName": "Adobe Experience Platform",
        "version": version(),
        "description": "Adobe Experience Platform Flow Service connections (Azure Blob Storage).",
        "license": "Apache-2.0",
        "meta": {"moduleFormat": "(.*)"},
        "config": {"variables": config},
        "provider": {
            "description": "The AEP provider: one org and its credentials per provider instance.",
            "inputProperties": config,
        },
        "types": {**_object_types(), **pipeline_types()},
        "resources": {token: _resource(kind) for token, kind in REGISTRY.items()},
        "language": {
            "python": {"respectSchemaVersion": True, "packageName": "pulumi_aep_sdk"},
            "nodejs": {"packageName": "@pulumi-aep/aep", "respectSchemaVersion": True},
            "go": {
                "importBasePath": "github.com/pulumi-aep/pulumi-aep/sdk/go/aep",
                "respectSchemaVersion": True,
            },
        },
    }


def schema_json() -> str:
    """The schema serialized as the engine expects it from ``GetSchema``."""
    return json.dumps(schema(), indent=2, sort_keys=False)
