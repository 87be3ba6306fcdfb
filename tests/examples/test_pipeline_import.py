"""`pulumi import` of a whole pipeline on the plugin face (issue 14: import on the plugin face).

examples/pipeline/yaml is brought up, its five resources are forgotten by the stack (`pulumi state
delete`: they stay on the platform, as if made by hand), then imported back by id alone from one import
file. Import only reads; afterwards the program describes what was imported (the one update is the
connection's `verify`, an act rather than a property), and `destroy` leaves nothing behind.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import PulumiProject
from tests.examples.test_pipeline_example import (
    ONE_EACH,
    any_face,
    azurite_connection_string,
    counts,
    writes,
)

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.azurite]
__all__ = ["any_face", "azurite_connection_string"]  # fixtures

#: The program's resources, dependents first (the order `pulumi state delete` accepts them in).
RESOURCES = (
    ("Dataflow", "hourly"),
    ("DataLakeTargetConnection", "lake"),
    ("Dataset", "customers"),
    ("AzureBlobSourceConnection", "csvFiles"),
    ("AzureBlobConnection", "samples"),
)


def _ids(project: PulumiProject) -> dict[str, str]:
    """``<type>/<name>`` -> id of every aep resource in the stack's state."""
    return {
        f"{r['type'].rsplit(':', 1)[-1]}/{r['urn'].rsplit('::', 1)[-1]}": r["id"]
        for r in project.export()["deployment"].get("resources") or []
        if r["type"].startswith("aep:index:")
    }


@pytest.mark.parametrize("any_face", ["yaml"], indirect=True)
def test_a_whole_pipeline_is_imported_by_id_and_matches_the_program(
    any_face: PulumiProject, fresh_emulator: Any, azurite_connection_string: str, tmp_path: Path
) -> None:
    from tests.examples.test_azurite_example import load_seeder

    load_seeder().seed(azurite_connection_string)
    project = any_face
    project.config("connectionString", azurite_connection_string, secret=True)
    project.up()
    created = _ids(project)
    assert sorted(created) == sorted(f"{t}/{n}" for t, n in RESOURCES), created

    for type_, name in RESOURCES:
        urn = next(
            r["urn"]
            for r in project.export()["deployment"]["resources"]
            if r["urn"].endswith(f"aep:index:{type_}::{name}")
        )
        project.run("state", "delete", urn, "--yes", "--stack", project.stack)
    assert _ids(project) == {}
    assert counts(fresh_emulator) == ONE_EACH  # forgotten by the stack, still on the platform

    import_file = tmp_path / "import.json"
    import_file.write_text(
        json.dumps(
            {
                "resources": [
                    {"type": f"aep:index:{t}", "name": n, "id": created[f"{t}/{n}"]} for t, n in RESOURCES
                ]
            }
        )
    )
    writes_before = len(writes(fresh_emulator))
    result = project.run(
        "import", "--file", str(import_file), "--yes", "--protect=false", "--stack", project.stack
    )
    assert _ids(project) == created, result.stdout
    assert writes(fresh_emulator)[writes_before:] == []  # import reads, never writes
    for type_ in ("AzureBlobSourceConnection", "Dataset", "DataLakeTargetConnection", "Dataflow"):
        assert f"aep:index:{type_}" in result.stdout, result.stdout  # the generated YAML declares it

    flow = next(r for r in project.export()["deployment"]["resources"] if r["type"] == "aep:index:Dataflow")
    assert flow["outputs"]["state"] == "enabled"
    assert flow["outputs"]["schedule"]["frequency"] == "hour"
    # `verify` is no property of the connection but an act at create (or update): like any such flag
    # (Terraform's force_destroy), import leaves it unset, and the program's `verify: true` is the one
    # in-place update: it verifies the imported connection. The pipeline matches the program as is.
    planned = project.preview().stdout
    assert "aep:index:AzureBlobConnection samples update [diff: +verify]" in planned, planned
    assert "1 to update" in planned, planned
    assert "5 unchanged" in planned, planned
    project.up()
    assert writes(fresh_emulator)[writes_before:] == [], "verifying writes nothing"
    project.preview("--expect-no-changes")

    project.destroy()
    assert counts(fresh_emulator) == dict.fromkeys(ONE_EACH, 0)
