"""``AzureBlobSourceConnection``: one path in a Blob base connection and how to read its files (§3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pulumi.dynamic import CheckFailure

from pulumi_aep.model import AZURE_BLOB_SPEC_ID
from pulumi_aep.pipeline import common, rules
from pulumi_aep.pipeline.definition import (
    Output,
    Property,
    Props,
    ResourceDefinition,
)
from pulumi_aep.pipeline.facts import (
    COMPRESSION_TYPES,
    DATA_PROPERTY_KEYS,
    DEFAULT_COLUMN_DELIMITER,
    DEFAULT_ENCODING,
    ENCODINGS,
    FORMAT_PROPERTIES,
    PATH_TYPES,
    SOURCE_FORMATS,
    SPEC_VERSION,
)
from pulumi_aep.pipeline.patching import (
    name_and_description_ops,
    with_description,
)
from pulumi_aep.validation import is_unknown

_KIND: Final = "source connection"
#: Every semantic input replaces: Adobe advises a new source connection over patching one (§3.5, §11).
DEFINITION: Final = ResourceDefinition(
    name="AzureBlobSourceConnection",
    description="A Flow Service source connection: a file, folder or wildcard in an Azure Blob base connection.",
    inputs=(
        common.name(_KIND),
        common.description(_KIND),
        Property(
            "base_connection_id",
            "string",
            "The Azure Blob base connection to read through (an AzureBlobConnection's connection_id).",
            required=True,
            replaces=True,
            required_hint="pass an AzureBlobConnection's connection_id",
            rule=rules.flow_service_id("a base connection"),
        ),
        Property(
            "path",
            "string",
            "One file (/acme/data/accounts.csv), a folder (/acme/data/) or a file-name wildcard "
            "(/acme/data/*.csv) in the container.",
            required=True,
            replaces=True,
            required_hint="the file, folder or wildcard to ingest, e.g. /acme/data/*.csv",
            rule=rules.source_path,
        ),
        Property(
            "path_type",
            "string",
            "file or folder; defaults to folder for a wildcard or a trailing '/', file otherwise.",
            replaces=True,
            rule=rules.one_of(PATH_TYPES),
        ),
        Property("recursive", "boolean", "Also read the folder's subfolders.", replaces=True),
        Property(
            "data_format",
            "string",
            f"How the files are encoded: {', '.join(SOURCE_FORMATS)}.",
            required=True,
            replaces=True,
            required_hint=f"one of {', '.join(SOURCE_FORMATS)}",
            rule=rules.one_of(SOURCE_FORMATS),
        ),
        Property(
            "column_delimiter",
            "string",
            "delimited only: one character separating columns (default ','; a tab is '\\t').",
            replaces=True,
            rule=rules.column_delimiter,
        ),
        Property(
            "compression_type",
            "string",
            f"delimited or json only: {', '.join(COMPRESSION_TYPES)}.",
            replaces=True,
            rule=rules.one_of(COMPRESSION_TYPES),
        ),
        Property(
            "encoding",
            "string",
            f"delimited only: {', '.join(ENCODINGS)} (default UTF-8).",
            replaces=True,
            rule=rules.one_of(ENCODINGS),
        ),
        common.SANDBOX_NAME,
    ),
    outputs=(
        Output("source_connection_id", "string", "The source connection's id."),
        Output("etag", "string", "The current version, sent as If-Match on updates."),
        Output("state", "string", "enabled, draft, ... as Flow Service reports it."),
        Output("created_at", "integer", "Creation time, epoch milliseconds."),
        Output("updated_at", "integer", "Last update time, epoch milliseconds."),
    ),
)


def normalize(news: Props, default_sandbox: str) -> dict[str, Any]:
    """Defaults applied: the sandbox, ``path_type`` inferred from the path, and for delimited files
    Adobe's documented defaults spelled out (',' and UTF-8) so that the echo of a GET never diffs."""
    inputs = DEFINITION.normalize(news, default_sandbox)
    if inputs.get("data_format") == "delimited":
        for prop, default in (("column_delimiter", DEFAULT_COLUMN_DELIMITER), ("encoding", DEFAULT_ENCODING)):
            if inputs.get(prop) is None:
                inputs[prop] = default
    path = inputs.get("path")
    if inputs.get("path_type") is None and isinstance(path, str) and not is_unknown(path):
        inputs["path_type"] = "folder" if rules.is_folder_path(path) else "file"
    return inputs


