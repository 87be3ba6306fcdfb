"""Fixtures for the engine tests: the real CLI (built if needed) and throwaway projects and stacks."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import prerequisite_missing

from .harness import REPO, Project, ensure_pulumi

# The language host is not an installed package: make `import langhost` work for its unit tests.
sys.path.insert(0, str(REPO / "scripts"))


@pytest.fixture(scope="session")
def pulumi_shims() -> Path:
    """The shims dir from scripts/ensure-pulumi.sh; skip (fail under CI=true) when there is no CLI."""
    shims, log = ensure_pulumi()
    if shims is None:
        prerequisite_missing(f"the pulumi CLI: scripts/ensure-pulumi.sh failed:\n{log[-3000:]}")
    return shims


@pytest.fixture
def project(pulumi_shims: Path, tmp_path: Path) -> Iterator[Project]:
    """The fixture program in a temp dir, with a fresh stack that is destroyed and removed afterwards."""
    proj = Project.create(pulumi_shims, tmp_path)
    proj.init()
    try:
        yield proj
    finally:
        proj.cleanup()
