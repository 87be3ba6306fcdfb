"""Valid inputs of each pipeline resource, normalized as a face would before check, with overrides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from pulumi.dynamic import CheckFailure

from pulumi_aep.pipeline import dataflow, dataset, source_connection, target_connection

BASE_ID: Final = "1f164d1b-debe-4b39-b4a9-df767f7d6f7c"
SOURCE_ID: Final = "26b53912-1005-49f0-b539-12100559f0e2"
TARGET_ID: Final = "f7eb08fa-5f04-4e45-ab08-fa5f046e45ee"
DATASET_ID: Final = "5f3c3cedb2805c194ff0b69a"
SCHEMA_ID: Final = "https://ns.adobe.com/acme/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4"
MAPPING_ID: Final = "bf5286a9c1ad4266baca76ba3adc9366"
START: Final = 1597784298
#: Remove the key instead of overriding it.
DROP: Final = object()

VALID: Final[dict[str, dict[str, Any]]] = {
    "source": {
        "name": "accounts",
        "base_connection_id": BASE_ID,
        "path": "/acme/summerCampaign/*.csv",
        "data_format": "delimited",
    },
    "dataset": {"name": "accounts", "schema_id": SCHEMA_ID},
    "target": {"name": "accounts lake", "dataset_id": DATASET_ID, "schema_id": SCHEMA_ID},
    "flow": {
        "name": "accounts hourly",
        "source_connection_id": SOURCE_ID,
        "target_connection_id": TARGET_ID,
        "schedule": {"frequency": "hour", "interval": 1, "start_time": START},
    },
}
NORMALIZE: Final[dict[str, Callable[[dict[str, Any], str], dict[str, Any]]]] = {
    "source": source_connection.normalize,
    "dataset": dataset.normalize,
    "target": target_connection.normalize,
    "flow": dataflow.normalize,
}
CHECK: Final[dict[str, Callable[[dict[str, Any]], list[CheckFailure]]]] = {
    "source": source_connection.check,
    "dataset": dataset.check,
    "target": target_connection.check,
    "flow": dataflow.check,
}


def props(resource: str, **overrides: Any) -> dict[str, Any]:
    """Normalized valid inputs of ``resource`` with ``overrides`` (``DROP`` removes a key)."""
    raw = {**VALID[resource], **overrides}
    return NORMALIZE[resource]({k: v for k, v in raw.items() if v is not DROP}, "prod")


def schedule(**overrides: Any) -> dict[str, Any]:
    """The valid schedule with ``overrides`` (``DROP`` removes a field)."""
    raw = {**VALID["flow"]["schedule"], **overrides}
    return {k: v for k, v in raw.items() if v is not DROP}


def failures(resource: str, **overrides: Any) -> dict[str, str]:
    """``property -> reason`` of ``check`` on the normalized inputs."""
    return {f.property: f.reason for f in CHECK[resource](props(resource, **overrides))}
