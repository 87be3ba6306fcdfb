"""One connection per auth type, every secret exported, for the secret scans (config `face`: dynamic or plugin)."""

import pulumi

import pulumi_aep
import pulumi_aep.native
from pulumi_aep import AzureBlobConnectionArgs, ServicePrincipalArgs

config = pulumi.Config()
resource = (
    pulumi_aep.native.AzureBlobConnection
    if config.get("face") == "plugin"
    else pulumi_aep.AzureBlobConnection
)
description = config.get("description") or "secret scan"

by_key = resource(
    "scan-key",
    AzureBlobConnectionArgs(
        connection_string=config.require_secret("connectionString"),
        container="landing",
        description=description,
    ),
)
by_sas = resource(
    "scan-sas",
    AzureBlobConnectionArgs(
        sas_uri=config.require_secret("sasUri"), container="landing", description=description
    ),
)
by_sp = resource(
    "scan-sp",
    AzureBlobConnectionArgs(
        service_principal=ServicePrincipalArgs(
            service_endpoint="https://scanacct.blob.core.windows.net",
            service_principal_id="8f2b6a4e-1c3d-4e5f-9a7b-0c1d2e3f4a5b",
            service_principal_key=config.require_secret("spKey"),
            tenant="contoso.onmicrosoft.com",
        ),
        container="landing",
        description=description,
    ),
)

# Exporting the secret outputs themselves: they must stay [secret] in `pulumi stack output`.
pulumi.export("connectionString", by_key.connection_string)
pulumi.export("sasUri", by_sas.sas_uri)
pulumi.export("servicePrincipal", by_sp.service_principal)
pulumi.export("ids", [by_key.connection_id, by_sas.connection_id, by_sp.connection_id])
