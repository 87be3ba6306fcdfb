"""examples/multi-org through the real CLI: two explicit providers, two orgs of the emulator, one stack."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest

from aep_emulator.server import EmulatorServer
from tests.e2e.harness import CONNECTION_STRING, PulumiCli, PulumiProject, copy_example
from tests.faces.harness import use_plugin, write_launcher

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.slow]

ORGS: Final = {"a": "ACME00000000000000000000@AdobeOrg", "b": "GLOBEX000000000000000000@AdobeOrg"}
TENANCY: Final = {
    "orgs": [{"id": org, "sandboxes": ["prod"]} for org in ORGS.values()],
    "clients": [
        {"client_id": f"client-{k}", "client_secret": f"secret-{k}-0123456789", "orgs": [org]}
        for k, org in ORGS.items()
    ],
}


@pytest.fixture
def tenants(tmp_path: Path) -> Iterator[EmulatorServer]:
    path = tmp_path / "tenancy.json"
    path.write_text(json.dumps(TENANCY))
    with EmulatorServer(port=0, config=path) as server:
        yield server


@pytest.fixture
def multi_org(pulumi_shims: Path, tmp_path: Path, tenants: EmulatorServer) -> Iterator[PulumiProject]:
    work = copy_example("multi-org", tmp_path / "multi-org")
    use_plugin(work, write_launcher(tmp_path / "plugin"))
    project = PulumiProject(
        cli=PulumiCli(shims=pulumi_shims, root=tmp_path / "pulumi"),
        work_dir=work,
        stack=f"t{uuid.uuid4().hex[:8]}",
    )
    project.init()
    project.config("aep:platformUrl", tenants.base_url)
    project.config("aep:imsUrl", tenants.base_url)
    project.config("connectionString", CONNECTION_STRING, secret=True)
    for key, org in ORGS.items():
        project.config(f"{key}OrgId", org)
        project.config(f"{key}ClientId", f"client-{key}")
        project.config(f"{key}ClientSecret", f"secret-{key}-0123456789", secret=True)
    yield project
    project.destroy(check=False)
    project.remove()


def test_each_connection_lands_in_its_own_org_and_a_cross_org_read_is_refused(
    multi_org: PulumiProject, tenants: EmulatorServer
) -> None:
    multi_org.up()
    ids = multi_org.outputs()["connectionIds"]
    stored = {c["id"]: c["imsOrgId"] for c in tenants.control.connections()}
    assert stored == {ids["a"]: ORGS["a"], ids["b"]: ORGS["b"]}
    providers = [
        r for r in multi_org.export()["deployment"]["resources"] if r["type"] == "pulumi:providers:aep"
    ]
    assert sorted(r["urn"].rsplit("::", 1)[1] for r in providers) == ["org-a", "org-b"]
    multi_org.preview("--expect-no-changes")

    # Org b's provider reading org a's connection: refused, and nothing changes.
    multi_org.config("readFromB", ids["a"])
    refused = multi_org.up(check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert ids["a"] in output
    assert "does not exist" in output, output
    assert "Traceback" not in output
    assert {c["id"] for c in tenants.control.connections()} == set(ids.values())

    multi_org.run("config", "rm", "readFromB", "--stack", multi_org.stack)
    for secret in (CONNECTION_STRING, "secret-a-0123456789", "secret-b-0123456789"):
        assert secret not in "\n".join(multi_org.log) + json.dumps(multi_org.export())
    multi_org.destroy()
    assert tenants.control.connections() == []
