"""``Dataset``: a Catalog dataset backed by an XDM schema, the Data Lake target's destination (§8.2)."""

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
from pulumi_aep.pipeline.facts import DATASET_SCHEMA_CONTENT_TYPE
from pulumi_aep.pipeline.patching import NAME_AND_DESCRIPTION, with_description

_KIND: Final = "dataset"
_REF_PREFIX: Final = "@/dataSets/"
#: Catalog PATCHes name and description in place ("Update a Catalog object", §8.2); the schema replaces.
DEFINITION: Final = ResourceDefinition(
    name="Dataset",
    description="A Catalog dataset that a Data Lake target connection writes to.",
    inputs=(
        common.name(_KIND),
        common.description(_KIND),
        Property(
            "schema_id",
            "string",
            "The $id of the XDM schema the dataset follows.",
            required=True,
            replaces=True,
            required_hint="the XDM schema's $id, https://ns.adobe.com/{TENANT_ID}/schemas/<hex>",
            rule=rules.schema_id,
        ),
        common.SANDBOX_NAME,
    ),
    outputs=(
        Output("dataset_id", "string", "The dataset's Catalog id (24 hex characters)."),
        Output("created_at", "integer", "Creation time, epoch milliseconds."),
        Output("updated_at", "integer", "Last update time, epoch milliseconds."),
    ),
)


#: The definition's own defaults (the sandbox), rules and diff: nothing beyond them.
normalize, check, diff = DEFINITION.normalize, DEFINITION.check, DEFINITION.diff


def create_body(props: Props) -> dict[str, Any]:
    """The ``POST /dataSets`` body for checked inputs (§8.2, CAT-DS)."""
    body: dict[str, Any] = {
        "name": props["name"],
        "schemaRef": {"id": props["schema_id"], "contentType": DATASET_SCHEMA_CONTENT_TYPE},
    }
    return with_description(body, props)


def dataset_id_from_create(answer: Any) -> str | None:
    """The new id in Catalog's create answer ``["@/dataSets/<id>"]``; None if the answer has another shape."""
    if not isinstance(answer, list) or len(answer) != 1 or not isinstance(answer[0], str):
        return None
    ref = answer[0]
    if not ref.startswith(_REF_PREFIX) or len(ref) == len(_REF_PREFIX):
        return None
    return ref[len(_REF_PREFIX) :]


def patch_body(current: Props, desired: Props) -> dict[str, Any]:
    """The ``PATCH /dataSets/{id}`` body, Catalog's "update using fields" form: the changed fields only.

    An unset description is sent as "" (the fields form cannot remove a field).
    """
    return {
        prop: desired.get(prop) or ""
        for prop in NAME_AND_DESCRIPTION
        if current.get(prop) != desired.get(prop)
    }


def outputs(props: Props, answer: Mapping[str, Any], *, dataset_id: str, sandbox: str) -> dict[str, Any]:
    """Outputs from ``GET /dataSets/{id}``, whose body is an object keyed by the id (§8.2)."""
    item = answer.get(dataset_id) or {}
    outs: dict[str, Any] = {k: props.get(k) for k in DEFINITION.input_names if props.get(k) is not None}
    outs.update(
        name=item.get("name", props.get("name")),
        description=item.get("description"),
        schema_id=(item.get("schemaRef") or {}).get("id", props.get("schema_id")),
        sandbox_name=item.get("sandboxName") or props.get("sandbox_name") or sandbox,
        dataset_id=dataset_id,
        created_at=item.get("created"),
        updated_at=item.get("updated"),
    )
    return outs


def inputs_from_outputs(outs: Props) -> dict[str, Any]:
    """The input view of a refreshed state, so the next preview diffs against reality."""
    return {k: outs[k] for k in DEFINITION.input_names if outs.get(k) is not None}
