"""The plugin as users get it: the working tree's launcher (scripts/pulumi) and the released archive."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import emulator, fresh_emulator  # noqa: F401 - shared fixtures
from tests.e2e.harness import PulumiCli, PulumiProject, configure

from .harness import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(1800)]

# Building the archive resolves pulumi-aep's dependencies into a zipapp: a few minutes cold, ~1 min warm.
ARCHIVE_TIMEOUT_SECONDS = 1200
VERSION = "0.1.0"  # checked against pyproject.toml below, so a release bump fails here first

YAML_PROGRAM = """\
name: aep-archive
runtime: yaml
config:
  connectionString:
    type: string
    secret: true
resources:
  conn:
    type: aep:index:AzureBlobConnection
    properties:
      name: archive-{suffix}
      container: landing
      connectionString: ${{connectionString}}
outputs:
  id: ${{conn.connectionId}}
"""


def _own_schema() -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "pulumi_aep.plugin", "--schema"], capture_output=True, check=True, timeout=60
    ).stdout
    schema: dict[str, Any] = json.loads(out)
    return schema


def _yaml_project(cli: PulumiCli, work: Path) -> PulumiProject:
    work.mkdir()
    (work / "Pulumi.yaml").write_text(YAML_PROGRAM.format(suffix=uuid.uuid4().hex[:8]))
    return PulumiProject(cli=cli, work_dir=work, stack=f"t{uuid.uuid4().hex[:10]}")


def _up_then_destroy(project: PulumiProject, server: Any) -> str:
    """Create the program's one connection in SERVER (the emulator), check it, destroy it; return up's output."""
    project.init()
    try:
        configure(project, server.base_url)
        up = project.up()
        [created] = server.control.connections()
        assert project.outputs()["id"] == created["id"]
        project.destroy()
        assert server.control.connections() == []
    finally:
        project.destroy(check=False)
        project.remove()
    return up.stdout + up.stderr


def test_launcher_without_a_checkout_says_what_to_do(pulumi_shims: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_AEP_")}

    proc = subprocess.run(
        [str(pulumi_shims / "pulumi-resource-aep")], env=env, capture_output=True, text=True, timeout=60
    )

    assert proc.returncode == 1
    assert "PULUMI_AEP_REPO is not set" in proc.stderr
    assert "scripts/pulumi" in proc.stderr


def test_scripts_pulumi_runs_a_yaml_program_on_the_working_tree_plugin(
    tmp_path: Path,
    fresh_emulator: Any,  # noqa: F811
) -> None:
    # scripts/pulumi keeps PULUMI_HOME/backend/passphrase when set: the isolated ones of PulumiCli.
    wrapper = tmp_path / "bin" / "pulumi"
    wrapper.parent.mkdir()
    # The marker keeps ensure-pulumi.sh from taking this wrapper for a CLI of its own (and recursing).
    wrapper.write_text(f'#!/bin/sh\n# pulumi-aep wrapper\nexec {REPO / "scripts" / "pulumi"} "$@"\n')
    wrapper.chmod(0o755)
    project = _yaml_project(PulumiCli(shims=wrapper.parent, root=tmp_path / "pulumi"), tmp_path / "program")

    output = _up_then_destroy(project, fresh_emulator)

    assert "using pulumi-resource-aep from $PATH" in output


@pytest.fixture(scope="session")
def plugin_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [str(REPO / "scripts" / "plugin-archive.sh")],
        env={**os.environ, "PULUMI_AEP_DIST": str(dist)},
        capture_output=True,
        text=True,
        timeout=ARCHIVE_TIMEOUT_SECONDS,
        check=False,
    )
    assert proc.returncode == 0, f"scripts/plugin-archive.sh failed:\n{proc.stderr[-4000:]}"
    return Path(proc.stdout.strip().splitlines()[-1])


@pytest.fixture
def installed(plugin_archive: Path, pulumi_shims: Path, tmp_path: Path) -> PulumiProject:
    """An empty YAML project whose PULUMI_HOME has the archive installed, with no working tree in reach."""
    cli = PulumiCli(
        shims=pulumi_shims,
        root=tmp_path / "pulumi",
        # PULUMI_AEP_REPO is dropped with the other PULUMI_* variables, so the shims' launcher cannot serve;
        # ignoring ambient plugins makes the engine take the installed one rather than that launcher.
        extra_env={
            "PULUMI_IGNORE_AMBIENT_PLUGINS": "true",
            "PULUMI_DISABLE_REGISTRY_RESOLVE": "true",
            "PYTHONPATH": "",
        },
    )
    project = _yaml_project(cli, tmp_path / "program")
    project.run("plugin", "install", "resource", "aep", VERSION, "-f", str(plugin_archive))
    return project


def test_archive_is_named_after_the_project_version(plugin_archive: Path) -> None:
    pyproject = (REPO / "pyproject.toml").read_text()

    assert f'version = "{VERSION}"' in pyproject
    assert plugin_archive.name == f"pulumi-resource-aep-v{VERSION}-linux-amd64.tar.gz"


def test_installed_plugin_is_listed_with_its_version(installed: PulumiProject) -> None:
    plugins = json.loads(installed.run("plugin", "ls", "--json").stdout)

    assert {"name": "aep", "kind": "resource", "version": VERSION} in [
        {k: p[k] for k in ("name", "kind", "version")} for p in plugins
    ]


def test_installed_plugin_serves_the_schema(installed: PulumiProject) -> None:
    schema = json.loads(installed.run("package", "get-schema", "aep").stdout)

    assert schema == _own_schema()
    assert "aep:index:AzureBlobConnection" in schema["resources"]


def test_installed_plugin_runs_a_yaml_program_up_and_down(
    installed: PulumiProject,
    fresh_emulator: Any,  # noqa: F811
) -> None:
    output = _up_then_destroy(installed, fresh_emulator)

    assert "from $PATH" not in output
