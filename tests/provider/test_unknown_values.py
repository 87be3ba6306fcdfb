"""Unknowns as the dynamic-provider server really hands them over at preview.

The servicer deserializes `Check`/`Diff` inputs with `keep_unknowns=True`, which turns the engine's
unknown sentinel into `pulumi.output.Unknown` objects (not the sentinel string): check and diff must
treat both forms alike.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.output import Unknown
from pulumi.runtime import rpc

from pulumi_aep.diffing import diff_props
from pulumi_aep.provider import AzureBlobConnectionProvider

from .helpers import UNKNOWN, props, service_principal


def as_the_server_sees_it(values: dict[str, Any]) -> dict[str, Any]:
    """Round-trip VALUES through the wire format exactly as `pulumi.dynamic.__main__.Check` does."""
    loop = asyncio.new_event_loop()
    try:
        struct = loop.run_until_complete(rpc.serialize_properties(values, {}))
    finally:
        loop.close()
    return dict(rpc.deserialize_properties(struct, True))


@pytest.fixture
def provider() -> AzureBlobConnectionProvider:
    p = AzureBlobConnectionProvider()
    p.configure(ConfigureRequest(Config({"aep:sandboxName": "dev"}, "proj")))
    return p


def test_wire_unknowns_are_unknown_objects() -> None:
    news = as_the_server_sees_it(props(sandbox_name=UNKNOWN))
    assert isinstance(news["sandbox_name"], Unknown)


@pytest.mark.parametrize(
    "field", ["name", "description", "connection_string", "container", "folder_path", "sandbox_name"]
)
def test_check_tolerates_an_unknown_object(provider: AzureBlobConnectionProvider, field: str) -> None:
    news = as_the_server_sees_it(props(**{field: UNKNOWN}))
    result = provider.check({}, news)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]


def test_check_tolerates_unknown_service_principal_fields(provider: AzureBlobConnectionProvider) -> None:
    principal = service_principal(service_principal_key=UNKNOWN, tenant=UNKNOWN)
    news = as_the_server_sees_it(props(connection_string=None, service_principal=principal))
    assert provider.check({}, news).failures == []


def test_checked_inputs_with_unknowns_serialize_back(provider: AzureBlobConnectionProvider) -> None:
    news = as_the_server_sees_it(props(connection_string=UNKNOWN, sandbox_name=UNKNOWN))
    inputs = provider.check({}, news).inputs
    again = as_the_server_sees_it(inputs)
    assert isinstance(again["connection_string"], Unknown)
    assert isinstance(again["sandbox_name"], Unknown)


def test_check_still_reports_known_bad_values_beside_unknowns(provider: AzureBlobConnectionProvider) -> None:
    news = as_the_server_sees_it(props(connection_string=UNKNOWN, container="Bad_Container"))
    assert [f.property for f in provider.check({}, news).failures] == ["container"]


def test_diff_treats_an_unknown_object_as_a_change() -> None:
    olds = props()
    news = as_the_server_sees_it(props(connection_string=UNKNOWN))
    assert diff_props(olds, news).changes is None


def test_diff_replaces_on_an_unknown_sandbox_object() -> None:
    olds = props()
    news = as_the_server_sees_it(props(sandbox_name=UNKNOWN))
    assert diff_props(olds, news).replaces == ["sandbox_name"]
