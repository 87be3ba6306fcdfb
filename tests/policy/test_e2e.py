"""The pack through the real CLI: `pulumi preview --policy-pack policy/` over scenarios picked by config.

Storage accounts come from a fake ``azure-native`` plugin (``fake_azure_native``) that echoes its inputs,
so the stack policies see real ``azure-native:storage:StorageAccount`` resources without Azure.
Previews only: neither face's create needs an API call at preview, so no emulator is involved.
The suite runs once per face of the connection (``tests.faces.harness.Face``): the dynamic resource and
the plugin's ``aep:index:AzureBlobConnection`` from the same Python program (``pulumi_aep.native``), with
the plugin of the working tree; each face's lines name the properties as that face does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from tests.conftest import prerequisite_missing
from tests.e2e.harness import VENV_PYTHON, PulumiCli, PulumiProject, find_pulumi_shims
from tests.faces import harness as faces
from tests.faces.harness import Face
from tests.policy.conftest import POLICY_DIR
from tests.policy.fake_azure_native.server import write_launcher

pytestmark = [pytest.mark.e2e, pytest.mark.policy]

PROGRAM = Path(__file__).resolve().parent / "program"
STORAGE = "azure-native:storage:StorageAccount"
FACES = ("dynamic", "plugin-python")
#: The properties the expected messages name (``{sas_uri}``...), spelled per face by ``Face.prop``.
LABELS = ("sas_uri", "sandbox_name", "connection_string")


@pytest.fixture(scope="module", params=FACES)
def face(request: pytest.FixtureRequest) -> Face:
    return Face(request.param)


@pytest.fixture(scope="module")
def project(face: Face, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulumiProject]:
    """One stack of the scenario program per face; each test picks its scenario with `pulumi config set`."""
    shims = find_pulumi_shims()
    if shims is None:
        prerequisite_missing("the pulumi CLI (run `make engine`; scripts/ensure-pulumi.sh failed)")
    root = tmp_path_factory.mktemp(f"policy-e2e-{face.name}")
    fake_bin = root / "fake-plugins"
    write_launcher(fake_bin, VENV_PYTHON)
    path = os.pathsep.join([str(fake_bin), str(shims), os.environ.get("PATH", "")])
    cli = PulumiCli(shims=shims, root=root / "pulumi", extra_env={"PATH": path})
    work = root / "program"
    shutil.copytree(PROGRAM, work, ignore=shutil.ignore_patterns("__pycache__", "Pulumi.*.yaml"))
    manifest = work / "Pulumi.yaml"
    manifest.write_text(
        manifest.read_text().replace("virtualenv: VENV", f"virtualenv: {VENV_PYTHON.parent.parent}")
    )
    if face.is_plugin:
        faces.use_plugin(work, faces.write_launcher(root / "aep-plugin"))
    stack = PulumiProject(cli=cli, work_dir=work, stack=f"p{uuid.uuid4().hex[:10]}")
    stack.init()
    if face.is_plugin:
        stack.config("face", "plugin")
    yield stack
    stack.remove()


def preview(
    project: PulumiProject,
    scenario: str,
    *,
    config: Mapping[str, object] | None = None,
    tmp: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    project.config("scenario", scenario)
    args = ["--policy-pack", str(POLICY_DIR)]
    if config is not None:
        assert tmp is not None
        config_file = tmp / "policy-config.json"
        config_file.write_text(json.dumps(config))
        args += ["--policy-pack-config", str(config_file)]
    return project.preview(*args, check=False)


def spelled(face: Face, message: str) -> str:
    """MESSAGE with its ``{property}`` placeholders named as FACE names them."""
    return message.format(**{label: face.prop(label) for label in LABELS})


def connection(face: Face, name: str = "orders") -> str:
    """How the policy lines name FACE's connection resource NAME."""
    return f"{face.type_token}: {name}"


