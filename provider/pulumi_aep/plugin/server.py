"""The ResourceProvider gRPC servicer of ``pulumi-resource-aep`` (raw stubs from the ``pulumi`` wheel).

Built on ``pulumi.runtime.proto`` rather than ``pulumi.provider.experimental``: that API (3.272)
cannot marshal unknown values, rejects ints, and appends Python tracebacks to every error message.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import empty_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

from pulumi_aep.schema import schema_json, version


class AepProvider(provider_pb2_grpc.ResourceProviderServicer):
    """Answers the engine's calls; each runs on a worker thread of the server's own pool."""

    def __init__(self, engine_address: str) -> None:
        self._engine_address = engine_address

    def GetPluginInfo(self, request: empty_pb2.Empty, context: Any) -> plugin_pb2.PluginInfo:  # noqa: N802 - gRPC method name
        """The plugin's version (pyproject.toml's)."""
        return plugin_pb2.PluginInfo(version=version())

    def GetSchema(  # noqa: N802 - gRPC method name
        self, request: provider_pb2.GetSchemaRequest, context: Any
    ) -> provider_pb2.GetSchemaResponse:
        """The package schema, derived from ``pulumi_aep.definition``."""
        return provider_pb2.GetSchemaResponse(schema=schema_json())
