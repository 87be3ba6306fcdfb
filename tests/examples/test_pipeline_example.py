"""examples/pipeline through the real CLI, on both faces (the Python program on the dynamic provider, the
YAML program on the plugin): the whole lifecycle against the emulator + Azurite; preview checks all five
resources, bad inputs are refused at preview with the property named and nothing written."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import prerequisite_missing
from tests.e2e.harness import PulumiCli, PulumiProject, configure, copy_example
from tests.faces.harness import use_plugin, write_launcher, yaml_host_available
from tests.helpers.azurite import azurite_connection_string
from tests.helpers.pipeline import SCHEMA_ID

pytestmark = [pytest.mark.e2e, pytest.mark.emulator]
__all__ = ["azurite_connection_string"]

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
    project = configured_project("pipeline")
    project.config("schemaId", SCHEMA_ID)
    return project


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


def counts(emulator: Any) -> dict[str, int]:
    """How many of each pipeline collection the emulator holds (through the API, default credentials)."""
    from pulumi_aep.pipeline_client import pipeline_clients
    from tests.pipeline_wire.conftest import emulator_config

    flow, catalog = pipeline_clients(emulator_config(emulator.base_url))
    found = {
        c: len(flow.list_all(collection=c, sandbox="prod", filters={}))
        for c in ("sourceConnections", "targetConnections", "flows")
    }
    found["dataSets"] = len(catalog.datasets_named(sandbox="prod", name="customers"))
    found["connections"] = len(emulator.control.connections())
    return found


def deletes(emulator: Any) -> list[str]:
    """``<collection>/<id>`` of every DELETE in the emulator's log, in order."""
    return [
        "/".join(r["path"].rsplit("/", 2)[-2:])
        for r in emulator.control.requests()
        if r["method"] == "DELETE"
    ]


def flow_state(project: PulumiProject) -> dict[str, Any] | None:
    """The Dataflow's outputs in the stack's state (snake_case on both faces), or None when it has none."""
    resources = project.export()["deployment"].get("resources") or []
    found = [r for r in resources if r["type"].endswith(("aep:Dataflow", "aep:index:Dataflow"))]
    if not found:
        return None
    return {
        "".join(f"_{c.lower()}" if c.isupper() else c for c in k): v
        for k, v in (found[0].get("outputs") or {}).items()
    }


@pytest.fixture(params=["python", "yaml"])
def any_face(
    request: pytest.FixtureRequest,
    configured_project: Callable[[str], PulumiProject],
    pulumi_shims: Path,
    tmp_path: Path,
    fresh_emulator: Any,
) -> Iterator[PulumiProject]:
    """examples/pipeline (Python, dynamic provider) or examples/pipeline/yaml (YAML, the plugin)."""
    if request.param == "python":
        project = configured_project("pipeline")
        project.config("schemaId", SCHEMA_ID)
        yield project
    else:
        if not yaml_host_available(pulumi_shims):
            prerequisite_missing("the YAML language host pulumi-language-yaml (run `make engine`)")
        work = copy_example("pipeline/yaml", tmp_path / "pipeline-yaml")
        use_plugin(work, write_launcher(tmp_path / "plugin"))
        cli = PulumiCli(shims=pulumi_shims, root=tmp_path / "pulumi")
        project = PulumiProject(cli=cli, work_dir=work, stack=f"t{uuid.uuid4().hex[:8]}")
        project.init()
        configure(project, fresh_emulator.base_url)
        project.config("schemaId", SCHEMA_ID)
        yield project
        project.destroy(check=False)
        project.remove()


ONE_EACH = dict.fromkeys(("sourceConnections", "targetConnections", "flows", "dataSets", "connections"), 1)


@pytest.mark.azurite
def test_pipeline_lifecycle_through_the_cli(
    any_face: PulumiProject, fresh_emulator: Any, azurite_connection_string: str
) -> None:
    from tests.examples.test_azurite_example import load_seeder

    load_seeder().seed(azurite_connection_string)
    project = any_face
    project.config("connectionString", azurite_connection_string, secret=True)
    project.up()
    first = project.outputs()
    assert counts(fresh_emulator) == ONE_EACH
    project.preview("--expect-no-changes")

    assert first["lastRunStatus"] == "success"  # the backfill since start_time ran at create
    created = flow_state(project)
    assert created is not None
    fresh_emulator.control.advance_clock(3 * 3600)  # the next hourly runs, on the emulator's clock
    project.refresh()
    refreshed = flow_state(project)
    assert refreshed is not None
    assert refreshed["last_run_status"] == "success", refreshed
    assert refreshed["last_run_started_at"] > created["last_run_started_at"]

    project.config("flowName", "customers renamed")
    project.config("frequency", "day")
    updated = project.up()
    assert "2 updated" not in updated.stdout
    assert "1 updated" in updated.stdout, updated.stdout
    assert project.outputs()["flowId"] == first["flowId"]

    project.config("sourcePath", "/incoming/customers.csv")
    project.up()
    replaced = project.outputs()
    assert replaced["flowId"] != first["flowId"]
    assert replaced["sourceConnectionId"] != first["sourceConnectionId"]
    assert counts(fresh_emulator) == ONE_EACH
    order = deletes(fresh_emulator)
    assert order.index(f"flows/{first['flowId']}") < order.index(
        f"sourceConnections/{first['sourceConnectionId']}"
    )

    project.config("enabled", "false")
    project.up()
    assert project.outputs()["flowState"] == "disabled"
    assert project.outputs()["flowId"] == replaced["flowId"]

    from pulumi_aep.pipeline_client import pipeline_clients
    from tests.pipeline_wire.conftest import emulator_config

    pipeline_clients(emulator_config(fresh_emulator.base_url))[0].delete(
        collection="flows", sandbox="prod", entity_id=replaced["flowId"]
    )
    project.refresh()
    assert flow_state(project) is None
    project.up()
    assert project.outputs()["flowId"] not in (None, replaced["flowId"])
    assert counts(fresh_emulator) == ONE_EACH

    project.destroy()
    assert counts(fresh_emulator) == dict.fromkeys(ONE_EACH, 0)
