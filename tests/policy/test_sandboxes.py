"""aep-allowed-sandboxes and aep-protect-production-connections, including how an absent sandbox resolves."""

from __future__ import annotations

import json

import pytest

from aep_policies.policies import allowed_sandboxes, protect_production_connections
from tests.policy.helpers import connection_props, resource_args, violations

pytestmark = pytest.mark.policy

ALLOWED_FIX = (
    "Set sandbox_name to an allowed sandbox, or add it to allowedSandboxes in the policy pack config."
)
PROTECT_FIX = (
    "is a production sandbox, and this connection is not protected. Add "
    "`opts=pulumi.ResourceOptions(protect=True)` so it cannot be deleted by accident."
)


def test_allowed_sandbox_passes() -> None:
    assert violations(allowed_sandboxes, resource_args(connection_props(sandbox_name="dev"))) == []


def test_sandbox_matching_a_pattern_passes() -> None:
    assert violations(allowed_sandboxes, resource_args(connection_props(sandbox_name="dev-eu"))) == []


def test_unlisted_sandbox_is_reported() -> None:
    found = violations(allowed_sandboxes, resource_args(connection_props(sandbox_name="marketing")))
    assert found == [
        "Sandbox 'marketing' (from sandbox_name) is not an allowed sandbox (prod, stage*, dev*). "
        + ALLOWED_FIX
    ]


def test_allowed_sandboxes_are_configurable() -> None:
    args = resource_args(
        connection_props(sandbox_name="marketing"), config={"allowedSandboxes": ["marketing"]}
    )
    assert violations(allowed_sandboxes, args) == []


def test_absent_sandbox_resolves_to_the_provider_default() -> None:
    args = resource_args(connection_props(sandbox_name=None), config={"allowedSandboxes": ["dev*"]})
    assert violations(allowed_sandboxes, args) == [
        f"Sandbox 'prod' (from the provider's default) is not an allowed sandbox (dev*). {ALLOWED_FIX}"
    ]


def test_absent_sandbox_uses_the_policy_default_sandbox() -> None:
    config = {"allowedSandboxes": ["dev*"], "defaultSandbox": "qa"}
    found = violations(allowed_sandboxes, resource_args(connection_props(sandbox_name=None), config=config))
    assert found == [
        f"Sandbox 'qa' (from the policy's defaultSandbox) is not an allowed sandbox (dev*). {ALLOWED_FIX}"
    ]


def test_absent_sandbox_prefers_the_stack_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"aep:sandboxName": "dev-stack"}))
    config = {"allowedSandboxes": ["dev*"], "defaultSandbox": "qa"}
    assert (
        violations(allowed_sandboxes, resource_args(connection_props(sandbox_name=None), config=config)) == []
    )


def test_absent_sandbox_falls_back_to_the_provider_environment_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AEP_SANDBOX_NAME", "sales")
    found = violations(allowed_sandboxes, resource_args(connection_props(sandbox_name=None)))
    assert found == [
        "Sandbox 'sales' (from aep:sandboxName) is not an allowed sandbox (prod, stage*, dev*). "
        + ALLOWED_FIX
    ]


def test_unprotected_production_connection_is_reported() -> None:
    found = violations(protect_production_connections, resource_args(connection_props(sandbox_name="prod")))
    assert found == [f"Sandbox 'prod' (from sandbox_name) {PROTECT_FIX}"]


def test_protected_production_connection_passes() -> None:
    args = resource_args(connection_props(sandbox_name="prod"), protect=True)
    assert violations(protect_production_connections, args) == []


def test_unprotected_development_connection_passes() -> None:
    assert (
        violations(protect_production_connections, resource_args(connection_props(sandbox_name="dev"))) == []
    )


def test_production_sandboxes_are_configurable() -> None:
    args = resource_args(
        connection_props(sandbox_name="prod-eu"), config={"productionSandboxes": ["prod", "prod-eu"]}
    )
    assert violations(protect_production_connections, args) == [
        f"Sandbox 'prod-eu' (from sandbox_name) {PROTECT_FIX}"
    ]


def test_production_sandboxes_accept_patterns() -> None:
    args = resource_args(connection_props(sandbox_name="prod-eu"), config={"productionSandboxes": ["prod*"]})
    assert violations(protect_production_connections, args) == [
        f"Sandbox 'prod-eu' (from sandbox_name) {PROTECT_FIX}"
    ]


def test_absent_sandbox_counts_as_production_by_default() -> None:
    found = violations(protect_production_connections, resource_args(connection_props(sandbox_name=None)))
    assert found == [f"Sandbox 'prod' (from the provider's default) {PROTECT_FIX}"]


def test_absent_sandbox_with_a_development_default_passes() -> None:
    args = resource_args(connection_props(sandbox_name=None), config={"defaultSandbox": "dev"})
    assert violations(protect_production_connections, args) == []
