"""The resource class under Pulumi mocks: type token, props sent, secrets, defaults, typed outputs."""

from __future__ import annotations

import base64
from typing import Any

import pulumi
import pytest

from pulumi_aep import AzureBlobConnection, AzureBlobConnectionArgs, ServicePrincipalArgs, naming
from tests.helpers.pulumi_test import pulumi_test

from .helpers import connection_string, sas_uri, service_principal

TYPE_TOKEN = "pulumi-python:dynamic/aep:AzureBlobConnection"
#: What the mocked engine reports after a create (the provider's output-only properties).
OUTPUTS: dict[str, Any] = {
    "connection_id": "landing-id",
    "etag": '"e"',
    "state": "enabled",
    "created_at": 1700000000000,
    "updated_at": 1700000000001,
    "sandbox_name": "prod",
}


class Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.resources.append(args)
        return f"{args.name}-id", {**args.inputs, **OUTPUTS, "connection_id": f"{args.name}-id"}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture
def mocks() -> Mocks:
    m = Mocks()
    pulumi.runtime.set_mocks(m, preview=False)
    return m


def _inputs(mocks: Mocks) -> dict[str, Any]:
    (resource,) = mocks.resources
    assert resource.typ == TYPE_TOKEN
    return dict(resource.inputs)


@pulumi_test
def test_type_token_and_the_resource_name_for_auto_naming(mocks: Mocks) -> Any:
    """Without ``name`` the class passes the resource name to check, which names the connection."""
    conn = AzureBlobConnection("landing", AzureBlobConnectionArgs(connection_string=connection_string()))

    def check(args: list[Any]) -> None:
        inputs = _inputs(mocks)
        assert inputs.get("name") is None
        assert inputs[naming.AUTONAME_KEY] == "landing"
        assert args[0] == "landing-id"

    return pulumi.Output.all(conn.connection_id).apply(check)


@pulumi_test
def test_keyword_arguments(mocks: Mocks) -> Any:
    conn = AzureBlobConnection(
        "x", name="explicit", connection_string=connection_string(), container="landing"
    )

    def check(_: Any) -> None:
        inputs = _inputs(mocks)
        assert (inputs["name"], inputs["container"]) == ("explicit", "landing")

    return conn.connection_id.apply(check)


@pulumi_test
def test_dict_arguments(mocks: Mocks) -> Any:
    conn = AzureBlobConnection("d", {"connection_string": connection_string(), "folder_path": "/in"})

    def check(_: Any) -> None:
        assert _inputs(mocks)["folder_path"] == "/in"

    return conn.connection_id.apply(check)


@pulumi_test
def test_provider_is_by_reference(mocks: Mocks) -> Any:
    conn = AzureBlobConnection("landing", AzureBlobConnectionArgs(connection_string=connection_string()))

    def check(_: Any) -> None:
        raw = base64.b64decode(_inputs(mocks)["__provider"])
        assert len(raw) < 200
        assert b"pulumi_aep.provider" in raw

    return conn.connection_id.apply(check)


@pulumi_test
def test_connection_string_output_is_secret(mocks: Mocks) -> Any:
    conn = AzureBlobConnection("landing", AzureBlobConnectionArgs(connection_string=connection_string()))

    async def is_secret() -> bool:
        return await conn.connection_string.is_secret()

    def check(secret: bool) -> None:
        assert secret

    secret: pulumi.Output[bool] = pulumi.Output.from_input(is_secret())
    return secret.apply(check)


@pulumi_test
def test_service_principal_key_secret_and_fields_sent(mocks: Mocks) -> Any:
    principal = service_principal()
    conn = AzureBlobConnection(
        "sp", AzureBlobConnectionArgs(service_principal=ServicePrincipalArgs(**principal))
    )

    def check(_: Any) -> None:
        sent = _inputs(mocks)["service_principal"]
        # The nested secret key makes the whole object travel as a secret.
        assert sent["4dabf18193072939515e22adb298388d"] == "1b47061264138c4ac30d75fd1eb44270"
        assert sent["value"] == principal
        assert "connection_string" not in _inputs(mocks) or _inputs(mocks)["connection_string"] is None

    return conn.connection_id.apply(check)


@pulumi_test
def test_service_principal_as_dict(mocks: Mocks) -> Any:
    principal = service_principal()
    conn = AzureBlobConnection("sp", AzureBlobConnectionArgs(service_principal=principal))

    def check(_: Any) -> None:
        assert _inputs(mocks)["service_principal"]["value"] == principal

    return conn.connection_id.apply(check)


@pytest.mark.parametrize("field", ["sas_uri", "service_principal"])
@pytest.mark.parametrize("give", ["args", "dict"])
@pulumi_test
def test_every_credential_output_is_secret(mocks: Mocks, field: str, give: str) -> Any:
    # Replaces a test comparing SECRET_OUTPUTS with a literal: this one fails if an output leaks.
    value: Any = sas_uri() if field == "sas_uri" else service_principal()
    if give == "args" and field == "service_principal":
        value = ServicePrincipalArgs(**value)
    conn = AzureBlobConnection("c", AzureBlobConnectionArgs(**{field: value}))

    async def is_secret() -> bool:
        output: pulumi.Output[Any] = getattr(conn, field)
        return await output.is_secret()

    def check(secret: bool) -> None:
        assert secret, f"{field} output is not a secret"

    secret: pulumi.Output[bool] = pulumi.Output.from_input(is_secret())
    return secret.apply(check)


@pulumi_test
def test_output_attributes_resolve_to_the_engine_outputs(mocks: Mocks) -> Any:
    # Replaces a test grepping the class source: this one fails if an attribute does not materialize.
    conn = AzureBlobConnection("landing", AzureBlobConnectionArgs(connection_string=connection_string()))
    names = ("connection_id", "etag", "state", "created_at", "updated_at", "sandbox_name")

    def check(values: list[Any]) -> None:
        assert dict(zip(names, values, strict=True)) == {n: OUTPUTS[n] for n in names}

    return pulumi.Output.all(*(getattr(conn, n) for n in names)).apply(check)


def test_d12_args_reprs_mask_every_secret() -> None:
    principal = service_principal()
    secrets_ = [connection_string(), sas_uri(), principal["service_principal_key"]]
    shown = [
        repr(ServicePrincipalArgs(**principal)),
        repr(AzureBlobConnectionArgs(connection_string=secrets_[0], container="landing")),
        repr(AzureBlobConnectionArgs(sas_uri=secrets_[1])),
        repr(AzureBlobConnectionArgs(service_principal=principal)),
        repr(AzureBlobConnectionArgs(service_principal=ServicePrincipalArgs(**principal))),
        str(AzureBlobConnectionArgs(connection_string=secrets_[0])),
    ]
    for text in shown:
        assert not [s for s in secrets_ if s in text], text
        assert "'[secret]'" in text
    assert "container='landing'" in shown[1]
    assert f"tenant={principal['tenant']!r}" in shown[0]
