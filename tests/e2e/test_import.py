"""Import of an existing connection: what the pinned engine does, and the supported adopt path.

With CLI 3.274.1 and SDK 3.272.0, both `pulumi import` and `ResourceOptions(import_=...)` reach the
dynamic provider's `Read` with neither prior properties nor inputs, so the SDK cannot find the
serialized provider (`KeyError: '__provider'`, pulumi/pulumi#16175). These tests pin that down, so a
fixed engine or SDK shows up as a failing test and the README can be updated; `adopt_existing_id` is
the supported way to take over a connection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from aep_emulator.testing import fetch_token, platform_headers
from tests.e2e.harness import CONNECTION_STRING, PulumiProject
from tests.helpers.emulator import blob_connection_body

pytestmark = [pytest.mark.e2e, pytest.mark.emulator]

TYPE_TOKEN = "pulumi-python:dynamic/aep:AzureBlobConnection"


def create_out_of_band(base_url: str) -> str:
    """A connection made by hand (as in Adobe's tutorial), outside any Pulumi stack."""
    params = {"connectionString": CONNECTION_STRING, "container": "landing", "folderPath": "/in"}
    response = requests.post(
        base_url + "/data/foundation/flowservice/connections",
        headers=platform_headers(fetch_token(base_url)),
        json=blob_connection_body(name="made by hand", params=params),
        timeout=10,
    )
    assert response.status_code == 201, response.text
    connection_id: str = response.json()["id"]
    return connection_id


@pytest.fixture
def adopt_project(configured_project: Callable[[str], PulumiProject]) -> PulumiProject:
    return configured_project("tests/e2e/programs/adopt")


def test_pulumi_import_cannot_read_a_dynamic_resource(
    adopt_project: PulumiProject, fresh_emulator: Any
) -> None:
    existing = create_out_of_band(fresh_emulator.base_url)
    adopt_project.config("existingId", existing)
    result = adopt_project.run("import", TYPE_TOKEN, "imported", existing, "--yes", check=False)
    assert result.returncode != 0
    assert "KeyError: '__provider'" in result.stdout + result.stderr
    assert [c["id"] for c in fresh_emulator.control.connections()] == [existing]


def test_import_option_cannot_read_a_dynamic_resource(
    adopt_project: PulumiProject, fresh_emulator: Any
) -> None:
    existing = create_out_of_band(fresh_emulator.base_url)
    adopt_project.config("existingId", existing)
    adopt_project.config("mode", "import")
    result = adopt_project.up(check=False)
    assert result.returncode != 0
    assert "KeyError: '__provider'" in result.stdout + result.stderr
    assert [c["name"] for c in fresh_emulator.control.connections()] == ["made by hand"]


def test_adopt_existing_id_takes_over_the_connection(
    adopt_project: PulumiProject, fresh_emulator: Any
) -> None:
    existing = create_out_of_band(fresh_emulator.base_url)
    adopt_project.config("existingId", existing)
    adopt_project.up()

    assert adopt_project.outputs()["connectionId"] == existing
    stored = fresh_emulator.control.connections()
    assert [(c["id"], c["name"]) for c in stored] == [(existing, "adopted by pulumi")]
    adopt_project.preview("--expect-no-changes")

    adopt_project.destroy()
    assert fresh_emulator.control.connections() == []
