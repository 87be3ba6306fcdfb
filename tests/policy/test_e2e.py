"""The pack through the real CLI: `pulumi preview --policy-pack policy/` over scenarios picked by config.

Storage accounts come from a fake ``azure-native`` plugin (``fake_azure_native``) that echoes its inputs,
so the stack policies see real ``azure-native:storage:StorageAccount`` resources without Azure.
Previews only: a dynamic resource's create needs no API call at preview, so no emulator is involved.
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
from tests.policy.conftest import POLICY_DIR
from tests.policy.fake_azure_native.server import write_launcher

pytestmark = [pytest.mark.e2e, pytest.mark.policy]

PROGRAM = Path(__file__).resolve().parent / "program"
CONNECTION = "pulumi-python:dynamic/aep:AzureBlobConnection"
STORAGE = "azure-native:storage:StorageAccount"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulumiProject]:
    """One stack of the scenario program; each test picks its scenario with `pulumi config set`."""
    shims = find_pulumi_shims()
    if shims is None:
        prerequisite_missing("the pulumi CLI (run `make engine`; scripts/ensure-pulumi.sh failed)")
    root = tmp_path_factory.mktemp("policy-e2e")
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
    stack = PulumiProject(cli=cli, work_dir=work, stack=f"p{uuid.uuid4().hex[:10]}")
    stack.init()
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
            f"{CONNECTION}: orders",
            "sas_uri grants permissions 'dw' beyond read (r) and list (l).",
        ),
        (
            "sas-long-lived",
            "aep-sas-read-list-short-lived",
            f"{CONNECTION}: orders",
            "later than the 90 days",
        ),
        (
            "sandbox-not-allowed",
            "aep-allowed-sandboxes",
            f"{CONNECTION}: orders",
            "Sandbox 'marketing' (from sandbox_name) is not an allowed sandbox (prod, stage*, dev*).",
        ),
        (
            "prod-unprotected",
            "aep-protect-production-connections",
            f"{CONNECTION}: orders",
            "Sandbox 'prod' (from sandbox_name) is a production sandbox, and this connection is not",
        ),
        (
            "storage-http",
            "azure-storage-https-only",
            f"{STORAGE}: acmeorders",
            "enableHttpsTrafficOnly is false, so the account accepts plain-http requests.",
        ),
        (
            "storage-tls10",
            "azure-storage-min-tls",
            f"{STORAGE}: acmeorders",
            "minimumTlsVersion is TLS1_0, below TLS1_2. Set minimum_tls_version='TLS1_2'.",
        ),
        (
            "storage-public",
            "azure-storage-no-public-blob-access",
            f"{STORAGE}: acmeorders",
            "allowBlobPublicAccess is true, so containers can be made anonymously readable.",
        ),
        (
            "storage-region",
            "azure-storage-blob-source-region",
            f"{STORAGE}: acmeorders",
            "location 'East US 2' is one of the regions (eastus2, westeurope, australiaeast)",
        ),
        (
            "storage-shared-key-off",
            "azure-storage-shared-key-for-connections",
            f"{STORAGE}: acmeorders",
            "allowSharedKeyAccess is false, but connection(s) 'orders' (an account key) authenticate",
        ),
    ],
)
def test_violation_fails_the_preview_with_the_mandatory_line(
    project: PulumiProject, scenario: str, policy: str, resource: str, message: str
) -> None:
    proc = preview(project, scenario)
    assert proc.returncode != 0, show(proc)
    assert f"- [mandatory]  {policy}  ({resource})" in lines(proc), show(proc)
    assert message in proc.stdout, show(proc)
    assert "error: preview failed" in proc.stdout + proc.stderr, show(proc)


@pytest.mark.parametrize(
    ("scenario", "policy"),
    [("bad-name", "aep-connection-naming"), ("no-description", "aep-connection-description")],
)
def test_advisory_policy_warns_without_failing(project: PulumiProject, scenario: str, policy: str) -> None:
    proc = preview(project, scenario)
    assert proc.returncode == 0, show(proc)
    assert f"- [advisory]  {policy}  ({CONNECTION}: orders)" in lines(proc), show(proc)


def test_protected_production_connection_passes(project: PulumiProject) -> None:
    proc = preview(project, "prod-protected")
    assert proc.returncode == 0, show(proc)


def test_storage_rules_ignore_stacks_without_connections(project: PulumiProject) -> None:
    proc = preview(project, "storage-without-connections")
    assert proc.returncode == 0, show(proc)
    assert "azure-storage-https-only" not in proc.stdout, show(proc)


def test_unknown_input_defers_the_policy_with_an_advisory_note(project: PulumiProject) -> None:
    proc = preview(project, "unknown-sandbox")
    # The provider's check() lets values unknown at preview through, and the pack defers with an advisory
    # note: the preview succeeds.
    assert proc.returncode == 0, show(proc)
    assert f"- [advisory]  aep-allowed-sandboxes  ({CONNECTION}: orders)" in lines(proc), show(proc)
    assert "string value at .sandbox_name can't be known during preview" in proc.stdout, show(proc)
    assert not [line for line in lines(proc) if line.startswith("- [mandatory]")], show(proc)


def test_loopback_emulator_string_passes_by_default(project: PulumiProject) -> None:
    proc = preview(project, "azurite")
    assert proc.returncode == 0, show(proc)


def test_config_file_can_forbid_the_loopback_exception(project: PulumiProject, tmp_path: Path) -> None:
    proc = preview(
        project, "azurite", config={"aep-connection-https": {"allowLoopback": False}}, tmp=tmp_path
    )
    assert proc.returncode != 0, show(proc)
    assert f"- [mandatory]  aep-connection-https  ({CONNECTION}: orders)" in lines(proc), show(proc)
    assert "connection_string BlobEndpoint uses 'http://' instead of 'https://'." in proc.stdout, show(proc)


def test_config_file_can_make_an_advisory_policy_mandatory(project: PulumiProject, tmp_path: Path) -> None:
    config = {"aep-connection-naming": {"enforcementLevel": "mandatory"}}
    proc = preview(project, "bad-name", config=config, tmp=tmp_path)
    assert proc.returncode != 0, show(proc)
    assert f"- [mandatory]  aep-connection-naming  ({CONNECTION}: orders)" in lines(proc), show(proc)


def test_config_file_can_allow_another_sandbox(project: PulumiProject, tmp_path: Path) -> None:
    config = {"aep-allowed-sandboxes": {"allowedSandboxes": ["dev*", "marketing"]}}
    proc = preview(project, "sandbox-not-allowed", config=config, tmp=tmp_path)
    assert proc.returncode == 0, show(proc)


def test_config_file_can_disable_a_mandatory_policy(project: PulumiProject, tmp_path: Path) -> None:
    proc = preview(project, "storage-http", config={"azure-storage-https-only": "disabled"}, tmp=tmp_path)
    assert proc.returncode == 0, show(proc)
    assert "azure-storage-https-only" not in proc.stdout, show(proc)