def check(inputs: Props) -> list[CheckFailure]:
    """Every rule, each failure naming its property; unknown values are skipped."""
    return DEFINITION.check(inputs) + _format_failures(inputs) + _path_failures(inputs)


def _format_failures(inputs: Props) -> list[CheckFailure]:
    data_format = inputs.get("data_format")
    if data_format not in FORMAT_PROPERTIES:
        return []
    allowed = FORMAT_PROPERTIES[data_format]
    return [
        CheckFailure(prop, f"applies only to {_formats_with(prop)} files, not {data_format}: remove it")
        for prop in DATA_PROPERTY_KEYS
        if inputs.get(prop) is not None and prop not in allowed
    ]


def _formats_with(prop: str) -> str:
    return " or ".join(f for f in SOURCE_FORMATS if prop in FORMAT_PROPERTIES[f])


def _path_failures(inputs: Props) -> list[CheckFailure]:
    path, path_type = inputs.get("path"), inputs.get("path_type")
    if not isinstance(path, str) or is_unknown(path) or path_type not in PATH_TYPES:
        return []
    failures: list[CheckFailure] = []
    if path_type == "file" and rules.is_folder_path(path):
        failures.append(CheckFailure("path_type", "must be 'folder' for a wildcard or a path ending in '/'"))
    recursive = inputs.get("recursive")
    if path_type == "file" and recursive is True:
        failures.append(CheckFailure("recursive", "applies only to folders: remove it or use a folder path"))
    return failures


def create_body(props: Props) -> dict[str, Any]:
    """The ``POST /sourceConnections`` body for checked, normalized inputs (§3.1)."""
    properties = {key: props[prop] for prop, key in DATA_PROPERTY_KEYS.items() if props.get(prop) is not None}
    params: dict[str, Any] = {"path": props["path"], "type": props["path_type"]}
    if props.get("recursive") is not None:
        params["recursive"] = props["recursive"]
    body: dict[str, Any] = {
        "name": props["name"],
        "baseConnectionId": props["base_connection_id"],
        "data": {"format": props["data_format"], **({"properties": properties} if properties else {})},
        "params": params,
        "connectionSpec": {"id": AZURE_BLOB_SPEC_ID, "version": SPEC_VERSION},
    }
    return with_description(body, props)


#: Name and description change in place; content changes replace (Adobe advises new source connections).
patch_ops, diff = name_and_description_ops, DEFINITION.diff


def outputs(props: Props, item: Mapping[str, Any], sandbox: str) -> dict[str, Any]:
    """Outputs from a ``GET /sourceConnections/{id}`` item: what Adobe reports, over the declared inputs."""
    data = item.get("data") or {}
    params = item.get("params") or {}
    properties = data.get("properties") or {}
    recursive = params.get("recursive", props.get("recursive"))
    outs: dict[str, Any] = {k: props.get(k) for k in DEFINITION.input_names if props.get(k) is not None}
    outs.update(
        name=item.get("name", props.get("name")),
        description=item.get("description"),
        base_connection_id=item.get("baseConnectionId"),
        path=params.get("path"),
        path_type=params.get("type"),
        recursive=recursive.lower() == "true" if isinstance(recursive, str) else recursive,
        data_format=data.get("format"),
        **{prop: properties.get(key) for prop, key in DATA_PROPERTY_KEYS.items()},
        sandbox_name=item.get("sandboxName") or sandbox,
        source_connection_id=item.get("id"),
        etag=item.get("etag"),
        state=item.get("state"),
        created_at=item.get("createdAt"),
        updated_at=item.get("updatedAt"),
    )
    return outs


def inputs_from_outputs(outs: Props) -> dict[str, Any]:
    """The input view of a refreshed state, so the next preview diffs against reality."""
    return {k: outs[k] for k in DEFINITION.input_names if outs.get(k) is not None}
