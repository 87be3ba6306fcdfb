"""What the generated Python classes do; what they are comes from the definition.

``pulumi_aep.classgen`` writes ``resource.py``, ``native.py`` and ``pipeline_resources.py`` from
``pulumi_aep.definition`` and the pipeline definitions: each class's fields, types, defaults, docstrings and
secret fields. Their behaviour is logic, not data, so it is written here once, as the base classes they
derive from: the masked ``repr`` and the property map of the ``*Args`` dataclasses, and the constructors
of the resources of both faces. Nothing here names a property of a resource.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Final, Self

import pulumi
import pulumi.dynamic

from pulumi_aep import naming
from pulumi_aep.definition import AZURE_BLOB_CONNECTION, CONFIG, PACKAGE, RESOURCE_TYPE, TYPES
from pulumi_aep.pipeline.definition import ResourceDefinition
from pulumi_aep.pipeline_core import DEFINITIONS
from pulumi_aep.pipeline_provider import PipelineResourceProvider
from pulumi_aep.provider import AzureBlobConnectionProvider

#: What a repr shows instead of a secret.
MASK: Final = "[secret]"
#: Outputs of the dynamic connection always stored as secrets, whatever the caller passed.
SECRET_OUTPUTS: Final = [p.name for p in AZURE_BLOB_CONNECTION if p.secret]

_TO_CAMEL: Final = {
    p.name: p.camel for props in (AZURE_BLOB_CONNECTION, *(f for _, f in TYPES.values())) for p in props
}
_TO_SNAKE: Final = {v: k for k, v in _TO_CAMEL.items()}


@dataclass(repr=False)
class Args:
    """Base of the generated ``*Args`` dataclasses: a repr that masks secrets, the map sent to the engine."""

    #: Fields holding a secret: masked in the repr, sent wrapped in ``pulumi.Output.secret``.
    SECRETS: ClassVar[frozenset[str]] = frozenset()
    #: Fields of an object type: field -> its Args class (a mapping of its fields is accepted too).
    OBJECTS: ClassVar[Mapping[str, Callable[..., Args]]] = {}

    def __repr__(self) -> str:
        """``Class(field=value, ...)``: each secret that is set shown as :data:`MASK`, in objects too."""
        shown = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name in self.OBJECTS and isinstance(value, Mapping):
                secrets = _secrets_of(self.OBJECTS[f.name])
                value = {k: MASK if k in secrets and v is not None else v for k, v in value.items()}
            elif f.name in self.SECRETS and f.name not in self.OBJECTS and value is not None:
                value = MASK
            shown.append(f"{f.name}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"

    def to_props(self) -> dict[str, Any]:
        """The fields that are set: secrets wrapped as secrets, objects as maps of their own fields.

        An object travels with its secret fields wrapped (which makes it a secret on the wire); the
        resource lists it in ``additional_secret_outputs`` as well.
        """
        props: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if f.name in self.OBJECTS:
                kind = self.OBJECTS[f.name]
                props[f.name] = (value if isinstance(value, Args) else kind(**value)).to_props()
            elif f.name in self.SECRETS:
                props[f.name] = pulumi.Output.secret(value)
            else:
                props[f.name] = value
        return props


def _secrets_of(kind: Callable[..., Args]) -> frozenset[str]:
    return kind.SECRETS if isinstance(kind, type) and issubclass(kind, Args) else frozenset()


def connection_props(args: Args) -> dict[str, Any]:
    """Every property of the connection: the declared inputs from ``args``, the others as None.

    Output-only and recorded keys must be present (as None) to materialize as attributes. Without
    ``name``, the provider's check names the connection (``pulumi_aep.naming``): the plugin from the
    resource's URN, the dynamic provider from the resource name passed as ``naming.AUTONAME_KEY``.
    """
    props: dict[str, Any] = dict.fromkeys(p.name for p in AZURE_BLOB_CONNECTION)
    props.update(args.to_props())
    return props


def _args_of(
    kind: Callable[..., Args], args: Args | Mapping[str, Any] | None, kwargs: Mapping[str, Any]
) -> Args:
    if args is None:
        return kind(**kwargs)
    return args if isinstance(args, Args) else kind(**args)


class DynamicConnection(pulumi.dynamic.Resource):
    """The constructor of the dynamic ``AzureBlobConnection`` (``pulumi_aep.resource``)."""

    #: The generated Args class of the resource.
    ARGS: ClassVar[Callable[..., Args]]

    def __init__(
        self,
        resource_name: str,
        args: Args | Mapping[str, Any] | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        """Register the connection with the dynamic provider; its secret inputs as secret outputs."""
        props = connection_props(_args_of(self.ARGS, args, kwargs))
        if props["name"] is None:  # named by check: <resource name>-<suffix>, kept for life
            props[naming.AUTONAME_KEY] = resource_name
        secret_opts = pulumi.ResourceOptions(additional_secret_outputs=SECRET_OUTPUTS)
        super().__init__(
            AzureBlobConnectionProvider(),
            resource_name,
            props,
            pulumi.ResourceOptions.merge(opts, secret_opts),
        )


class PluginConnection(pulumi.CustomResource):
    """The constructor, name translation and lookup of ``pulumi_aep.native.AzureBlobConnection``."""

    #: The generated Args class of the resource.
    ARGS: ClassVar[Callable[..., Args]]

    def __init__(
        self,
        resource_name: str,
        args: Args | Mapping[str, Any] | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        """Declare the connection (``opts.provider`` picks the org)."""
        # ``opts.id`` (a lookup or import) sends no inputs; the plugin's Read fills everything.
        lookup = opts is not None and opts.id is not None
        props = {} if lookup else connection_props(_args_of(self.ARGS, args, kwargs))
        super().__init__(RESOURCE_TYPE, resource_name, props, opts)

    def translate_input_property(self, prop: str) -> str:
        """``folder_path`` -> ``folderPath`` (also for the service principal's fields)."""
        return _TO_CAMEL.get(prop, prop)

    def translate_output_property(self, prop: str) -> str:
        """``folderPath`` -> ``folder_path``."""
        return _TO_SNAKE.get(prop, prop)

    @classmethod
    def get(cls, resource_name: str, id: str, opts: pulumi.ResourceOptions | None = None) -> Self:
        """Look up an existing connection by id (read only; nothing is managed)."""
        return cls(resource_name, opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id)))


