"""The LanguageRuntime gRPC service: thin handlers named after the RPCs, delegating to the other modules.

Implemented: Handshake, GetPluginInfo, GetRequiredPlugins, GetRequiredPackages, InstallDependencies (a no-op:
this project's virtualenvs are made by `make`), Run, RunPlugin, About, GetProgramDependencies,
RuntimeOptionsPrompts, Cancel. Code generation (Template, GenerateProgram/Project/Package, Pack, Link) is left
UNIMPLEMENTED: those serve `pulumi new/convert/package`, which this project does not use.
"""

from __future__ import annotations

import base64
import os
import threading
from collections.abc import Iterator
from typing import Any

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2

from . import __version__, interpreter, plugins, probe, program

_HOST = f"pulumi-aep {__version__}"


class LanguageHost(language_pb2_grpc.LanguageRuntimeServicer):
    """Answers the engine's LanguageRuntime calls for Python programs and plugins."""

    def __init__(self, engine_address: str) -> None:
        """Create the service.

        Args:
            engine_address: The engine's gRPC address from our command line ("" if absent; Handshake sets it).
        """
        self._engine_address = engine_address
        self._lock = threading.Lock()

    def _interpreter(self, info: language_pb2.ProgramInfo) -> interpreter.Interpreter:
        options = interpreter.runtime_options(info.options if info.HasField("options") else None)
        return interpreter.resolve(info.root_directory or os.getcwd(), options, os.environ)

    def _required(
        self, info: language_pb2.ProgramInfo, context: grpc.ServicerContext
    ) -> list[plugin_pb2.PackageDependency]:
        # Like Pulumi's host we report every installed package's plugin, so the CLI can pre-install them
        # (offline, set PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true to skip the failing downloads).
        found = self._describe(info, context)
        return [_package_dependency(p) for p in found.packages if p.plugin is not None]

    def _describe(self, info: language_pb2.ProgramInfo, context: grpc.ServicerContext) -> probe.Description:
        try:
            return probe.describe(self._interpreter(info), dict(os.environ))
        except (interpreter.InterpreterError, probe.ProbeError) as exc:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(exc))
            raise  # unreachable: abort raises

    def Handshake(  # noqa: N802 - gRPC method name
        self, request: language_pb2.LanguageHandshakeRequest, context: grpc.ServicerContext
    ) -> language_pb2.LanguageHandshakeResponse:
        """Called first when the engine attaches to an already running host: remember its address."""
        with self._lock:
            self._engine_address = request.engine_address or self._engine_address
        return language_pb2.LanguageHandshakeResponse()

    def GetPluginInfo(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> plugin_pb2.PluginInfo:  # noqa: N802 - gRPC method name
        """Report this host's version."""
        return plugin_pb2.PluginInfo(version=__version__)

    def GetRequiredPackages(  # noqa: N802 - gRPC method name
        self, request: language_pb2.GetRequiredPackagesRequest, context: grpc.ServicerContext
    ) -> language_pb2.GetRequiredPackagesResponse:
        """List the resource plugins the program's installed packages declare (none for dynamic-only code)."""
        return language_pb2.GetRequiredPackagesResponse(packages=self._required(request.info, context))

    def GetRequiredPlugins(  # noqa: N802 - gRPC method name
        self, request: language_pb2.GetRequiredPluginsRequest, context: grpc.ServicerContext
    ) -> language_pb2.GetRequiredPluginsResponse:
        """Older form of GetRequiredPackages, without parameterization."""
        deps = self._required(request.info, context)
        return language_pb2.GetRequiredPluginsResponse(
            plugins=[
                plugin_pb2.PluginDependency(name=d.name, kind=d.kind, version=d.version, server=d.server)
                for d in deps
                if not d.HasField("parameterization")
            ]
        )

    def InstallDependencies(  # noqa: N802 - gRPC method name
        self, request: language_pb2.InstallDependenciesRequest, context: grpc.ServicerContext
    ) -> Iterator[language_pb2.InstallDependenciesResponse]:
        """Nothing to install: this project's virtualenvs are created by `make`. Succeeds silently."""
        return iter(())

    def RuntimeOptionsPrompts(  # noqa: N802 - gRPC method name
        self, request: language_pb2.RuntimeOptionsRequest, context: grpc.ServicerContext
    ) -> language_pb2.RuntimeOptionsResponse:
        """No extra `pulumi new` questions."""
        return language_pb2.RuntimeOptionsResponse()

    def About(  # noqa: N802 - gRPC method name
        self, request: language_pb2.AboutRequest, context: grpc.ServicerContext
    ) -> language_pb2.AboutResponse:
        """Report the program's interpreter for `pulumi about`."""
        found = self._describe(request.info, context)
        return language_pb2.AboutResponse(
            executable=found.executable,
            version=found.version,
            metadata={"langhost": _HOST},
        )

    def GetProgramDependencies(  # noqa: N802 - gRPC method name
        self, request: language_pb2.GetProgramDependenciesRequest, context: grpc.ServicerContext
    ) -> language_pb2.GetProgramDependenciesResponse:
        """List the distributions installed for the program's interpreter."""
        found = self._describe(request.info, context)
        return language_pb2.GetProgramDependenciesResponse(
            dependencies=[language_pb2.DependencyInfo(name=p.name, version=p.version) for p in found.packages]
        )

    def Run(  # noqa: N802 - gRPC method name
        self, request: language_pb2.RunRequest, context: grpc.ServicerContext
    ) -> language_pb2.RunResponse:
        """Run the program to completion and report how it ended."""
        with self._lock:
            engine = self._engine_address
        try:
            planned = program.plan(request, engine, os.environ)
        except interpreter.InterpreterError as exc:
            return language_pb2.RunResponse(error=str(exc))
        return program.run(planned)

    def RunPlugin(  # noqa: N802 - gRPC method name
        self, request: language_pb2.RunPluginRequest, context: grpc.ServicerContext
    ) -> Iterator[language_pb2.RunPluginResponse]:
        """Start a policy pack or plugin and relay its output until it exits or the engine hangs up."""
        try:
            argv, env = plugins.command(request, os.environ)
            running = plugins.PluginProcess(argv, env, request.pwd or None)
        except (interpreter.InterpreterError, OSError) as exc:
            context.abort(
                grpc.StatusCode.FAILED_PRECONDITION, f"could not start plugin {request.name}: {exc}"
            )
            raise  # unreachable: abort raises
        context.add_callback(running.stop)
        yield from running.responses()

    def Cancel(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> empty_pb2.Empty:  # noqa: N802 - gRPC method name
        """Nothing to clean up early: runs end when their processes do."""
        return empty_pb2.Empty()


def _package_dependency(package: probe.Package) -> plugin_pb2.PackageDependency:
    spec: dict[str, Any] = package.plugin or {}
    name = str(spec.get("name") or package.name.removeprefix("pulumi-").removeprefix("pulumi_"))
    version = str(spec.get("version") or package.version)
    dep = plugin_pb2.PackageDependency(
        name=name,
        kind="resource",
        version=version if version.startswith("v") else f"v{version}",
        server=str(spec.get("server") or ""),
    )
    param = spec.get("parameterization")
    if isinstance(param, dict):
        dep.parameterization.CopyFrom(
            plugin_pb2.PackageParameterization(
                name=str(param.get("name", "")),
                version=str(param.get("version", "")),
                value=base64.b64decode(str(param.get("value", ""))),
            )
        )
    return dep
