"""A connection to a container on Azurite, verified: the platform must list the sample files.

``verify=True`` makes the provider ask the platform to reach the storage through the new
connection; with a wrong account key `pulumi up` fails and no connection is left behind.
"""

from __future__ import annotations

import pulumi

from pulumi_aep import AzureBlobConnection, AzureBlobConnectionArgs

config = pulumi.Config()

connection = AzureBlobConnection(
    "azurite",
    AzureBlobConnectionArgs(
        name="azurite samples",
        description="Sample files on the local Azurite blob emulator",
        connection_string=config.require_secret("connectionString"),
        container=config.get("container") or "samples",
        folder_path=config.get("folderPath") or "/incoming",
        verify=True,
    ),
)

pulumi.export("connectionId", connection.connection_id)
pulumi.export("etag", connection.etag)
pulumi.export("exploredFiles", connection.verified_objects)
