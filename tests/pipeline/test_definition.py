"""The declarative definitions: §11's mutability table, and data a schema generator can rely on."""

from __future__ import annotations

import re

import pytest

from pulumi_aep.pipeline import dataflow, dataset, source_connection, target_connection
from pulumi_aep.pipeline.definition import ResourceDefinition

DEFINITIONS = [
    source_connection.DEFINITION,
    dataset.DEFINITION,
    target_connection.DEFINITION,
    dataflow.DEFINITION,
]


@pytest.mark.parametrize(
    ("definition", "in_place"),
    [
        (source_connection.DEFINITION, {"name", "description"}),
        (dataset.DEFINITION, {"name", "description"}),
        (target_connection.DEFINITION, {"name", "description"}),
        (
            dataflow.DEFINITION,
            {"name", "description", "schedule", "mapping_id", "mapping_version", "enabled"},
        ),
    ],
    ids=lambda d: d.name if isinstance(d, ResourceDefinition) else "",
)
def test_only_the_documented_fields_change_in_place(
    definition: ResourceDefinition, in_place: set[str]
) -> None:
    assert set(definition.updatable) == in_place
    assert "sandbox_name" in definition.replacing


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.name)
def test_properties_are_snake_case_described_and_unique(definition: ResourceDefinition) -> None:
    names = [p.name for p in definition.inputs] + [o.name for o in definition.outputs]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", n) for n in names)
    assert all(p.description.strip() for p in definition.inputs)
    assert all(o.description.strip() for o in definition.outputs)
    assert all(p.required_hint for p in definition.inputs if p.required)


def test_no_pipeline_input_is_a_secret() -> None:
    # None of these carries a credential: the secrets live on the base connection.
    assert [p.name for d in DEFINITIONS for p in d.inputs if p.secret] == []


def test_schedule_fields_are_declared_for_the_schema() -> None:
    fields = dataflow.DEFINITION.input("schedule").fields
    assert [f.name for f in fields] == ["frequency", "interval", "start_time", "backfill"]
    assert [f.name for f in fields if f.required] == ["frequency", "start_time"]


def test_unknown_input_name_raises() -> None:
    with pytest.raises(KeyError):
        dataflow.DEFINITION.input("frequency")
