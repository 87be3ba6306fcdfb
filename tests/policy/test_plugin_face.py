"""Both faces: the plugin's ``aep:index:AzureBlobConnection`` (camelCase) is judged by the same rules as
the dynamic resource (snake_case), through one key mapping."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_policy import ResourceValidationPolicy
from pulumi_policy.proxy import UnknownValueError

from aep_policies import POLICIES
from aep_policies.faces import SnakeCaseView
from aep_policies.pipeline_policies import PIPELINE_POLICIES
from aep_policies.policies import (
    allowed_sandboxes,
    connection_description,
    connection_https,
    connection_naming,
    protect_production_connections,
    sas_read_list_short_lived,
    storage_https_only,
    storage_shared_key_for_connections,
)
from tests.policy.helpers import (
    SP_KEY,
    UNKNOWN,
    account_key_connection_string,
    connection_props,
    policy_resource,
    resource_args,
    sas_uri,
    stack_args,
    storage_props,
    violations,
)

pytestmark = pytest.mark.policy

PLUGIN_TYPE = "aep:index:AzureBlobConnection"

#: The plugin's property names, spelled out (not derived from the code under test).
CAMEL = {
    "connection_string": "connectionString",
    "sas_uri": "sasUri",
    "service_principal": "servicePrincipal",
    "folder_path": "folderPath",
    "sandbox_name": "sandboxName",
    "connection_spec_version": "connectionSpecVersion",
    "name": "name",
    "description": "description",
    "container": "container",
    "verify": "verify",
}
CAMEL_PRINCIPAL = {
    "service_endpoint": "serviceEndpoint",
    "service_principal_id": "servicePrincipalId",
    "service_principal_key": "servicePrincipalKey",
    "tenant": "tenant",
    "account_kind": "accountKind",
}

#: How each face's message says to protect a production connection (the dynamic face is Python-only).
DYNAMIC_PROTECT = "Add `opts=pulumi.ResourceOptions(protect=True)` so it cannot be deleted by accident."
PLUGIN_PROTECT = (
    "Set the resource option protect to true (YAML: `options:` then `protect: true`; "
    "Python: `opts=pulumi.ResourceOptions(protect=True)`; other SDKs: their resource options' `protect`) "
    "so it cannot be deleted by accident."
)


def plugin_props(snake: dict[str, Any]) -> dict[str, Any]:
    """The plugin face of a dynamic resource's inputs (no ``__provider``; nested principal renamed)."""
    props: dict[str, Any] = {}
    for key, value in snake.items():
        if key == "__provider":
            continue
        if key == "service_principal" and isinstance(value, dict):
            value = {CAMEL_PRINCIPAL[k]: v for k, v in value.items()}
        props[CAMEL[key]] = value
    return props


def principal(endpoint: str) -> dict[str, Any]:
    return {
        "service_endpoint": endpoint,
        "service_principal_id": "0b7f9c2e-6f0a-4a51-9a63-3f2d8f1e2a10",
        "service_principal_key": SP_KEY,
        "tenant": "contoso.onmicrosoft.com",
        "account_kind": "StorageV2",
    }


#: One bad input per connection policy: (policy, dynamic-face props, protect).
SCENARIOS: dict[str, tuple[ResourceValidationPolicy, dict[str, Any], bool]] = {
    "https-connection-string": (
        connection_https,
        connection_props(connection_string=account_key_connection_string("http")),
        False,
    ),
    "https-service-endpoint": (
        connection_https,
        connection_props(connection_string=None, service_principal=principal("http://acme.example.com")),
        False,
    ),
    "sas-permissions": (
        sas_read_list_short_lived,
        connection_props(connection_string=None, sas_uri=sas_uri("rwdl", 30)),
        False,
    ),
    "sandbox-not-allowed": (allowed_sandboxes, connection_props(sandbox_name="qa"), False),
    "production-unprotected": (protect_production_connections, connection_props(sandbox_name="prod"), False),
    "naming": (connection_naming, connection_props(name="Orders Blob"), False),
    "description": (connection_description, connection_props(description=None), False),
}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
def test_plugin_face_reports_what_the_dynamic_face_reports(scenario: str) -> None:
    policy, snake, protect = SCENARIOS[scenario]
    dynamic = violations(policy, resource_args(snake, protect=protect))
    plugin = violations(policy, resource_args(plugin_props(snake), type_=PLUGIN_TYPE, protect=protect))
    assert dynamic, "the scenario must be a violation"
    assert [camel_labels(m) for m in dynamic] == plugin


