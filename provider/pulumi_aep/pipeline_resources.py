"""The dynamic resources of the Blob ingestion pipeline (type tokens ``pulumi-python:dynamic/aep:<Name>``).

Each takes its inputs as keyword arguments (snake_case, as in ``pulumi_aep.pipeline``'s definitions);
without ``name`` one is chosen (``pulumi_aep.naming``). An unknown keyword is a ``TypeError`` naming it, at
program time, before anything is sent.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pulumi
import pulumi.dynamic

from pulumi_aep import naming
from pulumi_aep.pipeline.definition import ResourceDefinition
from pulumi_aep.pipeline_core import DEFINITIONS
from pulumi_aep.pipeline_provider import (
    AzureBlobSourceConnectionProvider,
    DataflowProvider,
    DataLakeTargetConnectionProvider,
    DatasetProvider,
    PipelineResourceProvider,
)


def props_of(definition: ResourceDefinition, resource_name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Every input (None when not given) and every output as None, so all materialize as attributes.

    Raises:
        TypeError: a keyword that is not an input of the resource.
    """
    unknown = sorted(set(kwargs) - set(definition.input_names))
    if unknown:
        raise TypeError(
            f"{definition.name} {resource_name!r}: unknown input(s) {', '.join(unknown)}; "
            f"the inputs are {', '.join(definition.input_names)}"
        )
    props: dict[str, Any] = {name: kwargs.get(name) for name in definition.input_names}
    props.update(dict.fromkeys(o.name for o in definition.outputs))
    if props.get("name") is None:  # named by check (pulumi_aep.naming): <resource name>-<suffix>
        props[naming.AUTONAME_KEY] = resource_name
    return props


class _PipelineResource(pulumi.dynamic.Resource):
    _PROVIDER: ClassVar[type[PipelineResourceProvider]]

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **kwargs: Any) -> None:
        provider = self._PROVIDER()
        definition = DEFINITIONS[provider.RESOURCE]
        super().__init__(provider, resource_name, props_of(definition, resource_name, kwargs), opts)


class AzureBlobSourceConnection(_PipelineResource, module="aep", name="AzureBlobSourceConnection"):
    """A source connection reading a path of an ``AzureBlobConnection``'s container.

    Content (base connection, path, format and its properties, sandbox) replaces; name and
    description change in place.
    """

    _PROVIDER = AzureBlobSourceConnectionProvider
    source_connection_id: pulumi.Output[str]
    etag: pulumi.Output[str]
    state: pulumi.Output[str]
    name: pulumi.Output[str]
    path: pulumi.Output[str]
    data_format: pulumi.Output[str]


class Dataset(_PipelineResource, module="aep", name="Dataset"):
    """A Catalog dataset of an XDM schema (by ``$id``); name and description change in place."""

    _PROVIDER = DatasetProvider
    dataset_id: pulumi.Output[str]
    name: pulumi.Output[str]
    schema_id: pulumi.Output[str]


class DataLakeTargetConnection(_PipelineResource, module="aep", name="DataLakeTargetConnection"):
    """A target connection writing to a dataset; dataset, schema, version and format replace."""

    _PROVIDER = DataLakeTargetConnectionProvider
    target_connection_id: pulumi.Output[str]
    etag: pulumi.Output[str]
    state: pulumi.Output[str]
    name: pulumi.Output[str]


class Dataflow(_PipelineResource, module="aep", name="Dataflow"):
    """A scheduled flow from a source connection to a target connection.

    Name, description, schedule (where Adobe allows) and mapping change in place, ``enabled`` through
    the action endpoint; the last run's status and counts are outputs, refreshed by ``pulumi refresh``.
    """

    _PROVIDER = DataflowProvider
    flow_id: pulumi.Output[str]
    etag: pulumi.Output[str]
    state: pulumi.Output[str]
    name: pulumi.Output[str]
    enabled: pulumi.Output[bool]
    last_run_id: pulumi.Output[str | None]
    last_run_status: pulumi.Output[str | None]
    last_run_records_read: pulumi.Output[int | None]
    last_run_records_written: pulumi.Output[int | None]
    last_run_records_failed: pulumi.Output[int | None]
