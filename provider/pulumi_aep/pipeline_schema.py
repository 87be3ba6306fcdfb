"""The pipeline resources in the plugin's package schema (``aep:index:<Name>``), derived from their
definitions in ``pulumi_aep.pipeline``."""

from __future__ import annotations

from typing import Any, Final

from pulumi_aep.definition import PACKAGE, camel
from pulumi_aep.pipeline.definition import Output, Property, ResourceDefinition
from pulumi_aep.pipeline_core import DEFINITIONS

#: The object type of ``Dataflow.schedule``.
SCHEDULE_TYPE: Final = f"{PACKAGE}:index:Schedule"


def _spec(prop: Property | Output) -> dict[str, Any]:
    spec: dict[str, Any] = (
        {"$ref": f"#/types/{SCHEDULE_TYPE}"} if prop.type == "object" else {"type": prop.type}
    )
    spec["description"] = prop.description
    if prop.secret:
        spec["secret"] = True
    if isinstance(prop, Property) and prop.replaces:
        spec["replaceOnChanges"] = True
    return spec


def pipeline_resource(definition: ResourceDefinition) -> dict[str, Any]:
    """The schema's ``resources`` entry of the pipeline resource ``definition``."""
    inputs = {camel(p.name): _spec(p) for p in definition.inputs}
    outputs = {camel(o.name): _spec(o) for o in definition.outputs}
    return {
        "description": definition.description,
        "properties": {**inputs, **outputs},
        "inputProperties": inputs,
        "requiredInputs": [camel(p.name) for p in definition.inputs if p.required and p.name != "name"],
    }


def pipeline_types() -> dict[str, Any]:
    """The schema's ``types`` entries of the pipeline (the schedule)."""
    fields = DEFINITIONS["Dataflow"].input("schedule").fields
    return {
        SCHEDULE_TYPE: {
            "type": "object",
            "description": "When a dataflow runs (Adobe's scheduleParams).",
            "properties": {camel(f.name): _spec(f) for f in fields},
            "required": [camel(f.name) for f in fields if f.required],
        }
    }
