"""The same Azure Blob connection declared for the `dev` and `prod` sandboxes; prod is protected."""

from __future__ import annotations

import pulumi

from pulumi_aep import AzureBlobConnection, AzureBlobConnectionArgs

config = pulumi.Config()
connection_string = config.require_secret("connectionString")
container = config.get("container") or "landing"
production = set(config.get_object("productionSandboxes") or ["prod"])

connections = {}
for sandbox in config.get_object("sandboxes") or ["dev", "prod"]:
    connections[sandbox] = AzureBlobConnection(
        f"landing-{sandbox}",
        AzureBlobConnectionArgs(
            name=f"landing ({sandbox})",
            description=f"Landing container for the {sandbox} sandbox",
            connection_string=connection_string,
            container=container,
            folder_path=f"/{sandbox}",
            sandbox_name=sandbox,
        ),
        # A production connection cannot be deleted by a stray `pulumi destroy`.
        opts=pulumi.ResourceOptions(protect=sandbox in production),
    )

pulumi.export("connectionIds", {sandbox: conn.connection_id for sandbox, conn in connections.items()})
pulumi.export("sandboxes", {sandbox: conn.sandbox_name for sandbox, conn in connections.items()})
