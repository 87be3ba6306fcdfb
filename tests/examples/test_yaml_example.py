"""examples/yaml through the real CLI: the plugin from a YAML program, up / no-change preview / destroy."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import prerequisite_missing
from tests.e2e.harness import CONNECTION_STRING, PulumiCli, PulumiProject, configure, copy_example
from tests.faces.harness import use_plugin, write_launcher, yaml_host_available

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.slow]


def test_yaml_example_creates_previews_clean_and_destroys(
    pulumi_shims: Path, tmp_path: Path, fresh_emulator: Any
) -> None:
    if not yaml_host_available(pulumi_shims):
        prerequisite_missing("the YAML language host pulumi-language-yaml (run `make engine`)")
    work = copy_example("yaml", tmp_path / "yaml")
    use_plugin(work, write_launcher(tmp_path / "plugin"))
    project = PulumiProject(
        cli=PulumiCli(shims=pulumi_shims, root=tmp_path / "pulumi"),
        work_dir=work,
        stack=f"t{uuid.uuid4().hex[:8]}",
    )
    project.init()
    try:
        configure(project, fresh_emulator.base_url)
        project.up()
        outputs = project.outputs()
        stored = fresh_emulator.control.connections()
        assert [c["id"] for c in stored] == [outputs["connectionId"]]
        assert stored[0]["name"] == "landing (yaml)"
        assert stored[0]["auth"]["params"]["folderPath"] == "/incoming"
        assert outputs["etag"] == stored[0]["etag"]
        project.preview("--expect-no-changes")
        assert CONNECTION_STRING not in str(project.export()) + "\n".join(project.log)
        project.destroy()
        assert fresh_emulator.control.connections() == []
    finally:
        project.destroy(check=False)
        project.remove()
