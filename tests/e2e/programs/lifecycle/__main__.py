"""One connection per auth mode; config switches drive renames, key rotation and auth-type changes."""

import pulumi

from pulumi_aep import (
    AzureBlobConnection,
    AzureBlobConnectionArgs,
    AzureBlobConnectionArgsDict,
    ServicePrincipalArgs,
)

config = pulumi.Config()

by_key = AzureBlobConnection(
    "by-key",
    AzureBlobConnectionArgs(
        name=config.get("keyName") or "by key",
        connection_string=config.require_secret("connectionString"),
        container="landing",
        folder_path="/key",
    ),
)

# `sasMode=connection-string` switches this one's auth type: Adobe forbids that in place.
sas_args: AzureBlobConnectionArgsDict = {"name": "by sas", "container": "landing", "folder_path": "/sas"}
if config.get("sasMode") == "connection-string":
    sas_args["connection_string"] = config.require_secret("connectionString")
else:
    sas_args["sas_uri"] = config.require_secret("sasUri")
by_sas = AzureBlobConnection("by-sas", AzureBlobConnectionArgs(**sas_args))

by_sp = AzureBlobConnection(
    "by-sp",
    AzureBlobConnectionArgs(
        name="by service principal",
        service_principal=ServicePrincipalArgs(
            service_endpoint="https://lifecycleacct.blob.core.windows.net",
            service_principal_id="8f2b6a4e-1c3d-4e5f-9a7b-0c1d2e3f4a5b",
            service_principal_key=config.require_secret("spKey"),
            tenant="contoso.onmicrosoft.com",
            account_kind="StorageV2",
        ),
        container="landing",
        folder_path="/sp",
    ),
)

for label, resource in (("key", by_key), ("sas", by_sas), ("sp", by_sp)):
    pulumi.export(f"{label}Id", resource.connection_id)
    pulumi.export(f"{label}Etag", resource.etag)
