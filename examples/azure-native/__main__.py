"""A storage account, a container and the AEP connection that reads from it, in one program.

The account key from ``list_storage_account_keys_output`` is made secret here: azure-native does
not mark it (pulumi-azure-native#1693), and the connection string built from it must stay encrypted.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import resources, storage

from pulumi_aep import AzureBlobConnection, AzureBlobConnectionArgs

config = pulumi.Config()
# Adobe's Blob source cannot reach accounts in East US 2, West Europe or Australia East from the
# same region; the policy pack enforces this, so the default is a region it accepts.
location = config.get("location") or "westus2"
container_name = config.get("container") or "aep-landing"
folder_path = config.get("folderPath") or "/incoming"

group = resources.ResourceGroup("aep-landing", location=location)

account = storage.StorageAccount(
    "aeplanding",
    resource_group_name=group.name,
    location=group.location,
    kind=storage.Kind.STORAGE_V2,
    sku=storage.SkuArgs(name=storage.SkuName.STANDARD_LRS),
    enable_https_traffic_only=True,
    minimum_tls_version=storage.MinimumTlsVersion.TLS1_2,
    allow_blob_public_access=False,
    # Key-based auth is what the connection string uses, so shared-key access must stay on.
    allow_shared_key_access=True,
)

container = storage.BlobContainer(
    "landing",
    resource_group_name=group.name,
    account_name=account.name,
    container_name=container_name,
    public_access=storage.PublicAccess.NONE,
)

keys = storage.list_storage_account_keys_output(resource_group_name=group.name, account_name=account.name)
account_key = pulumi.Output.secret(keys.keys[0].value)
connection_string = pulumi.Output.secret(
    pulumi.Output.format(
        "DefaultEndpointsProtocol=https;AccountName={0};AccountKey={1};EndpointSuffix=core.windows.net",
        account.name,
        account_key,
    )
)

connection = AzureBlobConnection(
    "landing",
    AzureBlobConnectionArgs(
        description="Landing container for Experience Platform ingestion",
        connection_string=connection_string,
        container=container.name,
        folder_path=folder_path,
    ),
    opts=pulumi.ResourceOptions(depends_on=[container]),
)

pulumi.export("storageAccount", account.name)
pulumi.export("container", container.name)
pulumi.export("connectionId", connection.connection_id)
pulumi.export("etag", connection.etag)
