"""`count` connections `<prefix>-<i>`: the chaos run and the interrupted deployment.

Their names are the provider's (`<prefix>-<i>-<7 hex digits>`), or exactly `<prefix>-<i>` with
config `explicitNames` (two stacks then declare the very same connection names).
"""

import pulumi

from pulumi_aep import AzureBlobConnection, AzureBlobConnectionArgs

config = pulumi.Config()
count = config.require_int("count")
prefix = config.get("prefix") or "fleet"
explicit_names = config.get_bool("explicitNames")
connection_string = config.require_secret("connectionString")

ids = []
for i in range(count):
    connection = AzureBlobConnection(
        f"{prefix}-{i}",
        AzureBlobConnectionArgs(
            name=f"{prefix}-{i}" if explicit_names else None,
            connection_string=connection_string,
            container="landing",
            folder_path=f"/{prefix}/{i}",
        ),
    )
    ids.append(connection.connection_id)

pulumi.export("ids", ids)
