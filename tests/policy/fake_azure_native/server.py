"""Serve a fake ``azure-native`` provider that accepts any inputs and echoes them as outputs.

Just enough of the ResourceProvider gRPC protocol for ``pulumi preview``/``up``/``destroy`` to register
``azure-native:storage:StorageAccount`` resources, so policies evaluate them through the real CLI. It
never talks to Azure. Started by the engine through the ``pulumi-resource-azure-native`` launcher that
``write_launcher`` puts on ``PATH``.
"""

from __future__ import annotations

import stat
import sys
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

#: Reported to the engine, which warns about versions older than the azure-native it expects (>=3.x).
VERSION = "3.999.0"


class FakeAzureNative(provider_pb2_grpc.ResourceProviderServicer):
    """Check passes inputs through, Create/Update echo them, Read returns the stored state."""

    def GetPluginInfo(self, request: Any, context: Any) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version=VERSION)

    def GetSchema(self, request: Any, context: Any) -> provider_pb2.GetSchemaResponse:
        return provider_pb2.GetSchemaResponse(schema="{}")

    def CheckConfig(self, request: Any, context: Any) -> provider_pb2.CheckResponse:
        return provider_pb2.CheckResponse(inputs=request.news)

    def DiffConfig(self, request: Any, context: Any) -> provider_pb2.DiffResponse:
        return provider_pb2.DiffResponse(changes=provider_pb2.DiffResponse.DIFF_NONE)

    def Configure(self, request: Any, context: Any) -> provider_pb2.ConfigureResponse:
        return provider_pb2.ConfigureResponse(acceptSecrets=False, supportsPreview=False)

    def Check(self, request: Any, context: Any) -> provider_pb2.CheckResponse:
        return provider_pb2.CheckResponse(inputs=request.news)

    def Diff(self, request: Any, context: Any) -> provider_pb2.DiffResponse:
        changed = request.olds != request.news
        kind = provider_pb2.DiffResponse.DIFF_SOME if changed else provider_pb2.DiffResponse.DIFF_NONE
        return provider_pb2.DiffResponse(changes=kind)

    def Create(self, request: Any, context: Any) -> provider_pb2.CreateResponse:
        name = request.urn.split("::")[-1]
        return provider_pb2.CreateResponse(id=f"/fake/{name}", properties=request.properties)

    def Read(self, request: Any, context: Any) -> provider_pb2.ReadResponse:
        return provider_pb2.ReadResponse(id=request.id, properties=request.properties, inputs=request.inputs)

    def Update(self, request: Any, context: Any) -> provider_pb2.UpdateResponse:
        return provider_pb2.UpdateResponse(properties=request.news)

    def Delete(self, request: Any, context: Any) -> empty_pb2.Empty:
        return empty_pb2.Empty()

    def Cancel(self, request: Any, context: Any) -> empty_pb2.Empty:
        return empty_pb2.Empty()


def serve() -> None:
    """Bind a loopback port, tell the engine which one on stdout, serve until killed."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(FakeAzureNative(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    server.wait_for_termination()


def write_launcher(directory: Path, python: Path) -> Path:
    """Write ``pulumi-resource-azure-native`` into ``directory`` (put it on PATH) and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    launcher = directory / "pulumi-resource-azure-native"
    launcher.write_text(f'#!/bin/sh\nexec "{python}" -u "{Path(__file__).resolve()}" "$@"\n')
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return launcher


_ = struct_pb2  # the Struct type travels inside the requests above

if __name__ == "__main__":
    serve()
