"""One connection; config `face` picks the dynamic resource or the plugin's SDK, the rest drives the steps."""

import pulumi

import pulumi_aep
import pulumi_aep.native

config = pulumi.Config()
resource = (
    pulumi_aep.native.AzureBlobConnection
    if config.get("face") == "plugin"
    else pulumi_aep.AzureBlobConnection
)
credentials: pulumi_aep.AzureBlobConnectionArgsDict = (
    {"sas_uri": config.require_secret("sasUri")}
    if config.get("authMode") == "sas"
    else {"connection_string": config.require_secret("connectionString")}
)
connection = resource(
    "conn",
    name=config.get("connName") or "faces",
    container=config.get("container") or "landing",
    folder_path="/in",
    **credentials,
)
if config.get_bool("chained"):
    # A second connection whose description is unknown until the first one exists (unknowns at preview).
    resource("chained", container="landing", description=connection.connection_id, **credentials)
pulumi.export("id", connection.connection_id)
pulumi.export("etag", connection.etag)
