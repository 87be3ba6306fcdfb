"""Fixtures for end-to-end tests: the real CLI, an in-process emulator, throwaway stacks."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import prerequisite_missing
from tests.e2e.harness import REPO, PulumiCli, PulumiProject, configure, copy_program, find_pulumi_shims


@pytest.fixture(scope="session")
def pulumi_shims() -> Path:
    shims = find_pulumi_shims()
    if shims is None:
        prerequisite_missing("the pulumi CLI (run `make engine`; scripts/ensure-pulumi.sh failed)")
    return shims


@pytest.fixture(scope="session")
def emulator() -> Iterator[object]:
    try:
        from aep_emulator.server import EmulatorServer
    except ImportError as exc:  # pragma: no cover - only when the package is broken
        prerequisite_missing(f"the aep_emulator package ({exc})")
    with EmulatorServer(port=0) as server:
        yield server


@pytest.fixture
def fresh_emulator(emulator: object) -> object:
    emulator.control.reset()  # type: ignore[attr-defined]
    return emulator


@pytest.fixture
def make_project(pulumi_shims: Path, tmp_path: Path) -> Iterator[Callable[[str], PulumiProject]]:
    """Copy an example into a temp dir and give it a unique stack in an isolated backend."""
    made: list[PulumiProject] = []

    def make(program: str) -> PulumiProject:
        """PROGRAM is an example name (examples/NAME) or a path relative to the repository."""
        src = REPO / program if "/" in program else REPO / "examples" / program
        cli = PulumiCli(shims=pulumi_shims, root=tmp_path / "pulumi")
        # Two stacks of one program (issue 11's D1 and chaos runs) get a directory each.
        work = copy_program(src, tmp_path / (src.name if not made else f"{src.name}-{len(made)}"))
        project = PulumiProject(cli=cli, work_dir=work, stack=f"t{uuid.uuid4().hex[:10]}")
        project.init()
        made.append(project)
        return project

    yield make
    for project in made:
        project.destroy(check=False)
        project.remove()


@pytest.fixture
def configured_project(
    make_project: Callable[[str], PulumiProject], fresh_emulator: Any
) -> Callable[[str], PulumiProject]:
    """`make_project`, with the stack pointed at the fresh emulator (credentials, connection string)."""

    def make(program: str) -> PulumiProject:
        project = make_project(program)
        configure(project, fresh_emulator.base_url)
        return project

    return make
