"""The ``AzureBlobConnection`` resource and its typed arguments."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, TypedDict

import pulumi
import pulumi.dynamic

from pulumi_aep import naming
from pulumi_aep.definition import AZURE_BLOB_CONNECTION, inputs
from pulumi_aep.provider import AzureBlobConnectionProvider

#: Inputs always stored as secrets, whatever the caller passed (the definition's secret properties).
SECRET_OUTPUTS = [p.name for p in AZURE_BLOB_CONNECTION if p.secret]
#: What a repr shows instead of a secret.
MASK: Final = "[secret]"
_SP_SECRET: Final = "service_principal_key"  # noqa: S105 - a field name, not a password


def _masked_repr(args: Any, secret_fields: frozenset[str]) -> str:
    """``Class(field=value, ...)`` with every secret field that is set shown as :data:`MASK`."""
    shown = []
    for f in dataclasses.fields(args):
        value = getattr(args, f.name)
        if isinstance(value, Mapping) and f.name == "service_principal":
            value = {k: MASK if k == _SP_SECRET and v is not None else v for k, v in value.items()}
        elif f.name in secret_fields and value is not None:
            value = MASK
        shown.append(f"{f.name}={value!r}")
    return f"{type(args).__name__}({', '.join(shown)})"


@dataclass(repr=False)
class ServicePrincipalArgs:
    """Azure AD service principal credentials (auth type "Service Principal Based Authentication")."""

    service_endpoint: pulumi.Input[str]
    """Blob service endpoint, e.g. ``https://<account>.blob.core.windows.net``."""
    service_principal_id: pulumi.Input[str]
    """Application (client) id of the service principal."""
    service_principal_key: pulumi.Input[str]
    """Client secret of the service principal. Always stored as a secret."""
    tenant: pulumi.Input[str]
    """Azure AD tenant id or domain."""
    account_kind: pulumi.Input[str] | None = None
    """Storage account kind: ``Storage``, ``StorageV2``, ``BlobStorage`` or ``BlockBlobStorage``."""

    def __repr__(self) -> str:
        return _masked_repr(self, frozenset({_SP_SECRET}))

    def to_props(self) -> dict[str, Any]:
        """The property map sent to the provider (the key wrapped as a secret)."""
        props: dict[str, Any] = {
            "service_endpoint": self.service_endpoint,
            "service_principal_id": self.service_principal_id,
            "service_principal_key": pulumi.Output.secret(self.service_principal_key),
            "tenant": self.tenant,
        }
        if self.account_kind is not None:
            props["account_kind"] = self.account_kind
        return props


@dataclass(repr=False)
class AzureBlobConnectionArgs:
    """Inputs of an ``AzureBlobConnection``. Set exactly one of the three credential inputs."""

    connection_string: pulumi.Input[str] | None = None
    """Azure Storage connection string (``DefaultEndpointsProtocol=https;AccountName=..;AccountKey=..``).

    Secret."""
    sas_uri: pulumi.Input[str] | None = None
    """Blob SAS URI (``https://<account>.blob.core.windows.net/?sv=..&se=..&sig=..``). Secret."""
    service_principal: ServicePrincipalArgs | Mapping[str, Any] | None = None
    """Service principal credentials: ``ServicePrincipalArgs`` or a dict of its fields (key is secret)."""
    name: pulumi.Input[str] | None = None
    """Connection name in AEP. Without one: ``<resource name>-<7 hex digits>``, chosen once and kept (a name
    already in state is never changed). Updated in place."""
    description: pulumi.Input[str] | None = None
    """Free-text description. Updated in place."""
    container: pulumi.Input[str] | None = None
    """Blob container the connection reads from. Updated in place."""
    folder_path: pulumi.Input[str] | None = None
    """Folder inside the container; the container root when empty. Updated in place."""
    sandbox_name: pulumi.Input[str] | None = None
    """AEP sandbox; defaults to ``aep:sandboxName``. Changing it replaces the connection."""
    connection_spec_version: pulumi.Input[str] | None = None
    """Connection spec version, default ``"1.0"``. Changing it replaces the connection."""
    verify: pulumi.Input[bool] | None = None
    """After create and update, have AEP reach the storage through the connection; fail if it cannot."""
    adopt_existing_id: pulumi.Input[str] | None = None
    """Take over an existing connection with this id instead of creating one (see ``AzureBlobConnection``)."""

    def __repr__(self) -> str:
        return _masked_repr(self, frozenset({"connection_string", "sas_uri"}))


class ServicePrincipalArgsDict(TypedDict, total=False):
    """Dict form of ``ServicePrincipalArgs``."""

    service_endpoint: pulumi.Input[str]
    service_principal_id: pulumi.Input[str]
    service_principal_key: pulumi.Input[str]
    tenant: pulumi.Input[str]
    account_kind: pulumi.Input[str]


