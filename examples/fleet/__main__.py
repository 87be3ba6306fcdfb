"""The per-sandbox program: one Azure Blob connection in the sandbox named by the stack's config."""

from __future__ import annotations

import pulumi

from pulumi_aep import AzureBlobConnection, AzureBlobConnectionArgs

config = pulumi.Config()
sandbox = config.require("sandbox")

connection = AzureBlobConnection(
    "landing",
    AzureBlobConnectionArgs(
        name=f"landing ({sandbox})",
        description=f"Landing container for the {sandbox} sandbox",
        connection_string=config.require_secret("connectionString"),
        container=config.get("container") or "landing",
        folder_path=f"/{sandbox}",
        sandbox_name=sandbox,
    ),
)

pulumi.export("sandbox", sandbox)
pulumi.export("connectionId", connection.connection_id)
pulumi.export("etag", connection.etag)
