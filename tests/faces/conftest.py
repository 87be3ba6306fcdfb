"""Fixtures of the face suite: one configured project per face, the plugin launcher, the emulator."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import prerequisite_missing
from tests.e2e.conftest import emulator, fresh_emulator, pulumi_shims  # noqa: F401 - shared fixtures
from tests.e2e.harness import PulumiCli, PulumiProject, configure
from tests.faces.harness import PROGRAMS, Face, write_launcher, yaml_host_available

FACES = ("dynamic", "plugin-python", "plugin-yaml")


@pytest.fixture(scope="session")
def plugin_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_launcher(tmp_path_factory.mktemp("plugin"))


@pytest.fixture(params=FACES)
def face(request: pytest.FixtureRequest, pulumi_shims: Path) -> Face:  # noqa: F811
    chosen = Face(request.param)
    if chosen.name == "plugin-yaml" and not yaml_host_available(pulumi_shims):
        prerequisite_missing("the YAML language host pulumi-language-yaml (run `make engine`)")
    return chosen


@pytest.fixture
def face_project(
    face: Face,
    pulumi_shims: Path,  # noqa: F811
    plugin_dir: Path,
    tmp_path: Path,
    fresh_emulator: Any,  # noqa: F811
) -> Iterator[PulumiProject]:
    """FACE's program in a temp dir with a fresh stack pointed at the emulator; destroyed afterwards."""
    project = make_face_project(face, pulumi_shims, plugin_dir, tmp_path, fresh_emulator.base_url)
    yield project
    project.destroy(check=False)
    project.remove()


def make_face_project(
    face: Face, shims: Path, plugin_dir: Path, tmp_path: Path, base_url: str, program: Path = PROGRAMS
) -> PulumiProject:
    """A configured project of FACE (credentials, connection string, ``face`` for the Python program);
    PROGRAM as for ``Face.lay_out``."""
    cli = PulumiCli(shims=shims, root=tmp_path / "pulumi")
    work = face.lay_out(tmp_path / f"program-{uuid.uuid4().hex[:6]}", plugin_dir, program)
    project = PulumiProject(cli=cli, work_dir=work, stack=f"t{uuid.uuid4().hex[:10]}")
    project.init()
    configure(project, base_url)
    if face.name == "plugin-python":
        project.config("face", "plugin")
    return project


@pytest.fixture
def project_factory(
    pulumi_shims: Path,  # noqa: F811
    plugin_dir: Path,
    tmp_path: Path,
) -> Callable[[Face, str], PulumiProject]:
    def make(face: Face, base_url: str) -> PulumiProject:
        return make_face_project(face, pulumi_shims, plugin_dir, tmp_path, base_url)

    return make