class Provider(pulumi.ProviderResource):
    """An explicit ``aep`` provider: one org and its credentials (the ``aep:*`` keys, snake_case here).

    Keys not given fall back to the ``AEP_*`` environment variables, as for the default provider.
    """

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **config: Any) -> None:
        """``config``: ``client_id``, ``client_secret``, ``org_id``, ``sandbox_name``, ``platform_url``, ...

        Raises:
            TypeError: an unknown key (the message lists the known ones).
        """
        keys = {_snake(key.name): key for key in CONFIG}
        unknown = sorted(set(config) - set(keys))
        if unknown:
            raise TypeError(
                f"Provider {resource_name!r}: unknown argument {unknown[0]!r}; use {', '.join(keys)}"
            )
        props = {
            keys[k].name: (pulumi.Output.secret(v) if keys[k].secret else v)
            for k, v in config.items()
            if v is not None
        }
        super().__init__(PACKAGE, resource_name, props, opts)


def _snake(name: str) -> str:
    """``clientId`` -> ``client_id`` (inverse of ``definition.camel``)."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def pipeline_props(
    definition: ResourceDefinition, resource_name: str, kwargs: Mapping[str, Any]
) -> dict[str, Any]:
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


class PipelineResource(pulumi.dynamic.Resource):
    """The constructor of the dynamic pipeline resources (``pulumi_aep.pipeline_resources``)."""

    #: The resource's dynamic provider (its ``RESOURCE`` names the definition).
    PROVIDER: ClassVar[type[PipelineResourceProvider]]

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **kwargs: Any) -> None:
        """Register the resource; ``kwargs`` are its inputs (an unknown one is a ``TypeError``)."""
        provider = self.PROVIDER()
        definition = DEFINITIONS[provider.RESOURCE]
        super().__init__(provider, resource_name, pipeline_props(definition, resource_name, kwargs), opts)
