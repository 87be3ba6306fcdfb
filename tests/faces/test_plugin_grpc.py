"""The plugin process over gRPC against the emulator over HTTP: the engine's calls, one by one."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent import futures
from contextlib import contextmanager
from typing import IO, Any

import grpc
import pytest
from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from aep_emulator.server import EmulatorServer
from aep_emulator.testing import provider_config
from pulumi_aep.model import UNKNOWN
from pulumi_aep.plugin.values import SECRET_SIG, SIG
from tests.e2e.harness import CONNECTION_STRING

pytestmark = pytest.mark.emulator

URN = "urn:pulumi:dev::proj::aep:index:AzureBlobConnection::landing"
Stub = provider_pb2_grpc.ResourceProviderStub


def struct(values: dict[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(values)
    return message


def plain(message: struct_pb2.Struct) -> dict[str, Any]:
    return dict(json_format.MessageToDict(message))


def secret(value: Any) -> dict[str, Any]:
    return {SIG: SECRET_SIG, "value": value}


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0) as emulator:
        yield emulator


@pytest.fixture
def plugin(server: EmulatorServer) -> Iterator[Stub]:
    with serving(server) as stub:
        yield stub


@contextmanager
def serving(server: EmulatorServer, stderr: IO[str] | None = None) -> Iterator[Stub]:
    """A fresh plugin process, configured for the emulator (reset first); its log to ``stderr`` if given."""
    server.control.reset()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pulumi_aep.plugin", "127.0.0.1:1", *(["--logtostderr"] if stderr else [])],
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = Stub(channel)
            config = {k.removeprefix("aep:"): v for k, v in provider_config(server.base_url).items()}
            configured = stub.Configure(
                provider_pb2.ConfigureRequest(args=struct(config), acceptSecrets=True)
            )
            assert configured.acceptSecrets
            yield stub
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def check(
    stub: Stub, news: dict[str, Any], olds: struct_pb2.Struct | None = None
) -> provider_pb2.CheckResponse:
    """Check as the engine calls it: with the inputs in state (``olds``) for a resource that exists."""
    response: provider_pb2.CheckResponse = stub.Check(
        provider_pb2.CheckRequest(urn=URN, news=struct(news), olds=olds)
    )
    return response


def test_check_names_the_connection_and_marks_credentials_secret(plugin: Stub) -> None:
    checked = check(plugin, {"connectionString": CONNECTION_STRING, "container": "landing"})
    assert list(checked.failures) == []
    inputs = plain(checked.inputs)
    assert re.fullmatch(r"landing-[0-9a-f]{7}", inputs["name"]), inputs["name"]
    assert inputs["sandboxName"] == "prod"
    assert inputs["connectionString"] == secret(CONNECTION_STRING)


def test_check_failures_name_schema_properties_without_values(plugin: Stub) -> None:
    checked = check(
        plugin,
        {
            "servicePrincipal": {
                "serviceEndpoint": "http://acct.blob.core.windows.net",
                "servicePrincipalId": "id",
                "servicePrincipalKey": "k3y-value",
                "tenant": "t",
            },
            "container": "Bad_Name!",
        },
    )
    by_property = {f.property: f.reason for f in checked.failures}
    assert set(by_property) == {"servicePrincipal.serviceEndpoint", "container"}
    assert "k3y-value" not in str(by_property)


def test_check_skips_values_unknown_at_preview(plugin: Stub) -> None:
    checked = check(plugin, {"connectionString": UNKNOWN, "container": UNKNOWN})
    assert list(checked.failures) == []
    assert plain(checked.inputs)["connectionString"] == UNKNOWN


def test_create_preview_answers_unknown_outputs_without_calling_the_api(
    plugin: Stub, server: EmulatorServer
) -> None:
    inputs = check(plugin, {"connectionString": CONNECTION_STRING}).inputs
    preview = plugin.Create(provider_pb2.CreateRequest(urn=URN, properties=inputs, preview=True))
    outputs = plain(preview.properties)
    assert (outputs["connectionId"], outputs["etag"]) == (UNKNOWN, UNKNOWN)
    assert server.control.connections() == []


def test_create_read_diff_delete(plugin: Stub, server: EmulatorServer) -> None:
    inputs = check(plugin, {"connectionString": CONNECTION_STRING, "container": "landing"}).inputs
    created = plugin.Create(provider_pb2.CreateRequest(urn=URN, properties=inputs))
    outputs = plain(created.properties)
    assert outputs["connectionId"] == created.id
    assert outputs["connectionString"] == secret(CONNECTION_STRING)
    assert isinstance(outputs["createdAt"], float)

    same = plugin.Diff(provider_pb2.DiffRequest(urn=URN, id=created.id, olds=created.properties, news=inputs))
    assert same.changes == provider_pb2.DiffResponse.DIFF_NONE

    renamed = check(plugin, {"connectionString": "x" + CONNECTION_STRING[1:], "name": "other"}).inputs
    diff = plugin.Diff(
        provider_pb2.DiffRequest(urn=URN, id=created.id, olds=created.properties, news=renamed)
    )
    assert diff.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert set(diff.detailedDiff) == {"name", "connectionString", "container"}
    assert list(diff.replaces) == []

    by_sas = check(plugin, {"sasUri": "https://acct.blob.core.windows.net/?sv=2022-11-02&sig=abc"}).inputs
    switch = plugin.Diff(
        provider_pb2.DiffRequest(urn=URN, id=created.id, olds=created.properties, news=by_sas)
    )
    assert set(switch.replaces) == {"connectionString", "sasUri"}
    assert switch.detailedDiff["sasUri"].kind == provider_pb2.PropertyDiff.ADD_REPLACE

    # `pulumi import`: neither properties nor inputs; no secret is known, none is invented.
    imported = plugin.Read(provider_pb2.ReadRequest(urn=URN, id=created.id))
    read_out = plain(imported.properties)
    assert imported.id == created.id
    assert "connectionString" not in read_out
    assert read_out["container"] == "landing"
    # After import, declaring the credentials is no change.
    after_import = plugin.Diff(
        provider_pb2.DiffRequest(urn=URN, id=created.id, olds=imported.properties, news=inputs)
    )
    assert after_import.changes == provider_pb2.DiffResponse.DIFF_NONE, after_import
    # Once an `up` recorded the declared credentials as inputs, rotating them is a change.
    rotated = check(
        plugin, {"connectionString": "x" + CONNECTION_STRING[1:], "container": "landing"}, olds=inputs
    ).inputs
    rotation = plugin.Diff(
        provider_pb2.DiffRequest(
            urn=URN, id=created.id, olds=imported.properties, news=rotated, old_inputs=inputs
        )
    )
    assert set(rotation.detailedDiff) == {"connectionString"}

    plugin.Delete(provider_pb2.DeleteRequest(urn=URN, id=created.id, properties=created.properties))
    assert server.control.connections() == []
    gone = plugin.Read(provider_pb2.ReadRequest(urn=URN, id=created.id, properties=created.properties))
    assert gone.id == ""


def test_api_errors_carry_our_message_only(plugin: Stub, server: EmulatorServer) -> None:
    server.control.inject_fault(method="POST", path_pattern="/connections", status=400, count=5)
    inputs = check(plugin, {"connectionString": CONNECTION_STRING}).inputs
    with pytest.raises(grpc.RpcError) as failed:
        plugin.Create(provider_pb2.CreateRequest(urn=URN, properties=inputs))
    details = failed.value.details() or ""
    assert "Traceback" not in details
    assert "400" in details
    assert CONNECTION_STRING not in details


def test_check_accepts_a_connection_inside_a_component_and_refuses_other_types(plugin: Stub) -> None:
    nested = "urn:pulumi:dev::proj::my:app:Component$aep:index:AzureBlobConnection::landing"
    checked = plugin.Check(
        provider_pb2.CheckRequest(urn=nested, news=struct({"connectionString": CONNECTION_STRING}))
    )
    assert list(checked.failures) == []
    with pytest.raises(grpc.RpcError) as refused:
        plugin.Check(
            provider_pb2.CheckRequest(urn="urn:pulumi:dev::proj::aep:index:Other::x", news=struct({}))
        )
    assert "aep:index:Other" in (refused.value.details() or "")


def test_auto_naming_keeps_the_name_in_state_and_follows_the_engine(plugin: Stub) -> None:
    """A name already in state is kept (stacks from before auto-naming carry the bare resource name);
    the engine's random seed makes preview and up agree; its autonaming settings are honoured."""
    news = struct({"connectionString": CONNECTION_STRING, "container": "landing"})
    options = provider_pb2.CheckRequest.AutonamingOptions

    def name(**request: Any) -> str:
        response = plugin.Check(provider_pb2.CheckRequest(urn=URN, news=news, **request))
        return str(plain(response.inputs)["name"])

    assert name(olds=struct({"name": "landing"})) == "landing"
    assert name(randomSeed=b"seed") == name(randomSeed=b"seed") != name(randomSeed=b"other")
    assert name(autonaming=options(proposed_name="acme-landing", mode=options.ENFORCE)) == "acme-landing"
    assert name(autonaming=options(mode=options.DISABLE)) == "landing"


def test_serves_as_many_creates_at_once_as_the_engine_sends(server: EmulatorServer) -> None:
    # 80 creates sent at once, each answered 3 s later: more than the plugin's old fixed pool of 64
    # threads, and ten times the old HTTP pool of 8 connections, whose extras urllib3 discarded.
    count = 80
    with tempfile.TemporaryFile("w+") as stderr, serving(server, stderr) as stub:
        server.control.inject_fault(method="POST", path_pattern="/connections", count=count, latency_ms=3000)
        inputs = check(stub, {"connectionString": CONNECTION_STRING}).inputs
        request = provider_pb2.CreateRequest(urn=URN, properties=inputs)
        with futures.ThreadPoolExecutor(max_workers=count) as pool:
            created = list(pool.map(lambda _: stub.Create(request, timeout=60), range(count)))
        stderr.seek(0)
        logged = stderr.read()
    assert len({c.id for c in created}) == count
    assert server.control.inflight()["createConnection"]["max"] == count
    assert "Connection pool is full" not in logged
