"""Python SDK of the ``pulumi-resource-aep`` plugin: ``aep:index:AzureBlobConnection`` and the ``aep`` provider.

Written on the one definition (``pulumi_aep.definition``): the same ``AzureBlobConnectionArgs`` as the
dynamic resource, names translated to the schema's camelCase by the definition's tables. Unlike the
dynamic resource it supports ``pulumi import``, explicit providers (several orgs in one program) and
the engine's ``--parallel``::

    org_b = Provider("org-b", org_id="B@AdobeOrg", client_id=..., client_secret=...)
    AzureBlobConnection("landing", connection_string=..., opts=pulumi.ResourceOptions(provider=org_b))
"""

from __future__ import annotations

from typing import Any, Final

import pulumi

from pulumi_aep.definition import AZURE_BLOB_CONNECTION, CONFIG, PACKAGE, RESOURCE_TYPE, TYPES
from pulumi_aep.resource import AzureBlobConnectionArgs, AzureBlobConnectionArgsDict, props_of

__all__ = ["AzureBlobConnection", "AzureBlobConnectionArgs", "Provider"]

_TO_CAMEL: Final = {
    p.name: p.camel for props in (AZURE_BLOB_CONNECTION, *(f for _, f in TYPES.values())) for p in props
}
_TO_SNAKE: Final = {v: k for k, v in _TO_CAMEL.items()}


class AzureBlobConnection(pulumi.CustomResource):
    """An AEP Flow Service base connection to Azure Blob Storage, served by ``pulumi-resource-aep``.

    Same inputs, outputs and rules as ``pulumi_aep.AzureBlobConnection`` (see ``AzureBlobConnectionArgs``).
    """

    connection_id: pulumi.Output[str]
    etag: pulumi.Output[str]
    state: pulumi.Output[str]
    created_at: pulumi.Output[int]
    updated_at: pulumi.Output[int]
    sandbox_name: pulumi.Output[str]
    name: pulumi.Output[str]
    description: pulumi.Output[str | None]
    container: pulumi.Output[str | None]
    folder_path: pulumi.Output[str | None]
    connection_spec_version: pulumi.Output[str]
    connection_string: pulumi.Output[str | None]
    sas_uri: pulumi.Output[str | None]
    service_principal: pulumi.Output[dict[str, Any] | None]
    verify: pulumi.Output[bool | None]
    verified_objects: pulumi.Output[list[str] | None]

    def __init__(
        self,
        resource_name: str,
        args: AzureBlobConnectionArgs | AzureBlobConnectionArgsDict | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        """Declare the connection (pass ``args`` or keyword arguments; ``opts.provider`` picks the org)."""
        if args is None:
            args = AzureBlobConnectionArgs(**kwargs)
        elif not isinstance(args, AzureBlobConnectionArgs):
            args = AzureBlobConnectionArgs(**args)
        # ``opts.id`` (a lookup or import) sends no inputs; the plugin's Read fills everything.
        props = {} if opts is not None and opts.id is not None else props_of(resource_name, args)
        super().__init__(RESOURCE_TYPE, resource_name, props, opts)

    def translate_input_property(self, prop: str) -> str:
        """``folder_path`` -> ``folderPath`` (also for the service principal's fields)."""
        return _TO_CAMEL.get(prop, prop)

    def translate_output_property(self, prop: str) -> str:
        """``folderPath`` -> ``folder_path``."""
        return _TO_SNAKE.get(prop, prop)

    @staticmethod
    def get(resource_name: str, id: str, opts: pulumi.ResourceOptions | None = None) -> AzureBlobConnection:
        """Look up an existing connection by id (read only; nothing is managed)."""
        return AzureBlobConnection(
            resource_name, opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        )


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
