"""One registry of resource types (``pulumi_aep.registry``) serves both faces and the schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
import pytest
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.runtime.proto import provider_pb2

from pulumi_aep import pipeline_provider
from pulumi_aep.core import Core
from pulumi_aep.errors import AepError
from pulumi_aep.pipeline_core import PipelineAdapter
from pulumi_aep.provider import AzureBlobConnectionProvider, RegisteredProvider
from pulumi_aep.registry import REGISTRY, token_of
from pulumi_aep.schema import schema
from tests.faces.test_plugin_grpc import Stub, plugin, server, struct
from tests.helpers.pipeline import SCHEMA_ID

__all__ = ["plugin", "server"]

DYNAMIC: tuple[type[RegisteredProvider], ...] = (
    AzureBlobConnectionProvider,
    *(getattr(pipeline_provider, name) for name in pipeline_provider.__all__),
)


def test_the_registry_holds_the_five_types_the_schema_lists() -> None:
    assert list(REGISTRY) == [
        "aep:index:AzureBlobConnection",
        "aep:index:AzureBlobSourceConnection",
        "aep:index:Dataset",
        "aep:index:DataLakeTargetConnection",
        "aep:index:Dataflow",
    ]
    assert list(schema()["resources"]) == list(REGISTRY)


def test_each_dynamic_provider_class_is_the_face_of_one_registered_type() -> None:
    assert sorted(token_of(cls.RESOURCE) for cls in DYNAMIC) == sorted(REGISTRY)
    for cls in DYNAMIC:
        provider = cls()
        provider.configure(ConfigureRequest(Config({"aep:sandboxName": "dev"}, "proj")))
        adapter = provider._adapter()
        if cls is AzureBlobConnectionProvider:
            assert isinstance(adapter, Core)
        else:
            assert isinstance(adapter, PipelineAdapter)
            assert adapter.resource == cls.RESOURCE
        # The configuration reached the adapter: the sandbox default comes from aep:sandboxName.
        assert provider.check({}, {"name": "x"}).inputs["sandbox_name"] == "dev", cls


def test_a_dynamic_provider_of_an_unregistered_name_says_which_names_exist() -> None:
    class Other(RegisteredProvider):
        RESOURCE = "Other"

    with pytest.raises(AepError) as refused:
        Other().configure(ConfigureRequest(Config({}, "proj")))
    assert "aep:index:Other" in str(refused.value)
    assert all(token in str(refused.value) for token in REGISTRY)


def _calls(urn: str) -> dict[str, Callable[[Stub], Any]]:
    empty = struct({})
    return {
        "Check": lambda s: s.Check(provider_pb2.CheckRequest(urn=urn, news=empty)),
        "Diff": lambda s: s.Diff(provider_pb2.DiffRequest(urn=urn, id="x", olds=empty, news=empty)),
        "Create": lambda s: s.Create(provider_pb2.CreateRequest(urn=urn, properties=empty, preview=True)),
        "Read": lambda s: s.Read(provider_pb2.ReadRequest(urn=urn, id="x")),
        "Update": lambda s: s.Update(
            provider_pb2.UpdateRequest(urn=urn, id="x", olds=empty, news=empty, preview=True)
        ),
        "Delete": lambda s: s.Delete(provider_pb2.DeleteRequest(urn=urn, id="x")),
    }


def test_every_call_on_an_unknown_type_is_refused_naming_it_and_the_known_ones(plugin: Stub) -> None:
    urn = "urn:pulumi:dev::proj::my:index:App$aep:index:Other::x"
    for method, call in _calls(urn).items():
        with pytest.raises(grpc.RpcError) as refused:
            call(plugin)
        details = refused.value.details() or ""
        assert "'aep:index:Other'" in details, method
        assert all(token in details for token in REGISTRY), (method, details)
        assert "Traceback" not in details


def test_a_call_without_a_resource_urn_is_refused_naming_it(plugin: Stub) -> None:
    for method, call in _calls("not-a-urn").items():
        with pytest.raises(grpc.RpcError) as refused:
            call(plugin)
        assert "'not-a-urn'" in (refused.value.details() or ""), method


@pytest.mark.parametrize(
    ("olds", "news", "kind"),
    [
        ({}, {"description": "customers"}, provider_pb2.PropertyDiff.ADD),
        ({"description": "customers"}, {}, provider_pb2.PropertyDiff.DELETE),
        ({"description": "customers"}, {"description": "all"}, provider_pb2.PropertyDiff.UPDATE),
    ],
)
def test_a_pipeline_diff_tells_added_and_removed_properties_as_the_connection_does(
    plugin: Stub, olds: dict[str, Any], news: dict[str, Any], kind: provider_pb2.PropertyDiff.Kind.ValueType
) -> None:
    base = {"name": "customers", "schemaId": SCHEMA_ID, "sandboxName": "prod"}
    urn = "urn:pulumi:dev::proj::aep:index:Dataset::customers"
    outputs = {**base, **olds, "datasetId": "0123456789abcdef01234567"}
    diff = plugin.Diff(
        provider_pb2.DiffRequest(urn=urn, id="x", olds=struct(outputs), news=struct({**base, **news}))
    )
    assert dict(diff.detailedDiff) == {"description": provider_pb2.PropertyDiff(kind=kind)}
    assert list(diff.replaces) == []