def lines(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [line.strip() for line in proc.stdout.splitlines()]


def show(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


def test_compliant_program_passes(project: PulumiProject) -> None:
    proc = preview(project, "compliant")
    assert proc.returncode == 0, show(proc)
    assert not [line for line in lines(proc) if line.startswith("- [")], show(proc)
    assert "aep-guardrails@v0.1.0" in proc.stdout, show(proc)


@pytest.mark.parametrize(
    ("scenario", "policy", "resource", "message"),
    [
        (
            "sas-write",
            "aep-sas-read-list-short-lived",
            "{connection}: orders",
            "{sas_uri} grants permissions 'dw' beyond read (r) and list (l).",
        ),
        (
            "sas-long-lived",
            "aep-sas-read-list-short-lived",
            "{connection}: orders",
            "later than the 90 days",
        ),
        (
            "sandbox-not-allowed",
            "aep-allowed-sandboxes",
            "{connection}: orders",
            "Sandbox 'marketing' (from {sandbox_name}) is not an allowed sandbox (prod, stage*, dev*).",
        ),
        (
            "prod-unprotected",
            "aep-protect-production-connections",
            "{connection}: orders",
            "Sandbox 'prod' (from {sandbox_name}) is a production sandbox, and this connection is not",
        ),
        (
            "storage-http",
            "azure-storage-https-only",
            "{storage}: acmeorders",
            "enableHttpsTrafficOnly is false, so the account accepts plain-http requests.",
        ),
        (
            "storage-tls10",
            "azure-storage-min-tls",
            "{storage}: acmeorders",
            "minimumTlsVersion is TLS1_0, below TLS1_2. Set minimumTlsVersion to TLS1_2 "
            "(`minimum_tls_version='TLS1_2'` in Python).",
        ),
        (
            "storage-public",
            "azure-storage-no-public-blob-access",
            "{storage}: acmeorders",
            "allowBlobPublicAccess is true, so containers can be made anonymously readable.",
        ),
        (
            "storage-region",
            "azure-storage-blob-source-region",
            "{storage}: acmeorders",
            "location 'East US 2' is one of the regions (eastus2, westeurope, australiaeast)",
        ),
        (
            "storage-shared-key-off",
            "azure-storage-shared-key-for-connections",
            "{storage}: acmeorders",
            "allowSharedKeyAccess is false, but connection(s) 'orders' (an account key) authenticate",
        ),
    ],
)
def test_violation_fails_the_preview_with_the_mandatory_line(
    face: Face, project: PulumiProject, scenario: str, policy: str, resource: str, message: str
) -> None:
    proc = preview(project, scenario)
    resource = resource.format(connection=face.type_token, storage=STORAGE)
    assert proc.returncode != 0, show(proc)
    assert f"- [mandatory]  {policy}  ({resource})" in lines(proc), show(proc)
    assert spelled(face, message) in proc.stdout, show(proc)
    assert "error: preview failed" in proc.stdout + proc.stderr, show(proc)


@pytest.mark.parametrize(
    ("scenario", "policy"),
    [("bad-name", "aep-connection-naming"), ("no-description", "aep-connection-description")],
)
def test_advisory_policy_warns_without_failing(
    face: Face, project: PulumiProject, scenario: str, policy: str
) -> None:
    proc = preview(project, scenario)
    assert proc.returncode == 0, show(proc)
    assert f"- [advisory]  {policy}  ({connection(face)})" in lines(proc), show(proc)


def test_unprotected_production_fix_is_in_the_face_syntax(face: Face, project: PulumiProject) -> None:
    proc = preview(project, "prod-unprotected")
    fix = "Set the resource option protect to true (YAML: `options:` then `protect: true`; "
    if not face.is_plugin:
        fix = (
            "protected. Add `opts=pulumi.ResourceOptions(protect=True)` so it cannot be deleted by accident."
        )
    assert proc.returncode != 0, show(proc)
    assert fix in proc.stdout, show(proc)


def test_protected_production_connection_passes(project: PulumiProject) -> None:
    proc = preview(project, "prod-protected")
    assert proc.returncode == 0, show(proc)


def test_storage_rules_ignore_stacks_without_connections(project: PulumiProject) -> None:
    proc = preview(project, "storage-without-connections")
    assert proc.returncode == 0, show(proc)
    assert "azure-storage-https-only" not in proc.stdout, show(proc)


def test_unknown_input_defers_the_policy_with_an_advisory_note(face: Face, project: PulumiProject) -> None:
    proc = preview(project, "unknown-sandbox")
    # The provider's check() lets values unknown at preview through, and the pack defers with an advisory
    # note: the preview succeeds.
    assert proc.returncode == 0, show(proc)
    assert f"- [advisory]  aep-allowed-sandboxes  ({connection(face)})" in lines(proc), show(proc)
    assert spelled(face, "string value at .{sandbox_name} can't be known during preview") in proc.stdout, (
        show(proc)
    )
    assert not [line for line in lines(proc) if line.startswith("- [mandatory]")], show(proc)


def test_loopback_emulator_string_passes_by_default(project: PulumiProject) -> None:
    proc = preview(project, "azurite")
    assert proc.returncode == 0, show(proc)


def test_config_file_can_forbid_the_loopback_exception(
    face: Face, project: PulumiProject, tmp_path: Path
) -> None:
    proc = preview(
        project, "azurite", config={"aep-connection-https": {"allowLoopback": False}}, tmp=tmp_path
    )
    assert proc.returncode != 0, show(proc)
    assert f"- [mandatory]  aep-connection-https  ({connection(face)})" in lines(proc), show(proc)
    assert (
        spelled(face, "{connection_string} BlobEndpoint uses 'http://' instead of 'https://'.") in proc.stdout
    ), show(proc)


def test_config_file_can_make_an_advisory_policy_mandatory(
    face: Face, project: PulumiProject, tmp_path: Path
) -> None:
    config = {"aep-connection-naming": {"enforcementLevel": "mandatory"}}
    proc = preview(project, "bad-name", config=config, tmp=tmp_path)
    assert proc.returncode != 0, show(proc)
    assert f"- [mandatory]  aep-connection-naming  ({connection(face)})" in lines(proc), show(proc)


def test_config_file_can_allow_another_sandbox(project: PulumiProject, tmp_path: Path) -> None:
    config = {"aep-allowed-sandboxes": {"allowedSandboxes": ["dev*", "marketing"]}}
    proc = preview(project, "sandbox-not-allowed", config=config, tmp=tmp_path)
    assert proc.returncode == 0, show(proc)


def test_config_file_can_disable_a_mandatory_policy(project: PulumiProject, tmp_path: Path) -> None:
    proc = preview(project, "storage-http", config={"azure-storage-https-only": "disabled"}, tmp=tmp_path)
    assert proc.returncode == 0, show(proc)
    assert "azure-storage-https-only" not in proc.stdout, show(proc)
