"""What only the plugin can do: `pulumi import` from YAML and from Python (the dynamic face cannot: see
tests/e2e/test_import.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pulumi_aep.definition import RESOURCE_TYPE
from tests.e2e.harness import PulumiProject
from tests.e2e.test_import import create_out_of_band
from tests.e2e.test_lifecycle import patch_out_of_band
from tests.faces.harness import Face
from tests.faces.test_behaviour import assert_no_plaintext, ids_in_state

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.slow]


@pytest.mark.parametrize("face_name", ["plugin-python", "plugin-yaml"])
def test_pulumi_import_adopts_a_connection_made_outside_pulumi(
    face_name: str,
    project_factory: Callable[[Face, str], PulumiProject],
    fresh_emulator: Any,
    pulumi_shims: Any,
) -> None:
    face = Face(face_name)
    if face.name == "plugin-yaml":
        from tests.conftest import prerequisite_missing
        from tests.faces.harness import yaml_host_available

        if not yaml_host_available(pulumi_shims):
            prerequisite_missing("the YAML language host pulumi-language-yaml (run `make engine`)")
    existing = create_out_of_band(fresh_emulator.base_url)
    # The face programs declare no description: the connection made by hand has none either.
    patch_out_of_band(fresh_emulator.base_url, existing, [{"op": "remove", "path": "/description"}])
    project = project_factory(face, fresh_emulator.base_url)
    try:
        # The Python language host has no GenerateProgram: no code generation for it.
        codegen = ["--generate-code=false"] if face.name == "plugin-python" else []
        project.run("import", RESOURCE_TYPE, "conn", existing, "--yes", "--protect=false", *codegen)
        assert ids_in_state(project, face) == [existing]
        imported = next(r for r in project.export()["deployment"]["resources"] if r.get("id") == existing)
        assert imported["outputs"]["container"] == "landing"
        assert "connectionString" not in imported["outputs"]  # masked by the API: never invented

        # The program declares the credentials: that is no change, and nothing is written.
        project.config("connName", "made by hand")
        writes_before = len(fresh_emulator.control.requests())
        project.preview("--expect-no-changes")
        project.up("--expect-no-changes")
        assert not [
            r for r in fresh_emulator.control.requests()[writes_before:] if r["method"] in ("POST", "PATCH")
        ]
        assert_no_plaintext(str(project.export()) + "\n".join(project.log))
        project.destroy()
        assert fresh_emulator.control.connections() == []
    finally:
        project.destroy(check=False)
        project.remove()
