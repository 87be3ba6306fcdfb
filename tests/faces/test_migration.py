"""The migration guide (examples/migration/README.md), end to end: a dynamic-provider connection moves to
the plugin resource without being re-created (state delete + import), then is managed by the plugin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pulumi_aep.definition import RESOURCE_TYPE
from tests.e2e.harness import PulumiProject
from tests.e2e.test_lifecycle import ROTATED
from tests.faces.harness import DYNAMIC_TYPE, Face
from tests.faces.test_behaviour import assert_no_plaintext, ids_in_state

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.slow]


def test_dynamic_connection_moves_to_the_plugin_without_recreation(
    project_factory: Callable[[Face, str], PulumiProject], fresh_emulator: Any
) -> None:
    plugin = Face("plugin-python")
    project = project_factory(plugin, fresh_emulator.base_url)
    try:
        project.config("face", "dynamic")
        project.up()
        connection_id = project.outputs()["id"]
        urn = next(r["urn"] for r in project.export()["deployment"]["resources"] if r["type"] == DYNAMIC_TYPE)

        # The guide's steps: forget the dynamic resource, switch the program, import by id.
        project.run("state", "delete", urn, "--yes", "--stack", project.stack)
        assert [c["id"] for c in fresh_emulator.control.connections()] == [connection_id]
        project.config("face", "plugin")
        project.run(
            "import",
            RESOURCE_TYPE,
            "conn",
            connection_id,
            "--yes",
            "--protect=false",
            "--generate-code=false",
        )
        project.preview("--expect-no-changes")
        project.up("--expect-no-changes")  # records the declared credentials as the resource's inputs
        assert ids_in_state(project, plugin) == [connection_id]
        assert ids_in_state(project, Face("dynamic")) == []

        # Managed by the plugin from now on: a key rotation is an in-place update of the same connection.
        project.config("connectionString", ROTATED, secret=True)
        project.up()
        stored = fresh_emulator.control.connections()
        assert [(c["id"], c["auth"]["params"]["connectionString"]) for c in stored] == [
            (connection_id, ROTATED)
        ]
        assert_no_plaintext(str(project.export()) + "\n".join(project.log))
        project.destroy()
        assert fresh_emulator.control.connections() == []
    finally:
        project.destroy(check=False)
        project.remove()
