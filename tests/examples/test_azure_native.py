"""examples/azure-native under Pulumi's mocks: the wiring between storage and the connection.

The azure-native plugin cannot be downloaded here, so the program runs against the real
pulumi-azure-native SDK with `pulumi.runtime.set_mocks`; the provider's CRUD never runs.
"""

from __future__ import annotations

import base64
import runpy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pytest
from google.protobuf import json_format
from pulumi.runtime import mocks

from tests.helpers.pulumi_test import pulumi_test

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "azure-native" / "__main__.py"
ACCOUNT_KEY = base64.b64encode(b"k" * 64).decode()
SECRET_SIG = "4dabf18193072939515e22adb298388d"
CONNECTION_TYPE = "pulumi-python:dynamic/aep:AzureBlobConnection"


@dataclass
class Registration:
    type: str
    name: str
    dependencies: list[str]
    raw_inputs: dict[str, Any]
    inputs: dict[str, Any]


class AzureMocks(pulumi.runtime.Mocks):
    """Echo inputs as outputs; name storage accounts like Azure would; answer listKeys."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        outputs = dict(args.inputs)
        if args.typ == "azure-native:storage:StorageAccount":
            outputs["name"] = f"{args.name}4f2a"
        if args.typ == "azure-native:storage:BlobContainer":
            outputs["name"] = args.inputs["containerName"]
        if args.typ == "azure-native:resources:ResourceGroup":
            outputs["name"] = f"{args.name}-rg"
        if args.typ == CONNECTION_TYPE:
            outputs.update(connection_id="0b5e4e8e-0000-4000-8000-000000000001", etag='"e-1"')
        return f"{args.name}-id", outputs

    # No failures: `[]`, not None (the SDK's mock monitor iterates them whatever the annotation says).
    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        if args.token == "azure-native:storage:listStorageAccountKeys":
            assert args.args["accountName"] == "aeplanding4f2a"
            return {"keys": [{"keyName": "key1", "value": ACCOUNT_KEY, "permissions": "FULL"}]}, []
        return {}, []


class RecordingMonitor(mocks.MockMonitor):
    """A mock monitor that also records each registration's dependencies and raw inputs."""

    def __init__(self, the_mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(the_mocks)
        self.registrations: list[Registration] = []

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]  # the SDK leaves it untyped
        self.registrations.append(
            Registration(
                type=request.type,
                name=request.name,
                dependencies=list(request.dependencies),
                raw_inputs=json_format.MessageToDict(request.object),
                inputs=dict(pulumi.runtime.rpc.deserialize_properties(request.object)),
            )
        )
        return response


@pytest.fixture(scope="module")
def program() -> tuple[dict[str, Any], RecordingMonitor]:
    monitor = RecordingMonitor(AzureMocks())
    pulumi.runtime.set_mocks(AzureMocks(), preview=False, monitor=monitor)
    return runpy.run_path(str(EXAMPLE), run_name="__main__"), monitor


def the_connection(monitor: RecordingMonitor) -> Registration:
    found = [r for r in monitor.registrations if r.type == CONNECTION_TYPE]
    assert len(found) == 1, [r.type for r in monitor.registrations]
    return found[0]


@pulumi_test
def test_connection_string_is_secret(program: tuple[dict[str, Any], RecordingMonitor]) -> Any:
    namespace, _ = program

    def check(is_secret: bool) -> None:
        assert is_secret, "the connection string built from the account key must be secret"

    return pulumi.Output.from_input(namespace["connection_string"].is_secret()).apply(check)


@pulumi_test
def test_connection_string_is_built_from_account_name_and_key(
    program: tuple[dict[str, Any], RecordingMonitor],
) -> Any:
    namespace, _ = program

    def check(value: str) -> None:
        parts = dict(p.split("=", 1) for p in value.split(";") if p)
        assert parts["AccountName"] == "aeplanding4f2a"
        assert parts["AccountKey"] == ACCOUNT_KEY
        assert parts["DefaultEndpointsProtocol"] == "https"

    return namespace["connection_string"].apply(check)


@pulumi_test
def test_connection_input_is_sent_as_a_secret(program: tuple[dict[str, Any], RecordingMonitor]) -> Any:
    namespace, monitor = program

    def check(_: Any) -> None:
        raw = the_connection(monitor).raw_inputs["connection_string"]
        assert raw.get(SECRET_SIG), raw
        assert ACCOUNT_KEY not in str({k: v for k, v in raw.items() if k != "value"})

    return namespace["connection"].connection_id.apply(check)


@pulumi_test
def test_connection_depends_on_the_container(program: tuple[dict[str, Any], RecordingMonitor]) -> Any:
    namespace, monitor = program

    def check(_: Any) -> None:
        container = next(r for r in monitor.registrations if r.type == "azure-native:storage:BlobContainer")
        connection = the_connection(monitor)
        assert any(dep.endswith(f"::{container.name}") for dep in connection.dependencies), (
            connection.dependencies
        )
        assert connection.inputs["container"] == "aep-landing"

    return namespace["connection"].connection_id.apply(check)


def run_policy_pack(registrations: list[Registration], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Run every guardrail of policy/ (resource and stack policies) over REGISTRATIONS."""
    monkeypatch.syspath_prepend(str(EXAMPLE.parents[2] / "policy"))
    monkeypatch.setenv("AEP_SANDBOX_NAME", "dev")
    from pulumi_policy import ResourceValidationPolicy

    from aep_policies import POLICIES
    from tests.policy.helpers import policy_resource, resource_args, stack_args, violations

    found: list[str] = []
    for policy in POLICIES:
        if isinstance(policy, ResourceValidationPolicy):
            for r in registrations:
                found += violations(policy, resource_args(r.inputs, type_=r.type, name=r.name))
        else:
            resources = [policy_resource(r.inputs, type_=r.type, name=r.name) for r in registrations]
            found += violations(policy, stack_args(*resources))
    return found


def test_policy_pack_accepts_the_example(
    program: tuple[dict[str, Any], RecordingMonitor], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, monitor = program
    types = {r.type for r in monitor.registrations}
    assert {CONNECTION_TYPE, "azure-native:storage:StorageAccount"} <= types
    assert run_policy_pack(monitor.registrations, monkeypatch) == []


def test_policy_pack_would_catch_a_public_account(
    program: tuple[dict[str, Any], RecordingMonitor], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same check fails once the account allows public blob access: it is not vacuous."""
    _, monitor = program
    tampered = [
        Registration(
            r.type, r.name, r.dependencies, r.raw_inputs, {**r.inputs, "allowBlobPublicAccess": True}
        )
        if r.type == "azure-native:storage:StorageAccount"
        else r
        for r in monitor.registrations
    ]
    found = run_policy_pack(tampered, monkeypatch)
    assert len(found) == 1, found
    assert "public" in found[0].lower(), found
