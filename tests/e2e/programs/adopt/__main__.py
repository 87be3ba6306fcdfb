"""Take over a connection made outside Pulumi: `import_=` (mode import) or `adopt_existing_id` (mode adopt)."""

import pulumi

from pulumi_aep import AzureBlobConnection, AzureBlobConnectionArgs

config = pulumi.Config()
existing = config.require("existingId")
mode = config.get("mode") or "adopt"

connection = AzureBlobConnection(
    "adopted",
    AzureBlobConnectionArgs(
        name="adopted by pulumi",
        description="taken over from a manual setup",
        connection_string=config.require_secret("connectionString"),
        container="landing",
        folder_path="/in",
        adopt_existing_id=existing if mode == "adopt" else None,
    ),
    opts=pulumi.ResourceOptions(import_=existing) if mode == "import" else None,
)

pulumi.export("connectionId", connection.connection_id)
pulumi.export("etag", connection.etag)
