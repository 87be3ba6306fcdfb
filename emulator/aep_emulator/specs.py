"""Connection specs the emulator knows (the Azure Blob source) and validation of ``auth.params`` against them.

Adobe has not published the Blob source spec JSON; its authSpec entries are synthesized from the documented
param names and specName strings (flow-service-api.md §3 and §12.D), and marked so in ``attributes``.
"""

from __future__ import annotations

import copy
from typing import Any

import jsonschema

from aep_emulator import defaults
from aep_emulator.errors import FlowError, bad_request

_DRAFT7 = "http://json-schema.org/draft-07/schema#"
_LOCATION = {
    "container": {"type": "string", "description": "The name of the container to ingest from."},
    "folderPath": {
        "type": "string",
        "description": "The path of the folder to ingest from; the container root when left empty.",
    },
}


_EXPLORE_LISTING = {
    "$schema": _DRAFT7,
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["file", "folder"]},
            "name": {"type": "string"},
            "path": {"type": "string"},
            "canPreview": {"type": "boolean"},
            "canFetchSchema": {"type": "boolean"},
        },
    },
}


def _auth_spec(
    name: str, type_: str, description: str, props: dict[str, Any], required: list[str]
) -> dict[str, Any]:
    return {
        "name": name,
        "type": type_,
        "spec": {
            "$schema": _DRAFT7,
            "type": "object",
            "description": description,
            "properties": {**props, **_LOCATION},
            "required": required,
        },
    }


AZURE_BLOB_SPEC: dict[str, Any] = {
    "id": defaults.AZURE_BLOB_SPEC_ID,
    "name": "Azure Blob Storage",
    "providerId": "0ed90a81-07f4-4586-8190-b40eccef1c5a",
    "version": "1.0",
    "authSpec": [
        _auth_spec(
            "ConnectionString",
            "ConnectionString",
            "Account key authentication with an Azure Storage connection string",
            {
                "connectionString": {
                    "type": "string",
                    "description": "DefaultEndpointsProtocol=https;AccountName={NAME};AccountKey={KEY}",
                    "format": "password",
                }
            },
            ["connectionString"],
        ),
        _auth_spec(
            "SAS URI Authentication",
            "SasURIAuthentication",
            "Shared access signature URI authentication",
            {
                "sasUri": {
                    "type": "string",
                    "description": "https://{ACCOUNT_NAME}.blob.core.windows.net/?sv=...&sig=...",
                    "format": "password",
                }
            },
            ["sasUri"],
        ),
        _auth_spec(
            "Service Principal Based Authentication",
            "ServicePrincipalBasedAuthentication",
            "Azure Active Directory service principal authentication",
            {
                "serviceEndpoint": {
                    "type": "string",
                    "description": "https://{ACCOUNT_NAME}.blob.core.windows.net",
                },
                "servicePrincipalId": {"type": "string", "description": "The AAD application (client) id."},
                "servicePrincipalKey": {
                    "type": "string",
                    "description": "The AAD application secret.",
                    "format": "password",
                },
                "accountKind": {
                    "type": "string",
                    "enum": ["Storage", "StorageV2", "BlobStorage", "BlockBlobStorage"],
                    "description": "The kind of the storage account.",
                },
                "tenant": {"type": "string", "description": "The AAD tenant id."},
            },
            ["serviceEndpoint", "servicePrincipalId", "servicePrincipalKey", "tenant"],
        ),
    ],
    "sourceSpec": {
        "name": "CloudStorage",
        "type": "CloudStorage",
        "spec": {
            "$schema": _DRAFT7,
            "type": "object",
            "properties": {"path": {"type": "string"}, "recursive": {"type": "boolean", "default": False}},
        },
        "attributes": {
            "uiAttributes": {
                "isSource": True,
                "category": "cloudStorage",
                "icon": "azure-blob",
                "label": "Azure Blob Storage",
                "documentationLink": "http://www.adobe.com/go/sources-azure-blob-en",
            }
        },
    },
    "exploreSpec": {
        "name": "FileSystem",
        "type": "FileSystem",
        "requestSpec": {"$schema": _DRAFT7, "type": "object"},
        "responseSpec": {"root": _EXPLORE_LISTING, "folder": _EXPLORE_LISTING, "file": _EXPLORE_LISTING},
    },
    "attributes": {
        "category": "Cloud Storage",
        "connectorName": "Azure Blob Storage",
        "isSource": True,
        "uiAttributes": {"apiFeatures": {"explorePaginationSupported": False}},
        "emulator": {"authSpecSynthesized": True},
    },
    "permissionsInfo": {
        "view": [{"@type": "lowLevel", "name": "EnterpriseSource", "permissions": ["read"]}],
        "manage": [{"@type": "lowLevel", "name": "EnterpriseSource", "permissions": ["write"]}],
    },
}

SPECS: dict[str, dict[str, Any]] = {defaults.AZURE_BLOB_SPEC_ID: AZURE_BLOB_SPEC}

#: Both documented spellings of the SAS auth spec name resolve to the spec entry (flow-service-api.md §3.1).
_AUTH_ALIASES = {"SasURIAuthentication": "SAS URI Authentication"}


def get_spec(spec_id: str) -> dict[str, Any] | None:
    """Return a deep copy of the connection spec ``spec_id``, or None."""
    spec = SPECS.get(spec_id)
    return copy.deepcopy(spec) if spec is not None else None


def auth_spec(spec_id: str, spec_name: str) -> dict[str, Any]:
    """Return the authSpec entry ``spec_name`` (or its alias) of the connection spec ``spec_id``.

    Raises:
        FlowError: 1413 for an unknown spec id, 1415 for an unknown auth spec name.
    """
    spec = SPECS.get(spec_id)
    if spec is None:
        raise bad_request("Please provide a valid spec id", 1413)
    wanted = _AUTH_ALIASES.get(spec_name, spec_name)
    for entry in spec["authSpec"]:
        if entry["name"] == wanted:
            return dict(entry)
    raise bad_request(
        f"The auth spec '{spec_name}' could not be found for the connection spec ID {spec_id}", 1415
    )


def same_auth_type(spec_id: str, a: str, b: str) -> bool:
    """Whether two specName spellings name the same auth type of ``spec_id``."""
    return _AUTH_ALIASES.get(a, a) == _AUTH_ALIASES.get(b, b)


def validate_params(spec_id: str, spec_name: str, params: Any) -> None:
    """Validate ``auth.params`` against the JSON schema of the auth spec.

    Raises:
        FlowError: 1304 for a missing mandatory field, 1100 for any other schema violation.
    """
    schema = auth_spec(spec_id, spec_name)["spec"]
    if not isinstance(params, dict):
        raise bad_request("The field auth.params must be an object", 1100)
    for name in schema["required"]:
        if name not in params or params[name] in (None, ""):
            raise bad_request(f"The mandatory field {name} is not provided", 1304)
    error = jsonschema.exceptions.best_match(jsonschema.Draft7Validator(schema).iter_errors(params))
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or "params"
        raise FlowError(1100, 400, f"Invalid value of auth.params.{where}: {error.message}")


def secret_fields(spec_id: str, spec_name: str) -> frozenset[str]:
    """The ``format: password`` params of an auth spec: masked in GET answers."""
    try:
        props = auth_spec(spec_id, spec_name)["spec"]["properties"]
    except FlowError:
        return frozenset()
    return frozenset(k for k, v in props.items() if v.get("format") == "password")
