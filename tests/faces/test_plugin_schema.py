"""The plugin process: serves GetPluginInfo/GetSchema over gRPC, prints the schema with ``--schema``."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import grpc
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from pulumi_aep.definition import AZURE_BLOB_CONNECTION, RESOURCE_TYPE


@pytest.fixture(scope="module")
def plugin() -> Iterator[provider_pb2_grpc.ResourceProviderStub]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "pulumi_aep.plugin", "127.0.0.1:1", "--logtostderr", "-v=9"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield provider_pb2_grpc.ResourceProviderStub(channel)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_plugin_info_reports_the_package_version(plugin: provider_pb2_grpc.ResourceProviderStub) -> None:
    from pulumi_aep.schema import version

    assert plugin.GetPluginInfo(empty_pb2.Empty()).version == version()


def test_get_schema_over_grpc_equals_the_schema_flag(plugin: provider_pb2_grpc.ResourceProviderStub) -> None:
    served = json.loads(plugin.GetSchema(provider_pb2.GetSchemaRequest(version=0)).schema)
    printed = json.loads(
        subprocess.run(
            [sys.executable, "-m", "pulumi_aep.plugin", "--schema"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert served == printed
    resource = served["resources"][RESOURCE_TYPE]
    assert set(resource["properties"]) == {p.camel for p in AZURE_BLOB_CONNECTION}
    for name in ("connectionString", "sasUri", "servicePrincipal"):
        assert resource["inputProperties"][name]["secret"] is True
    assert served["types"]["aep:index:ServicePrincipal"]["properties"]["servicePrincipalKey"]["secret"]
    assert resource["inputProperties"]["sandboxName"]["replaceOnChanges"] is True
    assert "connectionId" not in resource["inputProperties"]
