"""Quickstart: one Azure Blob base connection in Adobe Experience Platform.

The connection string is read from stack config as a secret
(``pulumi config set --secret connectionString '...'``), so it stays encrypted in
config and in state.
"""

from __future__ import annotations

import pulumi

from pulumi_aep import AzureBlobConnection, AzureBlobConnectionArgs

config = pulumi.Config()

connection = AzureBlobConnection(
    "quickstart",
    AzureBlobConnectionArgs(
        name=config.get("connectionName") or "pulumi-aep-quickstart",
        description="Azure Blob landing container, managed by Pulumi",
        connection_string=config.require_secret("connectionString"),
        container=config.get("container") or "landing",
        folder_path=config.get("folderPath") or "/incoming",
    ),
)

pulumi.export("connectionId", connection.connection_id)
pulumi.export("etag", connection.etag)
