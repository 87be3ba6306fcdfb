"""Secret scans of every face through the real CLI: no secret in plaintext in state, outputs, logs or errors.

One stack declares a connection per auth type (connection string, SAS URI, service principal). Every
command runs at ``-v=9 --logtostderr --logflow``: the engine logs at that level and passes ``-v=9
--logtostderr`` to the provider, which then logs its calls and HTTP requests (``pulumi_aep.logs``) to
stderr, shown by the CLI; the test asserts those provider logs are in the text it scans. Scanned for:
the client secret, the connection string and its account key, the SAS URI and its signature, the
service-principal key, a static access token, and every access token the emulator issued in the run.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pytest

from aep_emulator import defaults
from aep_emulator.testing import fetch_token
from tests.e2e.harness import PulumiProject
from tests.faces.conftest import make_face_project
from tests.faces.harness import PROGRAMS, Face
from tests.helpers.secret_scan import issued_tokens, leaks
from tests.provider.helpers import account_key, connection_string, sas_uri, service_principal

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.slow]

VERBOSE: Final = ("-v=9", "--logtostderr", "--logflow")


def http_logged(text: str, status: int) -> bool:
    """Whether urllib3's DEBUG line of a create answered ``status`` is in ``text`` (as is, or inside the
    engine's JSON log lines): proof that the provider process logged at -v=9 and that it was scanned."""
    return (
        re.search(rf'POST /data/foundation/flowservice/connections HTTP/1\.1\\*" {status}', text) is not None
    )


@dataclass
class Scan:
    """The secrets of one run and every text the run produced, by label."""

    project: PulumiProject
    secrets: dict[str, str]
    texts: dict[str, str] = field(default_factory=dict)

    def run(self, label: str, proc: subprocess.CompletedProcess[str]) -> str:
        """Keep ``proc``'s output for the scan and return it."""
        self.texts[label] = proc.stdout + proc.stderr
        return self.texts[label]

    def found(self, emulator: Any) -> dict[str, list[str]]:
        """Label -> names of the secrets found in its text (the emulator's issued tokens included)."""
        self.secrets.update(issued_tokens(emulator))
        return {label: names for label, text in self.texts.items() if (names := leaks(text, self.secrets))}


@pytest.fixture
def scan(
    face: Face, pulumi_shims: Path, plugin_dir: Path, tmp_path: Path, fresh_emulator: Any
) -> Iterator[Scan]:
    """FACE's scan program (one connection per auth type) on a fresh stack with fresh secrets."""
    fresh_emulator.control.reset(tokens=True)  # issued_tokens() then lists this run's tokens only
    key = account_key()
    principal = service_principal()
    secrets = {
        "client secret": defaults.DEFAULT_CLIENT_SECRET,
        "connection string": connection_string("scanacct", key),
        "account key": key,
        "account key (unpadded)": key.rstrip("="),
        "SAS URI": sas_uri("scanacct"),
        "service-principal key": principal["service_principal_key"],
    }
    secrets["SAS signature"] = secrets["SAS URI"].rsplit("sig=", 1)[1]
    project = make_face_project(
        face, pulumi_shims, plugin_dir, tmp_path, fresh_emulator.base_url, PROGRAMS / "scan"
    )
    project.config("connectionString", secrets["connection string"], secret=True)
    project.config("sasUri", secrets["SAS URI"], secret=True)
    project.config("spKey", secrets["service-principal key"], secret=True)
    yield Scan(project, secrets)
    fresh_emulator.control.clear_faults()
    project.destroy(check=False)
    project.remove()


def test_no_secret_in_state_outputs_or_verbose_logs(face: Face, scan: Scan, fresh_emulator: Any) -> None:
    project = scan.project
    up = scan.run("up -v=9", project.up(*VERBOSE))
    # The provider process logged at -v=9 and its logs are in the scanned text: HTTP requests (both
    # faces), and each gRPC call the plugin served.
    assert http_logged(up, 201), up[-3000:]
    if face.is_plugin:
        assert "Create(urn:pulumi:" in up, up[-3000:]
    scan.run("preview --diff -v=9", project.preview("--diff", *VERBOSE))
    scan.run("refresh -v=9", project.refresh(*VERBOSE))
    # A static access token, and an update (the PATCH carries the credentials again).
    scan.secrets["static access token"] = fetch_token(fresh_emulator.base_url)
    project.config("aep:accessToken", scan.secrets["static access token"], secret=True)
    project.config("description", "rotated")
    scan.run("up (update) -v=9", project.up(*VERBOSE))
    scan.run("refresh (static token) -v=9", project.refresh(*VERBOSE))
    scan.run("stack export", project.run("stack", "export", "--stack", project.stack))
    outputs = scan.run(
        "stack output --json", project.run("stack", "output", "--json", "--stack", project.stack)
    )
    scan.run("stack output", project.run("stack", "output", "--stack", project.stack))
    assert len(fresh_emulator.control.connections()) == 3
    scan.run("destroy -v=9", project.destroy(*VERBOSE))
    assert fresh_emulator.control.connections() == []

    assert scan.found(fresh_emulator) == {}
    exported = json.loads(outputs)
    assert (exported["connectionString"], exported["sasUri"], exported["servicePrincipal"]) == (
        "[secret]",
    ) * 3
    assert len(scan.secrets) >= 10, sorted(scan.secrets)  # 8 above, and at least 2 tokens issued


def test_no_secret_in_api_errors(face: Face, scan: Scan, fresh_emulator: Any) -> None:
    """Every create (one per auth type) answered 401, 500, then 503 by the emulator: each failing `up` at -v=9."""
    # One resend of a 503 and no reconcile wait: the error paths, not the retry budget, are under test.
    scan.project.config("aep:maxRetries", "1")
    scan.project.config("aep:reconcileSeconds", "0")
    for status in (401, 500, 503):
        fresh_emulator.control.clear_faults()
        fresh_emulator.control.inject_fault("POST", "/connections", count=1000, status=status)
        result = scan.project.up(*VERBOSE, check=False)
        said = scan.run(f"up -v=9 (HTTP {status})", result)
        assert result.returncode != 0, said[-3000:]
        assert http_logged(said, status), said[-3000:]
    assert fresh_emulator.control.connections() == []
    assert scan.found(fresh_emulator) == {}
