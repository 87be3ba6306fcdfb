"""examples/azurite through the real CLI: a verified connection to real blob storage on Azurite."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.e2e.harness import REPO, PulumiProject
from tests.helpers.azurite import azurite_connection_string

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.azurite]

__all__ = ["azurite_connection_string"]

WRONG_KEY = "QmFkS2V5" * 11  # valid base64 (66 bytes), but not the account's key


def load_seeder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("seed_samples", REPO / "examples/azurite/seed_samples.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def seeded(azurite_connection_string: str) -> list[str]:
    return sorted(Path(name).name for name in load_seeder().seed(azurite_connection_string))


def with_wrong_key(connection_string: str) -> str:
    return re.sub(r"AccountKey=[^;]+", f"AccountKey={WRONG_KEY}", connection_string)


@pytest.fixture
def azurite_project(configured_project: Callable[[str], PulumiProject], seeded: list[str]) -> PulumiProject:
    """The azurite example, pointed at the emulator, after the sample files were uploaded."""
    return configured_project("azurite")


def test_verified_connection_lists_the_sample_files(
    azurite_project: PulumiProject, fresh_emulator: Any, azurite_connection_string: str, seeded: list[str]
) -> None:
    project = azurite_project
    project.config("connectionString", azurite_connection_string, secret=True)
    project.up()

    outputs = project.outputs()
    assert sorted(outputs["exploredFiles"]) == seeded
    assert [c["id"] for c in fresh_emulator.control.connections()] == [outputs["connectionId"]]
    project.destroy()
    assert fresh_emulator.control.connections() == []


def test_wrong_account_key_fails_clearly_and_leaves_nothing(
    azurite_project: PulumiProject, fresh_emulator: Any, azurite_connection_string: str
) -> None:
    project = azurite_project
    project.config("connectionString", with_wrong_key(azurite_connection_string), secret=True)

    failed = project.up(check=False)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert "cannot reach container 'samples'" in output, output
    assert re.search(r"the new connection [0-9a-f-]{36} was deleted again", output), output
    assert WRONG_KEY not in output
    assert fresh_emulator.control.connections() == []
    assert "pulumi-python:dynamic/aep:AzureBlobConnection" not in str(project.export())
