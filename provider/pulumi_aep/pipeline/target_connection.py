"""``DataLakeTargetConnection``: where a flow writes, a dataset and its schema in the Data Lake (§4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pulumi_aep.pipeline import common, rules
from pulumi_aep.pipeline.definition import (
    Output,
    Property,
    Props,
    ResourceDefinition,
)
from pulumi_aep.pipeline.facts import (
    DATA_LAKE_SPEC_ID,
    DEFAULT_SCHEMA_VERSION,
    DEFAULT_TARGET_FORMAT,
    SPEC_VERSION,
    TARGET_FORMATS,
)
from pulumi_aep.pipeline.patching import (
    name_and_description_ops,
    with_description,
)

_KIND: Final = "target connection"
#: Dataset, schema and format replace: PATCHing them is what Adobe's UPD-FLOW TIP warns against (§3.5, §11).
DEFINITION: Final = ResourceDefinition(
    name="DataLakeTargetConnection",
    description="A Flow Service target connection to the Data Lake: the dataset a flow writes to.",
    inputs=(
        common.name(_KIND),
        common.description(_KIND),
        Property(
            "dataset_id",
            "string",
            "The Catalog dataset the flow writes to (a Dataset's dataset_id).",
            required=True,
            replaces=True,
            required_hint="pass a Dataset's dataset_id",
            rule=rules.dataset_id,
        ),
        Property(
            "schema_id",
            "string",
            "The $id of the dataset's XDM schema.",
            required=True,
            replaces=True,
            required_hint="the dataset's XDM schema $id (a Dataset's schema_id)",
            rule=rules.schema_id,
        ),
        Property(
            "schema_version",
            "string",
            "The schema version; the default asks for the latest minor version.",
            replaces=True,
            default=DEFAULT_SCHEMA_VERSION,
            rule=rules.schema_version,
        ),
        Property(
            "data_format",
            "string",
            f"The target format: {', '.join(TARGET_FORMATS)} (default {DEFAULT_TARGET_FORMAT}).",
            replaces=True,
            default=DEFAULT_TARGET_FORMAT,
            rule=rules.one_of(TARGET_FORMATS),
        ),
        common.SANDBOX_NAME,
    ),
    outputs=(
        Output("target_connection_id", "string", "The target connection's id."),
        Output("etag", "string", "The current version, sent as If-Match on updates."),
        Output("state", "string", "enabled, draft, ... as Flow Service reports it."),
        Output("created_at", "integer", "Creation time, epoch milliseconds."),
        Output("updated_at", "integer", "Last update time, epoch milliseconds."),
    ),
)


#: The definition's own defaults (sandbox, schema version, format), rules and diff; name and
#: description change in place, everything else replaces.
normalize, check, diff = DEFINITION.normalize, DEFINITION.check, DEFINITION.diff
patch_ops = name_and_description_ops


def create_body(props: Props) -> dict[str, Any]:
    """The ``POST /targetConnections`` body for checked, normalized inputs (§4.1)."""
    body: dict[str, Any] = {
        "name": props["name"],
        "data": {
            "format": props["data_format"],
            "schema": {"id": props["schema_id"], "version": props["schema_version"]},
        },
        "params": {"dataSetId": props["dataset_id"]},
        "connectionSpec": {"id": DATA_LAKE_SPEC_ID, "version": SPEC_VERSION},
    }
    return with_description(body, props)


def outputs(props: Props, item: Mapping[str, Any], sandbox: str) -> dict[str, Any]:
    """Outputs from a ``GET /targetConnections/{id}`` item, over the declared inputs."""
    data = item.get("data") or {}
    schema = data.get("schema") or {}
    outs: dict[str, Any] = {k: props.get(k) for k in DEFINITION.input_names if props.get(k) is not None}
    outs.update(
        name=item.get("name", props.get("name")),
        description=item.get("description"),
        dataset_id=(item.get("params") or {}).get("dataSetId"),
        schema_id=schema.get("id"),
        schema_version=schema.get("version"),
        # COLLECT omits the format (§4.1): an absent echo keeps the declared one.
        data_format=data.get("format") or props.get("data_format"),
        sandbox_name=item.get("sandboxName") or sandbox,
        target_connection_id=item.get("id"),
        etag=item.get("etag"),
        state=item.get("state"),
        created_at=item.get("createdAt"),
        updated_at=item.get("updatedAt"),
    )
    return outs


def inputs_from_outputs(outs: Props) -> dict[str, Any]:
    """The input view of a refreshed state, so the next preview diffs against reality."""
    return {k: outs[k] for k in DEFINITION.input_names if outs.get(k) is not None}
