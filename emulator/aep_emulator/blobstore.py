"""Where explore and test read blobs from: real storage on a loopback endpoint (Azurite), else a seeded tree.

No HTTP framework imports; the Azure SDK is used only for loopback endpoints, never for a real cloud account.
"""

from __future__ import annotations

import base64
import binascii
import socket
from typing import Any, Protocol
from urllib.parse import urlsplit

from aep_emulator.errors import FlowError

_LOOPBACK_HOSTS = frozenset({"localhost", "::1", "[::1]"})
#: Seconds for a loopback reachability probe and each SDK call: loopback answers in milliseconds.
LOOPBACK_TIMEOUT_S = 2.0
DEFAULT_CONTAINER = "acme-blob-container"

_CSV_CUSTOMERS = (
    "id,firstName,lastName,email,loyaltyPoints,active\n"
    "1,Richard,Hendricks,richard@piedpiper.example,1200,true\n"
    "2,Monica,Hall,monica@raviga.example,860,true\n"
    "3,Bertram,Gilfoyle,gilfoyle@piedpiper.example,15,false\n"
    "4,Dinesh,Chugtai,dinesh@piedpiper.example,40.5,true\n"
)
_JSON_ORDERS = (
    '{"orderId": "o-1001", "customerId": 1, "total": 42.5, "currency": "USD"}\n'
    '{"orderId": "o-1002", "customerId": 2, "total": 17.0, "currency": "EUR"}\n'
)
_TSV_EVENTS = (
    "eventId\ttype\ttimestamp\ne-1\tpageView\t2026-01-02T03:04:05Z\ne-2\tpurchase\t2026-01-02T03:05:00Z\n"
)
#: The seeded tree every in-memory connection sees, below its ``folderPath``.
SEED_BLOBS: dict[str, bytes] = {
    "customers/customers.csv": _CSV_CUSTOMERS.encode(),
    "sales/2026/orders.json": _JSON_ORDERS.encode(),
    "events/events.tsv": _TSV_EVENTS.encode(),
}


class BlobSource(Protocol):
    """Read access to the containers of one storage account."""

    def containers(self) -> list[str]: ...

    def blob_names(self, container: str) -> list[str]: ...

    def read(self, container: str, name: str) -> bytes: ...


class MemorySource:
    """The seeded in-memory tree: one container holding :data:`SEED_BLOBS` under ``folderPath``."""

    def __init__(self, container: str, folder_path: str = "") -> None:
        self.container = container
        prefix = folder_path.strip("/")
        self.blobs = {(f"{prefix}/{k}" if prefix else k): v for k, v in SEED_BLOBS.items()}

    def containers(self) -> list[str]:
        return [self.container]

    def blob_names(self, container: str) -> list[str]:
        return sorted(self.blobs) if container == self.container else []

    def read(self, container: str, name: str) -> bytes:
        if container != self.container or name not in self.blobs:
            raise KeyError(name)
        return self.blobs[name]


class AzureSource:
    """A real blob endpoint, through the Azure SDK (used only for loopback endpoints such as Azurite)."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def containers(self) -> list[str]:
        return [c["name"] for c in self._client.list_containers()]

    def blob_names(self, container: str) -> list[str]:
        return [b["name"] for b in self._client.get_container_client(container).list_blobs()]

    def read(self, container: str, name: str) -> bytes:
        from azure.core.exceptions import ResourceNotFoundError

        try:
            data: bytes = self._client.get_blob_client(container, name).download_blob().readall()
        except ResourceNotFoundError as exc:
            raise KeyError(name) from exc
        return data


def _parse_connection_string(value: str) -> dict[str, str]:
    parts = (p.split("=", 1) for p in value.split(";") if "=" in p)
    return {k.strip(): v.strip() for k, v in parts}


def blob_endpoint(params: dict[str, Any]) -> str | None:
    """The blob service URL a connection's params point at, if it can be told."""
    if "connectionString" in params:
        fields = _parse_connection_string(str(params["connectionString"]))
        if "BlobEndpoint" in fields:
            return fields["BlobEndpoint"]
        if "AccountName" in fields:
            proto = fields.get("DefaultEndpointsProtocol", "https")
            return (
                f"{proto}://{fields['AccountName']}.blob.{fields.get('EndpointSuffix', 'core.windows.net')}"
            )
        return None
    url = params.get("sasUri") or params.get("serviceEndpoint")
    return str(url) if url else None


def is_loopback_reachable(url: str) -> bool:
    """Whether ``url`` names a loopback host that accepts TCP connections."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not (host in _LOOPBACK_HOSTS or host.startswith("127.")):
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=LOOPBACK_TIMEOUT_S):
            return True
    except OSError:
        return False


def credentials_look_valid(spec_name: str, params: dict[str, Any]) -> bool:
    """The in-memory test: an account key must be base64 and a SAS URI must carry a signature."""
    if "connectionString" in params:
        key = _parse_connection_string(str(params["connectionString"])).get("AccountKey", "")
        try:
            return bool(key) and len(base64.b64decode(key, validate=True)) > 0
        except (binascii.Error, ValueError):
            return False
    if "sasUri" in params:
        return "sig=" in str(params["sasUri"])
    return True


def azure_client(params: dict[str, Any], endpoint: str) -> Any:
    """A ``BlobServiceClient`` for a loopback endpoint, with retries off and short timeouts."""
    from azure.storage.blob import BlobServiceClient  # imported lazily: only loopback explore needs it

    options: dict[str, Any] = {
        "retry_total": 0,
        "connection_timeout": LOOPBACK_TIMEOUT_S,
        "read_timeout": LOOPBACK_TIMEOUT_S,
    }
    if "connectionString" in params:
        return BlobServiceClient.from_connection_string(str(params["connectionString"]), **options)
    if "sasUri" in params:
        return BlobServiceClient(account_url=str(params["sasUri"]), **options)
    raise FlowError(1100, 400, "Service principal authentication cannot be checked against a local endpoint")


def source_for(params: dict[str, Any]) -> tuple[BlobSource, bool]:
    """Return the blob source of a connection and whether it is real (loopback) storage."""
    endpoint = blob_endpoint(params)
    if endpoint is not None and is_loopback_reachable(endpoint):
        return AzureSource(azure_client(params, endpoint)), True
    container = str(params.get("container") or DEFAULT_CONTAINER)
    return MemorySource(container, str(params.get("folderPath") or "")), False
