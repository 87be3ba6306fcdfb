"""The one definition of the provider: every property of ``AzureBlobConnection`` and every ``aep:*`` key.

Everything else derives from these tables: the plugin schema (``pulumi_aep.schema``), the property
lists of ``pulumi_aep.model``, the secret outputs of the dynamic resource, the plugin's value codec
and its SDK (``pulumi_aep.native``). Adding a property means adding one ``Prop`` here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

#: Pulumi package name and the plugin's resource type token.
PACKAGE: Final = "aep"
RESOURCE_TYPE: Final = "aep:index:AzureBlobConnection"
SERVICE_PRINCIPAL_TYPE: Final = "aep:index:ServicePrincipal"


@dataclass(frozen=True)
class Prop:
    """One property: its state name (snake_case), schema type and lifecycle rules.

    ``type`` is a schema primitive (``string``, ``boolean``, ``integer``, ``array`` of ``items``)
    or the token of an object type in ``TYPES``.
    """

    name: str
    type: str
    description: str
    secret: bool = False
    #: Declared by the user (an input); False for values only the API reports.
    input: bool = True
    #: Not declared but set by ``check`` from the provider's configuration (e.g. the org): diffed
    #: like an input, an output in the schema.
    recorded: bool = False
    #: A change creates a new connection instead of an in-place update.
    replaces: bool = False
    #: Required among the inputs of an object type (never for the resource: defaults apply).
    required: bool = False
    #: Always present in the outputs (listed in the schema's ``required``).
    always_output: bool = False
    items: str | None = None

    @property
    def camel(self) -> str:
        """The schema (camelCase) name: ``folder_path`` -> ``folderPath``."""
        return camel(self.name)


def camel(name: str) -> str:
    """``snake_case`` -> ``camelCase`` (the Pulumi schema convention)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


SERVICE_PRINCIPAL: Final = (
    Prop(
        "service_endpoint",
        "string",
        "Blob service endpoint, e.g. `https://<account>.blob.core.windows.net`.",
        required=True,
    ),
    Prop(
        "service_principal_id", "string", "Application (client) id of the service principal.", required=True
    ),
    Prop(
        "service_principal_key",
        "string",
        "Client secret of the service principal. Always stored as a secret.",
        secret=True,
        required=True,
    ),
    Prop("tenant", "string", "Azure AD tenant id or domain.", required=True),
    Prop(
        "account_kind",
        "string",
        "Storage account kind: `Storage`, `StorageV2`, `BlobStorage` or `BlockBlobStorage`.",
    ),
)

#: Object types by token: their fields and description.
TYPES: Final = {
    SERVICE_PRINCIPAL_TYPE: (
        'Azure AD service principal credentials (auth type "Service Principal Based Authentication").',
        SERVICE_PRINCIPAL,
    ),
}

AZURE_BLOB_CONNECTION_DOC: Final = (
    "An Adobe Experience Platform Flow Service base connection to Azure Blob Storage. Set exactly one of "
    "`connectionString`, `sasUri` and `servicePrincipal`. Name, description, credentials, container and "
    "folder path change in place (one JSON Patch with `If-Match`); a change of sandbox, spec version or "
    "auth type creates a new connection."
)

