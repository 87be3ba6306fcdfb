"""Policy e2e program: `pulumi config set scenario <name>` picks the (non-)compliant resources it declares.

Config `face` picks the connection's face: the dynamic resource (default) or, with `plugin`, the plugin's
``aep:index:AzureBlobConnection`` through its Python SDK (``pulumi_aep.native``), with the same arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pulumi

import pulumi_aep
import pulumi_aep.native
from pulumi_aep import AzureBlobConnectionArgs

# A well-formed (base64, 64 bytes) but made-up account key; never a real credential.
ACCOUNT_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw=="
SAS_SIG = "k2Xk%2Fq1tWb6m8bq0Yy9lJd4wR0u7aT2v3Yc5dE8fH1s%3D"
KEY_STRING = (
    f"DefaultEndpointsProtocol=https;AccountName=acmeorders;AccountKey={ACCOUNT_KEY};"
    "EndpointSuffix=core.windows.net"
)
AZURITE_STRING = (
    f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={ACCOUNT_KEY};"
    "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"
)

config = pulumi.Config()
scenario = config.get("scenario") or "compliant"
Connection = (
    pulumi_aep.native.AzureBlobConnection
    if config.get("face") == "plugin"
    else pulumi_aep.AzureBlobConnection
)


def sas_uri(permissions: str, days: int) -> str:
    expiry = (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        "https://acmeorders.blob.core.windows.net/landing"
        f"?sv=2022-11-02&ss=b&srt=co&sp={permissions}&se={expiry}&spr=https&sig={SAS_SIG}"
    )


def connection(
    resource_name: str = "orders", protect: bool = False, **overrides: Any
) -> pulumi.CustomResource:
    args: dict[str, Any] = {
        "name": "acme-orders-blob",
        "description": "Orders export from the ACME ERP, owned by data-eng",
        "connection_string": KEY_STRING,
        "container": "landing",
        "folder_path": "orders/",
        "sandbox_name": "dev",
    }
    args.update(overrides)
    return Connection(
        resource_name, AzureBlobConnectionArgs(**args), opts=pulumi.ResourceOptions(protect=protect)
    )


def storage_account(resource_name: str = "acmeorders", **overrides: Any) -> pulumi.CustomResource:
    props: dict[str, Any] = {
        "accountName": "acmeorders",
        "resourceGroupName": "rg-aep",
        "location": "northeurope",
        "kind": "StorageV2",
        "sku": {"name": "Standard_LRS"},
        "enableHttpsTrafficOnly": True,
        "minimumTlsVersion": "TLS1_2",
        "allowBlobPublicAccess": False,
        "allowSharedKeyAccess": True,
    }
    props.update(overrides)
    return pulumi.CustomResource("azure-native:storage:StorageAccount", resource_name, props)


SCENARIOS: dict[str, Callable[[], object]] = {
    "compliant": lambda: (storage_account(), connection()),
    "sas-write": lambda: connection(connection_string=None, sas_uri=sas_uri("rwdl", 30)),
    "sas-long-lived": lambda: connection(connection_string=None, sas_uri=sas_uri("rl", 400)),
    "sandbox-not-allowed": lambda: connection(sandbox_name="marketing"),
    "prod-unprotected": lambda: connection(sandbox_name="prod"),
    "default-sandbox": lambda: connection(sandbox_name=None),
    "prod-protected": lambda: connection(sandbox_name="prod", protect=True),
    "bad-name": lambda: connection(name="ACME Orders"),
    "no-description": lambda: connection(description=None),
    "azurite": lambda: connection(connection_string=AZURITE_STRING),
    "storage-http": lambda: (storage_account(enableHttpsTrafficOnly=False), connection()),
    "storage-tls10": lambda: (storage_account(minimumTlsVersion="TLS1_0"), connection()),
    "storage-public": lambda: (storage_account(allowBlobPublicAccess=True), connection()),
    "storage-region": lambda: (storage_account(location="East US 2"), connection()),
    "storage-shared-key-off": lambda: (storage_account(allowSharedKeyAccess=False), connection()),
    "storage-without-connections": lambda: storage_account(enableHttpsTrafficOnly=False),
    "unknown-sandbox": lambda: _unknown_sandbox(),
}


def _unknown_sandbox() -> None:
    account = storage_account()
    # The account's id is unknown until it is created, so this sandbox name is unknown at preview.
    connection(sandbox_name=account.id.apply(lambda _: "dev"))


SCENARIOS[scenario]()
