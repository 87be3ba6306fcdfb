"""Stacks written by release 0.1.0 keep working: its state loads, previews clean, refreshes and destroys.

The fixture (tests/e2e/fixtures/v0.1.0) was written by the 0.1.0 code (main at 88d00af) through the
real CLI: the lifecycle program, one connection per auth mode. The state holds secrets only as
ciphertext (passphrase ``PASSPHRASE``, salt in Pulumi.v010.yaml); the emulator's saved state has
placeholders where the test credentials go. Both point at the emulator's URL of that run, replaced
here by the test emulator's.
"""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest

from aep_emulator.server import EmulatorServer
from tests.e2e.harness import CONNECTION_STRING, PulumiCli, PulumiProject, copy_program
from tests.e2e.test_lifecycle import SAS_URI, SECRETS, SP_KEY

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.slow]

FIXTURE: Final = Path(__file__).parent / "fixtures" / "v0.1.0"
RECORDED_URL: Final = "http://127.0.0.1:18787"
DYNAMIC_TYPE: Final = "pulumi-python:dynamic/aep:AzureBlobConnection"


@pytest.fixture
def v010_emulator(tmp_path: Path) -> Iterator[EmulatorServer]:
    """An emulator holding the three connections the 0.1.0 run created (same ids, etags, params)."""
    text = (FIXTURE / "emulator-state.json").read_text()
    for placeholder, secret in (
        ("{{connectionString}}", CONNECTION_STRING),
        ("{{sasUri}}", SAS_URI),
        ("{{spKey}}", SP_KEY),
    ):
        text = text.replace(placeholder, secret)
    state = tmp_path / "emulator-state.json"
    state.write_text(text)
    with EmulatorServer(port=0, state_file=state) as server:
        yield server


def test_a_stack_written_by_0_1_0_imports_previews_refreshes_and_destroys(
    pulumi_shims: Path, tmp_path: Path, v010_emulator: EmulatorServer
) -> None:
    base = v010_emulator.base_url
    recorded = {c["id"] for c in v010_emulator.control.connections()}
    assert len(recorded) == 3

    work = copy_program(FIXTURE / "program", tmp_path / "program")
    config = (FIXTURE / "Pulumi.v010.yaml").read_text().replace(RECORDED_URL, base)
    (work / "Pulumi.v010.yaml").write_text(config)
    project = PulumiProject(
        cli=PulumiCli(shims=pulumi_shims, root=tmp_path / "pulumi"), work_dir=work, stack="v010"
    )
    project.init()
    export = tmp_path / "export.json"
    export.write_text((FIXTURE / "stack-export.json").read_text().replace(RECORDED_URL, base))
    project.run("stack", "import", "--file", str(export), "--stack", "v010")

    resources = project.export()["deployment"]["resources"]
    connections = [r for r in resources if r["type"] == DYNAMIC_TYPE]
    assert {r["id"] for r in connections} == recorded
    pickled = base64.b64decode(connections[0]["inputs"]["__provider"])
    assert b"pulumi_aep.provider" in pickled
    assert b"AzureBlobConnectionProvider" in pickled

    project.preview("--expect-no-changes")
    project.refresh()
    project.preview("--expect-no-changes")
    assert {c["id"] for c in v010_emulator.control.connections()} == recorded

    log = "\n".join(project.log) + json.dumps(project.export())
    for secret in SECRETS:
        assert secret not in log
    project.destroy()
    assert v010_emulator.control.connections() == []
    shutil.rmtree(work)
