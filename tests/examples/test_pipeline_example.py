"""examples/pipeline through the real CLI: preview checks all five resources, bad inputs are refused at
preview with the property named and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.harness import PulumiProject

pytestmark = [pytest.mark.e2e, pytest.mark.emulator]

TYPES = [
    f"pulumi-python:dynamic/aep:{name}"
    for name in ("AzureBlobConnection", "AzureBlobSourceConnection", "Dataset", "DataLakeTargetConnection")
] + ["pulumi-python:dynamic/aep:Dataflow"]
WRITES = {"POST", "PATCH", "PUT", "DELETE"}


def writes(emulator: Any) -> list[str]:
    """Requests that could change something (IMS token requests excluded)."""
    return [
        f"{r['method']} {r['path']}"
        for r in emulator.control.requests()
        if r["method"] in WRITES and "/ims/" not in r["path"]
    ]


@pytest.fixture
def pipeline(configured_project: Callable[[str], PulumiProject]) -> PulumiProject:
    return configured_project("pipeline")


def test_preview_plans_all_five_resources_and_writes_nothing(
    pipeline: PulumiProject, fresh_emulator: Any
) -> None:
    result = pipeline.preview()
    output = result.stdout + result.stderr
    for type_ in TYPES:
        assert f"+  {type_} " in output, output
    assert "6 to create" in output, output  # the stack and its five resources
    assert writes(fresh_emulator) == []


# (config key, value, the property the error must name, a part of the reason)
BAD = [
    ("frequency", "minute", "schedule.interval", "15"),
    ("frequency", "fortnight", "schedule.frequency", "once"),
    ("sourcePath", "incoming/*.csv", "path", "/"),
    ("sourcePath", "/in*/a.csv", "path", "*"),
    ("columnDelimiter", ";;", "column_delimiter", "character"),
    ("schemaId", "not-a-schema", "schema_id", "https://ns.adobe.com/"),
    ("flowName", " ", "name", "must not be empty or blank"),
    ("datasetName", "x" * 257, "name", "256"),
]


@pytest.mark.parametrize(("key", "value", "prop", "reason"), BAD, ids=[f"{b[0]}-{b[2]}" for b in BAD])
def test_bad_input_fails_preview_naming_the_property(
    pipeline: PulumiProject, fresh_emulator: Any, key: str, value: str, prop: str, reason: str
) -> None:
    pipeline.config(key, value)
    result = pipeline.preview(check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    problem = next(line for line in output.splitlines() if "has a problem" in line)
    assert f"property {prop} value" in problem, output
    assert reason in problem, output
    assert writes(fresh_emulator) == []