class AzureBlobConnectionArgsDict(TypedDict, total=False):
    """Dict form of ``AzureBlobConnectionArgs`` (same keys, same meaning)."""

    connection_string: pulumi.Input[str]
    sas_uri: pulumi.Input[str]
    service_principal: ServicePrincipalArgs | ServicePrincipalArgsDict
    name: pulumi.Input[str]
    description: pulumi.Input[str]
    container: pulumi.Input[str]
    folder_path: pulumi.Input[str]
    sandbox_name: pulumi.Input[str]
    connection_spec_version: pulumi.Input[str]
    verify: pulumi.Input[bool]
    adopt_existing_id: pulumi.Input[str]


class AzureBlobConnection(pulumi.dynamic.Resource, module="aep", name="AzureBlobConnection"):
    """An Adobe Experience Platform Flow Service base connection to Azure Blob Storage.

    Name, description, credentials, container and folder path change in place (one JSON Patch with
    ``If-Match``); a change of sandbox, spec version or auth type creates a new connection.

    Adopting an existing connection: set ``adopt_existing_id`` to its id. On create the provider
    GETs it, checks it is an Azure Blob connection of the same auth type, PATCHes it to the declared
    name, description, credentials, container and folder path, and manages it from then on
    (``pulumi destroy`` deletes it). The input is ignored after create; remove it whenever you like.
    """

    connection_id: pulumi.Output[str]
    """The connection id (also the Pulumi resource id)."""
    etag: pulumi.Output[str]
    """Current etag, quotes included; changes on every update."""
    state: pulumi.Output[str]
    """Connection state reported by AEP, e.g. ``enabled``."""
    created_at: pulumi.Output[int]
    """Creation time, epoch milliseconds."""
    updated_at: pulumi.Output[int]
    """Last update time, epoch milliseconds."""
    sandbox_name: pulumi.Output[str]
    """The sandbox holding the connection."""
    org_id: pulumi.Output[str | None]
    """The IMS org holding the connection (``aep:orgId`` when it was created)."""
    name: pulumi.Output[str]
    """Connection name."""
    description: pulumi.Output[str | None]
    """Description."""
    container: pulumi.Output[str | None]
    """Blob container."""
    folder_path: pulumi.Output[str | None]
    """Folder path inside the container."""
    connection_spec_version: pulumi.Output[str]
    """Connection spec version."""
    connection_string: pulumi.Output[str | None]
    """The connection string (secret)."""
    sas_uri: pulumi.Output[str | None]
    """The SAS URI (secret)."""
    service_principal: pulumi.Output[dict[str, Any] | None]
    """Service principal fields (secret as a whole)."""
    verify: pulumi.Output[bool | None]
    """Whether create and update verify that AEP can reach the storage."""
    verified_objects: pulumi.Output[list[str] | None]
    """With ``verify``: the files and folders AEP listed at the container and folder path."""

    def __init__(
        self,
        resource_name: str,
        args: AzureBlobConnectionArgs | AzureBlobConnectionArgsDict | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        """Create the resource.

        Args:
            resource_name: Pulumi resource name; without ``name``, the connection is named after it.
            args: the inputs (``AzureBlobConnectionArgs`` or its dict form); or pass keyword arguments.
            opts: resource options. ``connection_string``, ``sas_uri`` and ``service_principal``
                are added to ``additional_secret_outputs``.
        """
        if args is None:
            args = AzureBlobConnectionArgs(**kwargs)
        elif not isinstance(args, AzureBlobConnectionArgs):
            args = AzureBlobConnectionArgs(**args)
        secret_opts = pulumi.ResourceOptions(additional_secret_outputs=SECRET_OUTPUTS)
        super().__init__(
            AzureBlobConnectionProvider(),
            resource_name,
            props_of(resource_name, args),
            pulumi.ResourceOptions.merge(opts, secret_opts),
        )


def props_of(resource_name: str, args: AzureBlobConnectionArgs) -> dict[str, Any]:
    """Every property of the definition: declared inputs from ``args``, the others as None.

    Output-only and recorded keys must be present (as None) to materialize as attributes.
    """
    props: dict[str, Any] = dict.fromkeys(p.name for p in AZURE_BLOB_CONNECTION)
    props.update({p.name: getattr(args, p.name) for p in inputs()})
    if props["name"] is None:  # named by check (pulumi_aep.naming): <resource name>-<suffix>, kept for life
        props[naming.AUTONAME_KEY] = resource_name
    props["connection_string"] = _secret(args.connection_string)
    props["sas_uri"] = _secret(args.sas_uri)
    props["service_principal"] = _principal(args.service_principal)
    return props


def _principal(value: ServicePrincipalArgs | Mapping[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, ServicePrincipalArgs):
        value = ServicePrincipalArgs(**value)
    return value.to_props()


def _secret(value: pulumi.Input[str] | None) -> pulumi.Input[str] | None:
    return None if value is None else pulumi.Output.secret(value)
