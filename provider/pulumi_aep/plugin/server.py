"""The ResourceProvider gRPC servicer of ``pulumi-resource-aep`` (raw stubs from the ``pulumi`` wheel).

Built on ``pulumi.runtime.proto`` rather than ``pulumi.provider.experimental``: that API (3.272)
cannot marshal unknown values, rejects ints, runs blocking calls one at a time in its event loop,
and appends Python tracebacks to every error message. Here each call runs on a worker thread of the
server's own pool (``cli.MAX_WORKERS``), and errors reach the CLI as our message only.

The engine starts one plugin process per provider instance (the default provider or each explicit
``aep`` provider) and configures it once.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

from pulumi_aep import naming
from pulumi_aep.config import ProviderConfig
from pulumi_aep.core import Adapter
from pulumi_aep.definition import camel
from pulumi_aep.errors import AepError, EngineRequestError
from pulumi_aep.plugin.config import config_from
from pulumi_aep.plugin.values import Codec, codec_of, wire_path
from pulumi_aep.registry import ResourceType, resource_type
from pulumi_aep.schema import schema_json, version

log = logging.getLogger(__name__)

_R = TypeVar("_R")
_Handler = Callable[["AepProvider", Any, grpc.ServicerContext], _R]


def _answers(method: _Handler[_R]) -> _Handler[_R]:
    """Turn an exception into a gRPC error carrying our message only (no traceback, no causes)."""

    @functools.wraps(method)
    def wrapper(self: AepProvider, request: Any, context: grpc.ServicerContext) -> _R:
        # At -v=7 and above (pulumi_aep.logs): each call, its URN and outcome; never a property value.
        call = f"{method.__name__}({getattr(request, 'urn', '') or ''})"
        started = time.monotonic()
        log.debug("%s", call)
        try:
            answer = method(self, request, context)
        except AepError as exc:
            log.debug("%s failed after %.0f ms: %s", call, _ms_since(started), exc)
            context.abort(grpc.StatusCode.UNKNOWN, str(exc))
        except Exception as exc:
            # Never a traceback to the CLI: it could quote request values. The type names the defect.
            log.debug("%s failed", call, exc_info=True)
            context.abort(
                grpc.StatusCode.INTERNAL,
                f"pulumi-resource-aep: internal error in {method.__name__} ({type(exc).__name__}); "
                "please report it with the output of `pulumi up -v=9 --logtostderr`",
            )
        else:
            log.debug("%s answered after %.0f ms", call, _ms_since(started))
            return answer
        raise AssertionError("unreachable")  # context.abort raises

    return wrapper


def _ms_since(started: float) -> float:
    return (time.monotonic() - started) * 1000


def _serves(method: Callable[[AepProvider, Any, _Served], _R]) -> _Handler[_R]:
    """A resource call: ``method`` gets what serves its request's URN type, looked up once; errors as
    ``_answers`` turns them."""

    @functools.wraps(method)
    def handler(self: AepProvider, request: Any, context: grpc.ServicerContext) -> _R:
        return method(self, request, self.served(request.urn))

    return _answers(handler)


def _resource_name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _type_of(urn: str) -> str:
    """The type token of ``urn:pulumi:<stack>::<project>::<parent types $ ...><type>::<name>``."""
    parts = urn.split("::")
    if len(parts) < 4:
        raise EngineRequestError(
            f"pulumi-resource-aep got {urn!r} where a resource URN belongs; please report it "
            "with the output of `pulumi up -v=9 --logtostderr`"
        )
    return parts[-2].rsplit("$", 1)[-1]


@dataclass(frozen=True)
class _Served:
    """The resource type of one call, its wire codec and its adapter for the provider's configuration."""

    kind: ResourceType
    wire: Codec
    core: Adapter


