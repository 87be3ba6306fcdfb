"""Create the sample container and files on Azurite (or any blob endpoint) for this example.

Usage: ``python seed_samples.py "<connection string>" [container] [folder]``; prints the blob names.
"""

from __future__ import annotations

import contextlib
import sys

from azure.core.exceptions import ResourceExistsError
from azure.storage.blob import BlobServiceClient

SAMPLES = {
    "customers.csv": b"id,name,email\n1,Ada,ada@example.com\n2,Grace,grace@example.com\n",
    "orders.json": b'[{"id": 10, "customer": 1, "total": 42.5}]\n',
    "events.csv": b"ts,event\n2026-11-30T00:00:00Z,signup\n",
}


def seed(connection_string: str, container: str = "samples", folder: str = "incoming") -> list[str]:
    """Upload SAMPLES under CONTAINER/FOLDER (idempotent); return the blob names."""
    service = BlobServiceClient.from_connection_string(connection_string)
    client = service.get_container_client(container)
    with contextlib.suppress(ResourceExistsError):
        client.create_container()
    names = []
    for name, body in SAMPLES.items():
        blob = f"{folder.strip('/')}/{name}"
        client.upload_blob(blob, body, overwrite=True)
        names.append(blob)
    return names


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for blob_name in seed(*sys.argv[1:4]):
        print(blob_name)
