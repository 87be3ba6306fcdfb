"""The pack as a whole: names, levels, config schemas, wiring files, and no secret in any message."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy

from aep_policies import PACK_NAME, POLICIES
from tests.policy.conftest import POLICY_DIR
from tests.policy.helpers import (
    ACCOUNT_KEY,
    SAS_SIG,
    SP_KEY,
    STORAGE_TYPE,
    account_key_connection_string,
    connection_props,
    policy_resource,
    resource_args,
    sas_token,
    sas_uri,
    stack_args,
    storage_props,
    violations,
)
from tests.policy.test_pipeline_policies import BAD_PIPELINE

pytestmark = pytest.mark.policy

EXPECTED_LEVELS = {
    "aep-connection-https": EnforcementLevel.MANDATORY,
    "aep-sas-read-list-short-lived": EnforcementLevel.MANDATORY,
    "aep-allowed-sandboxes": EnforcementLevel.MANDATORY,
    "aep-protect-production-connections": EnforcementLevel.MANDATORY,
    "aep-connection-naming": EnforcementLevel.ADVISORY,
    "aep-connection-description": EnforcementLevel.ADVISORY,
    "azure-storage-https-only": EnforcementLevel.MANDATORY,
    "azure-storage-min-tls": EnforcementLevel.MANDATORY,
    "azure-storage-no-public-blob-access": EnforcementLevel.MANDATORY,
    "azure-storage-shared-key-for-connections": EnforcementLevel.MANDATORY,
    "azure-storage-blob-source-region": EnforcementLevel.MANDATORY,
    "aep-dataflow-minimum-interval": EnforcementLevel.MANDATORY,
    "aep-dataflow-protected-sandboxes": EnforcementLevel.MANDATORY,
    "aep-source-not-container-root": EnforcementLevel.MANDATORY,
}


def test_every_policy_has_its_expected_level() -> None:
    assert {p.name: p.enforcement_level for p in POLICIES} == EXPECTED_LEVELS


def test_policy_names_are_kebab_case() -> None:
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", p.name) for p in POLICIES)


def test_connection_rules_are_resource_policies_and_storage_rules_stack_policies() -> None:
    kinds = {p.name: isinstance(p, ResourceValidationPolicy) for p in POLICIES}
    assert {name for name, is_resource in kinds.items() if is_resource} == {
        name for name in EXPECTED_LEVELS if name.startswith("aep-")
    }
    assert all(isinstance(p, StackValidationPolicy) for p in POLICIES if p.name.startswith("azure-"))


@pytest.mark.parametrize("policy", [p for p in POLICIES if p.config_schema], ids=lambda p: p.name)
def test_schema_defaults_satisfy_the_schema(policy: Any) -> None:
    schema = {"type": "object", "properties": policy.config_schema.properties}
    defaults = {
        key: spec["default"] for key, spec in policy.config_schema.properties.items() if "default" in spec
    }
    jsonschema.validate(defaults, schema)


def test_pack_name_is_valid() -> None:
    assert re.fullmatch(r"[A-Za-z0-9_.-]{1,100}", PACK_NAME)


def test_pulumi_policy_yaml_points_at_the_repository_virtualenv() -> None:
    text = (POLICY_DIR / "PulumiPolicy.yaml").read_text()
    assert "name: python" in text
    venv = re.search(r"virtualenv:\s*(\S+)", text)
    assert venv is not None
    # The CLI resolves the path relative to the pack directory (checked with the pinned CLI).
    assert (POLICY_DIR / venv.group(1)).resolve() == (POLICY_DIR.parent / ".venv").resolve()


def test_main_only_builds_the_pack() -> None:
    tree = ast.parse((POLICY_DIR / "__main__.py").read_text())
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert [ast.unparse(c.func) for c in calls] == ["PolicyPack"]
    assert sorted(kw.arg or "" for kw in calls[0].keywords) == ["name", "policies"]


def _all_messages() -> dict[str, list[str]]:
    """Every message of every policy for inputs that violate as much as possible, secrets included."""
    bad_string = account_key_connection_string("http", f";SharedAccessSignature={sas_token('rwdl', 900)}")
    principal = {
        "service_endpoint": f"http://acmeorders.blob.core.windows.net/?{sas_token('rwdl', 900)}",
        "service_principal_id": "3f1c2d4e-0000-4000-8000-000000000001",
        "service_principal_key": SP_KEY,
        "tenant": "contoso.onmicrosoft.com",
    }
    connections = [
        connection_props(
            connection_string=bad_string, sandbox_name="prod", description=None, name="Bad Name"
        ),
        connection_props(
            connection_string=None, sas_uri=sas_uri("rwdl", 900, scheme="http"), sandbox_name="ops"
        ),
        connection_props(connection_string=None, service_principal=principal),
    ]
    messages: dict[str, list[str]] = {p.name: [] for p in POLICIES}
    for props in connections:
        for policy in POLICIES:
            if isinstance(policy, ResourceValidationPolicy):
                messages[policy.name] += violations(
                    policy, resource_args(props, config={"allowLoopback": False})
                )
    for type_, props in BAD_PIPELINE:
        for policy in POLICIES:
            if isinstance(policy, ResourceValidationPolicy):
                messages[policy.name] += violations(policy, resource_args(props, type_=type_))
    stack = stack_args(
        policy_resource(
            storage_props(
                enableHttpsTrafficOnly=False,
                allowSharedKeyAccess=False,
                location="eastus2",
                minimumTlsVersion="TLS1_0",
                allowBlobPublicAccess=True,
            ),
            type_=STORAGE_TYPE,
        ),
        *(policy_resource(props, name=f"c{i}") for i, props in enumerate(connections)),
    )
    for policy in POLICIES:
        if isinstance(policy, StackValidationPolicy):
            messages[policy.name] += violations(policy, stack)
    return messages


def test_secret_scan_covers_every_policy() -> None:
    assert [name for name, found in _all_messages().items() if not found] == []


def test_violations_never_echo_a_secret() -> None:
    messages = [m for found in _all_messages().values() for m in found]
    secrets = [ACCOUNT_KEY, SAS_SIG, SP_KEY, "sig=", "AccountKey="]
    leaks = [(secret, m) for m in messages for secret in secrets if secret in m]
    assert leaks == []


def test_policy_dir_has_no_stray_entry_points() -> None:
    assert sorted(p.name for p in Path(POLICY_DIR).glob("*.py")) == ["__main__.py"]


def test_example_config_matches_the_policies_and_their_schemas() -> None:
    example = json.loads((POLICY_DIR / "config.example.json").read_text())
    by_name = {p.name: p for p in POLICIES}
    assert set(example) <= set(by_name)
    for name, value in example.items():
        if isinstance(value, str):
            assert value in {"advisory", "mandatory", "disabled"}
            continue
        properties = {k: v for k, v in value.items() if k != "enforcementLevel"}
        schema = by_name[name].config_schema
        assert schema is not None, name
        jsonschema.validate(
            properties,
            {"type": "object", "properties": schema.properties, "additionalProperties": False},
        )