def camel_labels(message: str) -> str:
    """The dynamic face's message with the plugin's property names (spelled out in CAMEL above) and its
    way of protecting a resource."""
    message = message.replace(DYNAMIC_PROTECT, PLUGIN_PROTECT)
    for snake, camel in CAMEL_PRINCIPAL.items():
        message = message.replace(f"service_principal.{snake}", f"servicePrincipal.{camel}")
    for snake, camel in CAMEL.items():
        message = message.replace(snake, camel)
    return message


def test_plugin_messages_name_the_plugin_properties() -> None:
    bad = connection_props(connection_string=None, service_principal=principal("http://acme.example.com"))
    (message,) = violations(connection_https, resource_args(plugin_props(bad), type_=PLUGIN_TYPE))
    assert message.startswith("servicePrincipal.serviceEndpoint uses 'http://' instead of 'https://'.")
    sandbox = violations(
        allowed_sandboxes, resource_args(plugin_props(connection_props(sandbox_name="qa")), type_=PLUGIN_TYPE)
    )
    assert "(from sandboxName)" in sandbox[0]
    assert "Set sandboxName to an allowed sandbox" in sandbox[0]


def test_plugin_protect_fix_is_not_python_only() -> None:
    # A plugin connection may come from YAML or any SDK: the fix must not be Python-only syntax.
    props = plugin_props(connection_props(sandbox_name="prod"))
    (message,) = violations(protect_production_connections, resource_args(props, type_=PLUGIN_TYPE))
    assert message == (
        "Sandbox 'prod' (from sandboxName) is a production sandbox, and this connection is not protected. "
        + PLUGIN_PROTECT
    )


def test_dynamic_protect_fix_stays_python() -> None:
    (message,) = violations(
        protect_production_connections, resource_args(connection_props(sandbox_name="prod"))
    )
    assert message.endswith("not protected. " + DYNAMIC_PROTECT)


#: The connection's resource policies (the pipeline's have their own tests: tests/policy/test_pipeline_policies.py).
CONNECTION_POLICIES = [
    p for p in POLICIES if isinstance(p, ResourceValidationPolicy) and p not in PIPELINE_POLICIES
]


def test_every_connection_policy_has_a_plugin_scenario() -> None:
    assert {policy.name for policy, _, _ in SCENARIOS.values()} == {p.name for p in CONNECTION_POLICIES}


@pytest.mark.parametrize("policy", CONNECTION_POLICIES, ids=lambda p: p.name)
def test_compliant_plugin_connection_passes(policy: ResourceValidationPolicy) -> None:
    props = plugin_props(connection_props())
    assert violations(policy, resource_args(props, type_=PLUGIN_TYPE, protect=True)) == []


def test_unknown_plugin_value_defers_the_policy() -> None:
    props = plugin_props(connection_props(connection_string=None, sas_uri=UNKNOWN))
    with pytest.raises(UnknownValueError):
        violations(sas_read_list_short_lived, resource_args(props, type_=PLUGIN_TYPE))


def test_storage_policies_see_plugin_connections() -> None:
    plugin = policy_resource(plugin_props(connection_props()), type_=PLUGIN_TYPE)
    account = policy_resource(
        storage_props(allowSharedKeyAccess=False, enableHttpsTrafficOnly=False),
        type_="azure-native:storage:StorageAccount",
        name="acct",
    )
    found_key = violations(storage_shared_key_for_connections, stack_args(plugin, account))
    found_https = violations(storage_https_only, stack_args(plugin, account))
    assert len(found_key) == 1
    assert "'orders' (an account key)" in found_key[0]
    assert len(found_https) == 1


def test_snake_case_view_translates_keys_and_nested_principal() -> None:
    view = SnakeCaseView({"sasUri": "x", "servicePrincipal": {"servicePrincipalKey": "k"}, "other": 1})
    assert sorted(view) == ["sas_uri", "service_principal"]
    assert view["service_principal"]["service_principal_key"] == "k"
    assert "other" not in view
    assert len(view) == 2