class AepProvider(provider_pb2_grpc.ResourceProviderServicer):
    """Answers the engine's calls; each runs on a worker thread of the server's own pool.

    Every resource call looks its URN's type token up in ``pulumi_aep.registry`` once and calls the
    adapter found there: the same code serves every resource type.
    """

    def __init__(self, engine_address: str) -> None:
        self._engine_address = engine_address
        self._lock = threading.Lock()
        self._config: ProviderConfig | None = None
        self._secrets = False

    def config(self) -> ProviderConfig:
        """The configuration (``AEP_*`` environment only until ``Configure`` ran)."""
        with self._lock:
            if self._config is None:
                self._config = ProviderConfig.from_env()
            return self._config

    def served(self, urn: str) -> _Served:
        """What serves ``urn``'s type.

        Raises:
            EngineRequestError: the type is not one of the provider's, naming it and the known ones.
        """
        kind = resource_type(_type_of(urn))
        return _Served(kind, codec_of(kind.token), kind.bind(self.config()))

    def GetPluginInfo(self, request: empty_pb2.Empty, context: Any) -> plugin_pb2.PluginInfo:  # noqa: N802 - gRPC method name
        """The plugin's version (pyproject.toml's)."""
        return plugin_pb2.PluginInfo(version=version())

    def GetSchema(  # noqa: N802 - gRPC method name
        self, request: provider_pb2.GetSchemaRequest, context: Any
    ) -> provider_pb2.GetSchemaResponse:
        """The package schema, derived from the registry's definitions."""
        return provider_pb2.GetSchemaResponse(schema=schema_json())

    def Cancel(self, request: empty_pb2.Empty, context: Any) -> empty_pb2.Empty:  # noqa: N802 - gRPC method name
        """The engine is shutting down: nothing to stop (every HTTP call in flight is bounded by the
        timeouts, and the process ends when the engine stops it)."""
        return empty_pb2.Empty()

    @_answers
    def CheckConfig(  # noqa: N802 - gRPC method name
        self, request: provider_pb2.CheckRequest, context: grpc.ServicerContext
    ) -> provider_pb2.CheckResponse:
        """Provider inputs are taken as given; ``Configure`` reports a bad value naming its key."""
        return provider_pb2.CheckResponse(inputs=request.news)

    @_answers
    def Configure(  # noqa: N802 - gRPC method name
        self, request: provider_pb2.ConfigureRequest, context: grpc.ServicerContext
    ) -> provider_pb2.ConfigureResponse:
        """Read ``aep:*`` (provider inputs or stack config), ``AEP_*`` fallbacks; once per process."""
        config = config_from(request)
        log.debug("configured: %r", config)
        with self._lock:
            self._config = config
            self._secrets = request.acceptSecrets
        # Auto-naming follows the engine's `pulumi:autonaming` settings when a stack sets them (Check).
        return provider_pb2.ConfigureResponse(
            acceptSecrets=request.acceptSecrets,
            supportsPreview=True,
            supports_autonaming_configuration=True,
        )

    @_serves
    def Check(  # noqa: N802 - gRPC method name
        self, request: provider_pb2.CheckRequest, served: _Served
    ) -> provider_pb2.CheckResponse:
        """Validate offline, defaults applied (``name``: ``pulumi_aep.naming``); failures per property."""
        news = served.wire.decode(request.news)
        if news.get("name") is None:
            news["name"] = naming.name_for(
                _resource_name(request.urn),
                served.wire.decode(request.olds),
                seed=request.randomSeed,
                proposed=request.autonaming.proposed_name,
                disabled=request.autonaming.mode == provider_pb2.CheckRequest.AutonamingOptions.DISABLE,
            )
        inputs, failures = served.core.check(news)
        return provider_pb2.CheckResponse(
            inputs=served.wire.encode(inputs, self._secrets),
            failures=[
                provider_pb2.CheckFailure(property=wire_path(f.property), reason=f.reason) for f in failures
            ],
        )

    @_serves
    def Diff(  # noqa: N802 - gRPC method name
        self, request: provider_pb2.DiffRequest, served: _Served
    ) -> provider_pb2.DiffResponse:
        """Changed properties by name (never values), replacements as the core decides."""
        olds, news = served.wire.decode(request.olds), served.wire.decode(request.news)
        change = served.core.diff(olds, news, served.wire.decode(request.old_inputs))
        detailed = {
            camel(k): provider_pb2.PropertyDiff(kind=_kind(olds.get(k), news.get(k), k in change.replaces))
            for k in change.changed
        }
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME
            if change.changed
            else provider_pb2.DiffResponse.DIFF_NONE,
            replaces=[camel(k) for k in change.replaces],
            diffs=list(detailed),
            detailedDiff=detailed,
            hasDetailedDiff=True,
            deleteBeforeReplace=False,
        )

    @_serves
    def Create(  # noqa: N802 - gRPC method name
        self, request: provider_pb2.CreateRequest, served: _Served
    ) -> provider_pb2.CreateResponse:
        """POST (or adopt); on preview, the inputs plus unknown outputs and no API call."""
        props = served.wire.decode(request.properties)
        if request.preview:
            planned = served.wire.encode(props, self._secrets, served.kind.created)
            return provider_pb2.CreateResponse(id="", properties=planned)
        id_, outs = served.core.create(props)
        return provider_pb2.CreateResponse(id=id_, properties=served.wire.encode(outs, self._secrets))

    @_serves
    def Read(  # noqa: N802 - gRPC method name
        self, request: provider_pb2.ReadRequest, served: _Served
    ) -> provider_pb2.ReadResponse:
        """Refresh and ``pulumi import``: live outputs and matching inputs; gone -> empty id."""
        props = {**served.wire.decode(request.inputs), **served.wire.decode(request.properties)}
        found = served.core.read(request.id, props)
        if found is None:
            return provider_pb2.ReadResponse()
        return provider_pb2.ReadResponse(
            id=request.id,
            properties=served.wire.encode(found.outputs, self._secrets),
            inputs=served.wire.encode(found.inputs, self._secrets),
        )

    @_serves
    def Update(  # noqa: N802 - gRPC method name
        self, request: provider_pb2.UpdateRequest, served: _Served
    ) -> provider_pb2.UpdateResponse:
        """The core's update; on preview, the new inputs over the old outputs, written outputs unknown."""
        olds, news = served.wire.decode(request.olds), served.wire.decode(request.news)
        if request.preview:
            planned = served.wire.encode({**olds, **news}, self._secrets, served.kind.written)
            return provider_pb2.UpdateResponse(properties=planned)
        outs = served.core.update(request.id, olds, news, served.wire.decode(request.old_inputs))
        return provider_pb2.UpdateResponse(properties=served.wire.encode(outs, self._secrets))

    @_serves
    def Delete(  # noqa: N802 - gRPC method name
        self, request: provider_pb2.DeleteRequest, served: _Served
    ) -> empty_pb2.Empty:
        """Delete; already gone counts as success."""
        served.core.delete(request.id, served.wire.decode(request.properties))
        return empty_pb2.Empty()


def _kind(old: Any, new: Any, replaces: bool) -> provider_pb2.PropertyDiff.Kind.ValueType:
    kinds = provider_pb2.PropertyDiff
    if old is None:
        return kinds.ADD_REPLACE if replaces else kinds.ADD
    if new is None:
        return kinds.DELETE_REPLACE if replaces else kinds.DELETE
    return kinds.UPDATE_REPLACE if replaces else kinds.UPDATE
