"""The walking skeleton end to end: the quickstart through the real CLI against the emulator."""

from __future__ import annotations

import base64
import json
import re
import subprocess
from collections.abc import Callable
from typing import Any

import pytest

from aep_emulator import defaults
from tests.e2e.harness import ACCOUNT_KEY, CONNECTION_STRING, PulumiProject, configure

pytestmark = [pytest.mark.e2e, pytest.mark.emulator]

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def provider_pickles(state: dict[str, Any]) -> list[bytes]:
    """The decoded `__provider` values of every dynamic resource in an exported stack."""
    found = []
    for res in state["deployment"].get("resources", []):
        value = res.get("inputs", {}).get("__provider")
        if isinstance(value, str):
            found.append(base64.b64decode(value))
    return found


__all__ = ["ACCOUNT_KEY", "CONNECTION_STRING", "configure"]  # shared with other suites


@pytest.fixture
def quickstart(configured_project: Callable[[str], PulumiProject]) -> PulumiProject:
    return configured_project("quickstart")


def test_quickstart_lifecycle_leaves_nothing_behind(quickstart: PulumiProject, fresh_emulator: Any) -> None:
    quickstart.up()
    outputs = quickstart.outputs()
    assert UUID_RE.match(outputs["connectionId"]), outputs
    assert re.fullmatch(r'"[0-9a-f]{8}-0000-0200-0000-[0-9a-f]{12}"', outputs["etag"]), outputs
    stored = fresh_emulator.control.connections()
    assert [c["id"] for c in stored] == [outputs["connectionId"]]

    quickstart.preview("--expect-no-changes")
    quickstart.refresh("--expect-no-changes")
    quickstart.preview("--expect-no-changes")

    quickstart.destroy()
    assert fresh_emulator.control.connections() == []


def test_state_holds_no_plaintext_secret(quickstart: PulumiProject) -> None:
    quickstart.up()
    exported = json.dumps(quickstart.export())
    for secret in (CONNECTION_STRING, ACCOUNT_KEY, defaults.DEFAULT_CLIENT_SECRET):
        assert secret not in exported
    outputs = json.dumps(quickstart.outputs())
    assert ACCOUNT_KEY not in outputs


def test_provider_is_pickled_by_reference(quickstart: PulumiProject) -> None:
    quickstart.up()
    pickles = provider_pickles(quickstart.export())
    assert pickles, "no dynamic resource with a __provider input in state"
    for raw in pickles:
        assert len(raw) < 200, f"__provider pickle is {len(raw)} bytes: {raw!r}"
        assert b"pulumi_aep.provider" in raw
        assert b"AzureBlobConnectionProvider" in raw


def test_second_up_reports_no_changes(quickstart: PulumiProject) -> None:
    quickstart.up()
    again: subprocess.CompletedProcess[str] = quickstart.up()
    # The stack and the connection, both unchanged; nothing created, updated or replaced.
    assert re.search(r"Resources:\s+2 unchanged\s", again.stdout), again.stdout