AZURE_BLOB_CONNECTION: Final = (
    Prop(
        "name",
        "string",
        "Connection name in AEP. Without one: `<resource name>-<7 hex digits>`, chosen once and kept (a name "
        "already in state is never changed). Updated in place.",
        always_output=True,
    ),
    Prop("description", "string", "Free-text description. Updated in place."),
    Prop(
        "connection_string",
        "string",
        "Azure Storage connection string (`DefaultEndpointsProtocol=https;AccountName=..;AccountKey=..`).",
        secret=True,
    ),
    Prop(
        "sas_uri",
        "string",
        "Blob SAS URI (`https://<account>.blob.core.windows.net/?sv=..&se=..&sig=..`).",
        secret=True,
    ),
    Prop(
        "service_principal",
        SERVICE_PRINCIPAL_TYPE,
        "Service principal credentials (stored as a secret as a whole).",
        secret=True,
    ),
    Prop("container", "string", "Blob container the connection reads from. Updated in place."),
    Prop(
        "folder_path",
        "string",
        "Folder inside the container; the container root when empty. Updated in place.",
    ),
    Prop(
        "sandbox_name",
        "string",
        "AEP sandbox; defaults to `aep:sandboxName`. Changing it replaces the connection.",
        replaces=True,
        always_output=True,
    ),
    Prop(
        "connection_spec_version",
        "string",
        'Connection spec version, default `"1.0"`. Changing it replaces the connection.',
        replaces=True,
        always_output=True,
    ),
    Prop(
        "verify",
        "boolean",
        "After create and update, have AEP reach the storage through the connection; fail if it cannot.",
    ),
    Prop(
        "adopt_existing_id",
        "string",
        "Take over an existing connection with this id instead of creating one (used on create only).",
    ),
    Prop(
        "org_id",
        "string",
        "The IMS org holding the connection: `aep:orgId` when it was created. Changing the provider's "
        "org replaces the connection; refresh, update and delete always use the recorded org.",
        input=False,
        recorded=True,
        replaces=True,
    ),
    Prop(
        "connection_id",
        "string",
        "The connection id (also the Pulumi resource id).",
        input=False,
        always_output=True,
    ),
    Prop("etag", "string", "Current etag, quotes included; changes on every update.", input=False),
    Prop("state", "string", "Connection state reported by AEP, e.g. `enabled`.", input=False),
    Prop("created_at", "integer", "Creation time, epoch milliseconds.", input=False),
    Prop("updated_at", "integer", "Last update time, epoch milliseconds.", input=False),
    Prop(
        "verified_objects",
        "array",
        "With `verify`: the files and folders AEP listed at the container and folder path.",
        input=False,
        items="string",
    ),
)

#: The three credential inputs, in order; exactly one is set, and switching between them replaces.
AUTH_PROPS: Final = ("connection_string", "sas_uri", "service_principal")


@dataclass(frozen=True)
class ConfigKey:
    """One ``aep:*`` provider config key (``ProviderConfig`` reads these; ``config.ENV_FALLBACKS`` backs them)."""

    name: str
    type: str
    description: str
    secret: bool = False


CONFIG: Final = (
    ConfigKey("clientId", "string", "OAuth server-to-server client id (API key)."),
    ConfigKey("clientSecret", "string", "OAuth client secret.", secret=True),
    ConfigKey("orgId", "string", "IMS organization id (`...@AdobeOrg`)."),
    ConfigKey("sandboxName", "string", "Default sandbox, `prod` when unset."),
    ConfigKey(
        "accessToken",
        "string",
        "A static access token instead of client credentials.",
        secret=True,
    ),
    ConfigKey("platformUrl", "string", "Flow Service base URL (https)."),
    ConfigKey("imsUrl", "string", "IMS base URL (https)."),
    ConfigKey("scopes", "string", "OAuth scopes, comma separated."),
    ConfigKey("connectTimeout", "number", "Connect timeout per request, seconds (default 10)."),
    ConfigKey("readTimeout", "number", "Read timeout per request, seconds (default 65)."),
    ConfigKey("maxRetries", "integer", "Retries of idempotent calls (default 4)."),
    ConfigKey(
        "reconcileSeconds",
        "number",
        "How long a create whose answer was lost is looked for before the POST is sent again (default 15).",
    ),
)


def inputs() -> tuple[Prop, ...]:
    """The resource's input properties."""
    return tuple(p for p in AZURE_BLOB_CONNECTION if p.input)


def by_name(name: str) -> Prop:
    """The resource property with this state name."""
    return next(p for p in AZURE_BLOB_CONNECTION if p.name == name)
