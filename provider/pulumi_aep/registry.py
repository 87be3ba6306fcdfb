"""Every resource type of the provider, by type token (``aep:index:<Name>``), each with its adapter.

Both faces and the schema read this one table: the plugin looks up the type token of a call's URN,
each dynamic provider class the token of its ``RESOURCE``, and the package schema lists these
resources. An entry says how to bind the resource's ``core.Adapter`` to a provider configuration and
what both faces need of its definition, whichever of the two definition models it uses (the
connection's ``definition.Prop`` table, a pipeline ``ResourceDefinition``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from pulumi_aep.config import ProviderConfig
from pulumi_aep.core import Adapter, Core
from pulumi_aep.definition import AZURE_BLOB_CONNECTION, PACKAGE, RESOURCE_TYPE, TYPES, Prop, camel
from pulumi_aep.errors import EngineRequestError
from pulumi_aep.model import OUTPUT_ONLY_KEYS
from pulumi_aep.pipeline.definition import Output, Property, ResourceDefinition
from pulumi_aep.pipeline_core import DEFINITIONS, PipelineAdapter, PipelineCore

#: What a resource type is defined by: the connection's ``Prop`` table or a pipeline definition.
Definition = tuple[Prop, ...] | ResourceDefinition


@dataclass(frozen=True)
class Field:
    """A property (input or output), or a field of an object property, as the faces see it."""

    name: str
    type: str
    secret: bool = False
    #: The fields of an object property (none for a scalar or an array).
    fields: tuple[Field, ...] = ()

    @property
    def camel(self) -> str:
        """The schema (camelCase) name."""
        return camel(self.name)


@dataclass(frozen=True)
class ResourceType:
    """One resource type: its token, definition and adapter."""

    token: str
    #: The resource name (the token's last part; the dynamic provider classes' ``RESOURCE``).
    name: str
    definition: Definition
    #: Every property, inputs then outputs, with their fields.
    props: tuple[Field, ...]
    #: Outputs only the API answers: unknown in the preview of a create.
    created: tuple[str, ...]
    #: Outputs a write changes: unknown in the preview of an update.
    written: tuple[str, ...]
    #: The resource's adapter for a provider configuration.
    bind: Callable[[ProviderConfig], Adapter]


def token_of(name: str) -> str:
    """The type token of the resource called ``name`` (``Dataflow`` -> ``aep:index:Dataflow``)."""
    return f"{PACKAGE}:index:{name}"


def _connection_field(prop: Prop) -> Field:
    fields = TYPES[prop.type][1] if prop.type in TYPES else ()
    return Field(prop.name, prop.type, prop.secret, tuple(_connection_field(f) for f in fields))


def _pipeline_field(prop: Property | Output) -> Field:
    fields = prop.fields if isinstance(prop, Property) else ()
    return Field(prop.name, prop.type, prop.secret, tuple(_pipeline_field(f) for f in fields))


def _connection() -> ResourceType:
    return ResourceType(
        token=RESOURCE_TYPE,
        name=RESOURCE_TYPE.rsplit(":", 1)[-1],
        definition=AZURE_BLOB_CONNECTION,
        props=tuple(_connection_field(p) for p in AZURE_BLOB_CONNECTION),
        created=OUTPUT_ONLY_KEYS,
        written=("etag", "updated_at"),
        bind=Core,
    )


def _pipeline(definition: ResourceDefinition) -> ResourceType:
    outputs = tuple(o.name for o in definition.outputs)

    def bind(config: ProviderConfig) -> Adapter:
        return PipelineAdapter(PipelineCore(config), definition.name)

    return ResourceType(
        token=token_of(definition.name),
        name=definition.name,
        definition=definition,
        props=(
            *(_pipeline_field(p) for p in definition.inputs),
            *(_pipeline_field(o) for o in definition.outputs),
        ),
        created=outputs,
        # A dataflow's state follows ``enabled``.
        written=tuple(k for k in ("etag", "updated_at", "state") if k in outputs),
        bind=bind,
    )


def _registry(types: Iterable[ResourceType]) -> Mapping[str, ResourceType]:
    return MappingProxyType({t.token: t for t in types})


#: Type token -> resource type: the connection, then the pipeline in dependency order.
REGISTRY: Final = _registry([_connection(), *(_pipeline(d) for d in DEFINITIONS.values())])


def resource_type(token: str) -> ResourceType:
    """The resource type of ``token``.

    Raises:
        EngineRequestError: no such type, naming it and the known ones.
    """
    found = REGISTRY.get(token)
    if found is None:
        raise EngineRequestError(
            f"pulumi-resource-aep has no resource type {token!r}; it offers {', '.join(REGISTRY)}. "
            "Check the type in the program, or upgrade the aep provider if it needs a newer type."
        )
    return found
