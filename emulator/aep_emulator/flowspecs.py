"""Flow specs the emulator serves: ``CloudStorageToAEP`` with its documented keys (pipeline reference §5.2)."""

from __future__ import annotations

import copy
from typing import Any

from aep_emulator import defaults

CLOUD_STORAGE_TO_AEP_ID = "9753525b-82c7-4dce-8a9b-5ccfce2b9876"
DATA_LAKE_SPEC_ID = "c604ff05-7f1a-43c0-8e18-33bf874cb11c"
#: Seconds per schedule ``frequency`` unit; ``once`` runs a single time.
FREQUENCY_S = {"minute": 60, "hour": 3600, "day": 86400, "week": 604800}
#: Smallest ``interval`` per frequency (the spec's JSON schema: 15 for minute, 1 otherwise).
MIN_INTERVAL = {"minute": 15, "hour": 1, "day": 1, "week": 1}

_SOURCE_SPECS = [
    "b3ba5556-48be-44b7-8b85-ff2b69b46dc4",
    "ecadc60c-7455-4d87-84dc-2a0e293d997b",
    "b7829c2f-2eb0-4f49-a6ee-55e33008b629",
    defaults.AZURE_BLOB_SPEC_ID,
    "fb2e94c9-c031-467d-8103-6bd6e0a432f2",
    "32e8f412-cdf7-464c-9885-78184cb113fd",
    "b7bf2577-4520-42c9-bae9-cad01560f7bc",
    "998b8ae3-cec0-43b7-8abe-40b1eb4ee069",
    "be5ec48c-5b78-49d5-b8fa-7c89ec4569b8",
    "54e221aa-d342-4707-bcff-7a4bceef0001",
    "c85f9425-fb21-426c-ad0b-405e9bd8a46c",
    "26f526f2-58f4-4712-961d-e41bf1ccc0e8",
]
_SCHEDULE_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {
        "startTime": {"description": "epoch time", "type": "integer"},
        "frequency": {"type": "string", "enum": ["once", "minute", "hour", "day", "week"]},
        "interval": {"type": "integer"},
        "backfill": {"type": "boolean", "default": True},
    },
    "required": ["startTime", "frequency"],
    "if": {"properties": {"frequency": {"const": "minute"}}},
    "then": {"properties": {"interval": {"minimum": 15}}, "required": ["interval"]},
}
_PERMISSIONS = {"@type": "lowLevel", "name": "EnterpriseSource"}

CLOUD_STORAGE_TO_AEP: dict[str, Any] = {
    "id": CLOUD_STORAGE_TO_AEP_ID,
    "name": "CloudStorageToAEP",
    "providerId": "0ed90a81-07f4-4586-8190-b40eccef1c5a",
    "version": "1.0",
    "attributes": {
        "isSourceFlow": True,
        "flacValidationSupported": True,
        "isDraftModeSupported": True,
        "frequency": "batch",
        "notification": {"category": "sources", "flowRun": {"enabled": True}},
    },
    "sourceConnectionSpecIds": _SOURCE_SPECS,
    "targetConnectionSpecIds": [DATA_LAKE_SPEC_ID],
    "permissionsInfo": {
        "view": [{**_PERMISSIONS, "permissions": ["read"]}],
        "manage": [{**_PERMISSIONS, "permissions": ["write"]}],
    },
    "optionSpec": {
        "name": "OptionSpec",
        "spec": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "properties": {
                "errorDiagnosticsEnabled": {"type": "boolean", "default": False},
                "partialIngestionPercent": {"type": "number", "exclusiveMinimum": 0},
            },
        },
    },
    "transformationSpecs": [
        {
            "name": "Mapping",
            "spec": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "type": "object",
                "properties": {"mappingId": {"type": "string"}, "mappingVersion": {"type": "string"}},
            },
        },
        {
            "name": "Encryption",
            "spec": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "type": "object",
                "properties": {"publicKeyId": {"type": "string"}},
            },
        },
    ],
    "scheduleSpec": {"name": "PeriodicSchedule", "type": "Periodic", "spec": _SCHEDULE_SCHEMA},
    "runSpec": {
        "name": "ProviderParams",
        "spec": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "properties": {
                "startTime": {"type": "integer"},
                "windowStartTime": {"type": "integer"},
                "windowEndTime": {"type": "integer"},
            },
            "required": ["startTime", "windowStartTime", "windowEndTime"],
        },
    },
}

FLOW_SPECS: dict[str, dict[str, Any]] = {CLOUD_STORAGE_TO_AEP_ID: CLOUD_STORAGE_TO_AEP}


def get_flow_spec(spec_id: str) -> dict[str, Any] | None:
    """A copy of the flow spec ``spec_id``, or None."""
    spec = FLOW_SPECS.get(spec_id)
    return copy.deepcopy(spec) if spec is not None else None


def all_flow_specs() -> list[dict[str, Any]]:
    """Copies of every flow spec."""
    return [copy.deepcopy(s) for s in FLOW_SPECS.values()]
