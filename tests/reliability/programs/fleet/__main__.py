"""`count` connections named `<prefix>-<i>`: the chaos run and the interrupted deployment."""

import pulumi

from pulumi_aep import AzureBlobConnection, AzureBlobConnectionArgs

config = pulumi.Config()
count = config.require_int("count")
prefix = config.get("prefix") or "fleet"
connection_string = config.require_secret("connectionString")

ids = []
for i in range(count):
    connection = AzureBlobConnection(
        f"{prefix}-{i}",
        AzureBlobConnectionArgs(
            connection_string=connection_string,
            container="landing",
            folder_path=f"/{prefix}/{i}",
        ),
    )
    ids.append(connection.connection_id)

pulumi.export("ids", ids)
