"""The pack over a YAML program's plugin connection, through the real CLI (`pulumi preview --policy-pack`).

The program is the face suite's YAML program (``tests.faces.harness``, face ``plugin-yaml``): one
``aep:index:AzureBlobConnection`` with no ``sandboxName``, so the plugin's ``Check`` fills it in from the
stack's ``aep:sandboxName`` and the policies judge that value, as they do the dynamic resource's.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from tests.conftest import prerequisite_missing
from tests.e2e.harness import PulumiCli, PulumiProject, find_pulumi_shims
from tests.faces.harness import Face, write_launcher, yaml_host_available
from tests.policy.conftest import POLICY_DIR
from tests.policy.helpers import account_key_connection_string
from tests.policy.test_e2e import lines, show

pytestmark = [pytest.mark.e2e, pytest.mark.policy]

FACE = Face("plugin-yaml")
CONNECTION = f"{FACE.type_token}: conn"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulumiProject]:
    """The YAML program's stack with an https account-key connection string; tests set the sandbox."""
    shims = find_pulumi_shims()
    if shims is None:
        prerequisite_missing("the pulumi CLI (run `make engine`; scripts/ensure-pulumi.sh failed)")
    if not yaml_host_available(shims):
        prerequisite_missing("the YAML language host pulumi-language-yaml (run `make engine`)")
    root = tmp_path_factory.mktemp("policy-e2e-yaml")
    work = FACE.lay_out(root / "program", write_launcher(root / "aep-plugin"))
    stack = PulumiProject(
        cli=PulumiCli(shims=shims, root=root / "pulumi"), work_dir=work, stack=f"y{uuid.uuid4().hex[:10]}"
    )
    stack.init()
    stack.config("connectionString", account_key_connection_string(), secret=True)
    yield stack
    stack.remove()


def preview(
    project: PulumiProject, sandbox: str, config: Mapping[str, object] | None = None, tmp: Path | None = None
) -> subprocess.CompletedProcess[str]:
    project.config("aep:sandboxName", sandbox)
    args = ["--policy-pack", str(POLICY_DIR)]
    if config is not None:
        assert tmp is not None
        (tmp / "policy-config.json").write_text(json.dumps(config))
        args += ["--policy-pack-config", str(tmp / "policy-config.json")]
    return project.preview(*args, check=False)


def test_allowed_sandbox_passes_with_the_advisory_description_warning(project: PulumiProject) -> None:
    proc = preview(project, "dev")
    assert proc.returncode == 0, show(proc)
    assert f"- [advisory]  aep-connection-description  ({CONNECTION})" in lines(proc), show(proc)
    assert not [line for line in lines(proc) if line.startswith("- [mandatory]")], show(proc)


def test_sandbox_not_allowed_fails_with_the_camel_case_line(project: PulumiProject) -> None:
    proc = preview(project, "marketing")
    assert proc.returncode != 0, show(proc)
    assert f"- [mandatory]  aep-allowed-sandboxes  ({CONNECTION})" in lines(proc), show(proc)
    assert (
        "Sandbox 'marketing' (from sandboxName) is not an allowed sandbox (prod, stage*, dev*). "
        "Set sandboxName to an allowed sandbox"
    ) in proc.stdout, show(proc)


def test_unprotected_production_fix_names_the_yaml_option(project: PulumiProject) -> None:
    proc = preview(project, "prod")
    assert proc.returncode != 0, show(proc)
    assert f"- [mandatory]  aep-protect-production-connections  ({CONNECTION})" in lines(proc), show(proc)
    assert "(YAML: `options:` then `protect: true`;" in proc.stdout, show(proc)


def test_config_file_can_allow_another_sandbox(project: PulumiProject, tmp_path: Path) -> None:
    config = {"aep-allowed-sandboxes": {"allowedSandboxes": ["dev*", "marketing"]}}
    proc = preview(project, "marketing", config, tmp_path)
    assert proc.returncode == 0, show(proc)
    assert "aep-allowed-sandboxes" not in proc.stdout, show(proc)
