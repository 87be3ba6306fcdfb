"""The language host's parts, without the CLI: interpreter choice, run planning, plugin streaming, gRPC."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
import psutil
import pytest
from google.protobuf import empty_pb2, struct_pb2
from langhost import (
    __version__,
    cli,
    exec_program,
    goflags,
    interpreter,
    plugins,
    probe,
    program,
    run_module,
    watchdog,
)
from pulumi.runtime.proto import (
    engine_pb2,
    engine_pb2_grpc,
    language_pb2,
    language_pb2_grpc,
    resource_pb2,
    resource_pb2_grpc,
)


def _options(**values: str) -> struct_pb2.Struct:
    options = struct_pb2.Struct()
    options.update(values)
    return options


def _fake_venv(root: Path, name: str) -> Path:
    (root / name / "bin").mkdir(parents=True)
    python = root / name / "bin" / "python"
    python.write_text("#!/bin/sh\n")
    python.chmod(0o755)
    return root / name


# --- interpreter -------------------------------------------------------------------------------------------


def test_relative_virtualenv_is_resolved_against_the_project_root(tmp_path: Path) -> None:
    venv = _fake_venv(tmp_path, "venv")

    chosen = interpreter.resolve(str(tmp_path), {"virtualenv": "venv"}, {"PULUMI_PYTHON_CMD": "/x/python"})

    assert chosen == interpreter.Interpreter(executable=str(venv / "bin" / "python"), virtualenv=str(venv))


def test_uv_toolchain_uses_dot_venv(tmp_path: Path) -> None:
    venv = _fake_venv(tmp_path, ".venv")

    assert interpreter.resolve(str(tmp_path), {"toolchain": "uv"}, {}).virtualenv == str(venv)


def test_missing_virtualenv_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(
        interpreter.InterpreterError, match=r"'virtualenv' option is set to 'nope'.*python3 -m venv"
    ):
        interpreter.resolve(str(tmp_path), {"virtualenv": "nope"}, {})


def test_without_virtualenv_pulumi_python_cmd_then_our_interpreter(tmp_path: Path) -> None:
    assert (
        interpreter.resolve(str(tmp_path), {}, {"PULUMI_PYTHON_CMD": "/x/python"}).executable == "/x/python"
    )
    assert interpreter.resolve(str(tmp_path), {}, {}).executable == sys.executable


def test_virtualenv_is_activated_in_the_child_environment(tmp_path: Path) -> None:
    venv = _fake_venv(tmp_path, "venv")
    chosen = interpreter.resolve(str(tmp_path), {"virtualenv": "venv"}, {})

    env = chosen.environ({"PATH": "/usr/bin", "PYTHONHOME": "/elsewhere"})

    assert env["VIRTUAL_ENV"] == str(venv)
    assert env["PATH"].split(os.pathsep)[0] == str(venv / "bin")
    assert "PYTHONHOME" not in env


def test_runtime_options_struct_becomes_a_dict() -> None:
    assert interpreter.runtime_options(_options(virtualenv="venv")) == {"virtualenv": "venv"}
    assert interpreter.runtime_options(None) == {}


# --- program -----------------------------------------------------------------------------------------------


def _run_request(tmp_path: Path) -> language_pb2.RunRequest:
    return language_pb2.RunRequest(
        project="proj",
        stack="dev",
        pwd=str(tmp_path),
        monitor_address="127.0.0.1:1",
        config={"proj:greet": "hi", "proj:token": "s3cr3t"},
        configSecretKeys=["proj:token"],
        dryRun=True,
        parallel=16,
        organization="org",
        args=["--extra"],
        info=language_pb2.ProgramInfo(
            root_directory=str(tmp_path), program_directory=str(tmp_path), entry_point="."
        ),
    )


def test_plan_passes_settings_as_arguments_and_config_as_environment(tmp_path: Path) -> None:
    planned = program.plan(_run_request(tmp_path), "127.0.0.1:2", {"PATH": "/usr/bin"})

    assert planned.argv[:3] == [sys.executable, "-u", exec_program.__file__]
    for flag in (
        "--monitor=127.0.0.1:1",
        "--engine=127.0.0.1:2",
        "--project=proj",
        "--stack=dev",
        "--organization=org",
        f"--root-directory={tmp_path}",
        "--parallel=16",
        "--dry-run=true",
    ):
        assert flag in planned.argv
    assert planned.argv[-2:] == [os.path.join(str(tmp_path), "."), "--extra"]
    assert json.loads(planned.env["PULUMI_CONFIG"]) == {"proj:greet": "hi", "proj:token": "s3cr3t"}
    assert json.loads(planned.env["PULUMI_CONFIG_SECRET_KEYS"]) == ["proj:token"]
    assert planned.cwd == str(tmp_path)


@pytest.mark.parametrize(
    ("returncode", "expected"),
    [
        (0, language_pb2.RunResponse()),
        (exec_program.BAIL_EXIT_CODE, language_pb2.RunResponse(bail=True)),
        (1, language_pb2.RunResponse(error="Program exited with non-zero exit code: 1")),
        (-9, language_pb2.RunResponse(error="Program was killed by signal 9")),
    ],
)
def test_exit_codes_map_to_run_responses(returncode: int, expected: language_pb2.RunResponse) -> None:
    assert program.outcome(returncode) == expected


class _Monitor(resource_pb2_grpc.ResourceMonitorServicer, engine_pb2_grpc.EngineServicer):
    """The engine's side of a program run: registers every resource, and records how many custom
    resources were being registered at once. Each registration is held until `expected` are in flight
    (or `hold_s` passed), as a provider with latency would hold it, so a program limited to fewer waits."""

    def __init__(self, expected: int, hold_s: float) -> None:
        self._expected, self._hold_s = expected, hold_s
        self._changed = threading.Condition()
        self._now = 0
        self.most = 0
        self.registered = 0

    def SupportsFeature(self, request: Any, context: Any) -> resource_pb2.SupportsFeatureResponse:
        return resource_pb2.SupportsFeatureResponse(hasSupport=False)

    def RegisterResource(self, request: Any, context: Any) -> resource_pb2.RegisterResourceResponse:
        urn = f"urn:pulumi:dev::proj::{request.type}::{request.name}"
        if request.custom:
            with self._changed:
                self._now += 1
                self.most = max(self.most, self._now)
                self._changed.notify_all()
                self._changed.wait_for(lambda: self.most >= self._expected, timeout=self._hold_s)
                self._now -= 1
                self.registered += 1
        return resource_pb2.RegisterResourceResponse(
            urn=urn, id=f"id-{request.name}" if request.custom else ""
        )

    def RegisterResourceOutputs(self, request: Any, context: Any) -> empty_pb2.Empty:
        return empty_pb2.Empty()

    def SignalAndWaitForShutdown(self, request: Any, context: Any) -> empty_pb2.Empty:
        return empty_pb2.Empty()

    def Log(self, request: Any, context: Any) -> empty_pb2.Empty:
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> engine_pb2.GetRootResourceResponse:
        return engine_pb2.GetRootResourceResponse()

    def SetRootResource(self, request: Any, context: Any) -> engine_pb2.SetRootResourceResponse:
        return engine_pb2.SetRootResourceResponse()


def _run_program(
    tmp_path: Path, monitor: _Monitor, parallel: int, timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run ``tmp_path/__main__.py`` through exec_program against ``monitor`` (the engine's side)."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=max(4, 2 * parallel)))
    resource_pb2_grpc.add_ResourceMonitorServicer_to_server(monitor, server)
    engine_pb2_grpc.add_EngineServicer_to_server(monitor, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        return subprocess.run(
            [
                sys.executable,
                "-u",
                exec_program.__file__,
                f"--monitor=127.0.0.1:{port}",
                f"--engine=127.0.0.1:{port}",
                "--project=proj",
                "--stack=dev",
                f"--parallel={parallel}",
                f"--pwd={tmp_path}",
                ".",
            ],
            env={**os.environ, "PULUMI_CONFIG": "{}"},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    finally:
        server.stop(grace=None)


def test_program_registers_as_many_resources_at_once_as_parallel_allows(tmp_path: Path) -> None:
    # 40 resources at --parallel 40: more than asyncio's default executor ever has threads
    # (min(32, cpus + 4)), which would hold the rest back until a registration returns.
    count = 40
    monitor = _Monitor(expected=count, hold_s=1.0)
    (tmp_path / "__main__.py").write_text(
        "import pulumi\n"
        f"for i in range({count}):\n"
        "    pulumi.CustomResource('test:index:Thing', f't{i}', {})\n"
    )
    proc = _run_program(tmp_path, monitor, parallel=count, timeout=120)

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert monitor.registered == count
    assert monitor.most == count


#: The host's SIGINT arriving while the program runs, while the SDK awaits a registration (its coroutine
#: suspended), or while its event loop is being closed.
_INTERRUPTED = {
    "while-running": "import os, signal, time\nos.kill(os.getpid(), signal.SIGINT)\ntime.sleep(5)\n",
    "while-registering": (
        "import os, signal, threading, pulumi\n"
        "threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()\n"
        "pulumi.CustomResource('test:index:Thing', 't0', {})\n"
    ),
    "at-teardown": (
        "import asyncio, os, signal\n"
        "loop = asyncio.get_event_loop()\n"
        "close = loop.close\n"
        "def interrupted_close():\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    close()\n"
        "loop.close = interrupted_close\n"
    ),
}


@pytest.mark.parametrize(
    ("when", "exit_code"),
    [
        ("while-running", exec_program.BAIL_EXIT_CODE),
        ("while-registering", exec_program.BAIL_EXIT_CODE),
        ("at-teardown", 0),
    ],
)
def test_the_hosts_interrupt_ends_the_program_without_a_traceback(
    tmp_path: Path, when: str, exit_code: int
) -> None:
    """The host stops programs with SIGINT when the engine cancels or shuts down; the CLI printed a
    KeyboardInterrupt traceback when it came as the program's event loop was being closed, and the SDK's
    "no running event loop" traceback when it came while a registration was awaited."""
    (tmp_path / "__main__.py").write_text(_INTERRUPTED[when])
    # A registration is held 3 s (a provider at work), so the interrupt finds the SDK awaiting it.
    proc = _run_program(tmp_path, _Monitor(expected=2, hold_s=3.0), parallel=4, timeout=60)
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output, output
    assert "KeyboardInterrupt" not in output, output
    assert proc.returncode == exit_code, output


def test_default_executor_follows_parallel() -> None:
    executor = exec_program.default_executor(8)
    assert executor is not None
    assert executor._max_workers == 8 * exec_program.THREADS_PER_PARALLEL
    executor.shutdown()
    assert exec_program.default_executor(0) is None


# --- plugins -----------------------------------------------------------------------------------------------


def test_policy_pack_runs_under_pulumi_policy_with_engine_then_pack_dir(tmp_path: Path) -> None:
    request = language_pb2.RunPluginRequest(
        kind="analyzer",
        args=["127.0.0.1:9"],
        env=["PATH=/usr/bin", "PULUMI_PYTHON_CMD=/x/python"],
        info=language_pb2.ProgramInfo(root_directory=str(tmp_path), program_directory=str(tmp_path)),
    )

    argv, env = plugins.command(request, {"IGNORED": "1"})

    assert argv == ["/x/python", "-u", run_module.__file__, "pulumi.policy", "127.0.0.1:9", str(tmp_path)]
    assert env == {"PATH": "/usr/bin", "PULUMI_PYTHON_CMD": "/x/python"}


def test_policy_pack_runtime_options_do_not_reach_pulumi_policy_as_short_flags(tmp_path: Path) -> None:
    # What the engine sends for `runtime: {name: python, options: {virtualenv: venv}}` (analyzer_plugin.go).
    venv = _fake_venv(tmp_path, "venv")
    request = language_pb2.RunPluginRequest(
        kind="analyzer",
        args=["127.0.0.1:9", ".", "-virtualenv=venv"],
        info=language_pb2.ProgramInfo(
            root_directory=str(tmp_path), program_directory=str(tmp_path), options=_options(virtualenv="venv")
        ),
    )

    argv, _env = plugins.command(request, {})

    assert argv[0] == str(venv / "bin" / "python")
    assert argv[4:] == ["127.0.0.1:9", ".", "--virtualenv=venv", str(tmp_path)]


def test_plugin_output_is_relayed_then_the_exit_code() -> None:
    script = "import sys; print('4242', flush=True); sys.stderr.write('warn\\n'); sys.exit(3)"
    running = plugins.PluginProcess([sys.executable, "-c", script], dict(os.environ), None)

    responses = list(running.responses())

    assert b"".join(r.stdout for r in responses) == b"4242\n"
    assert b"".join(r.stderr for r in responses) == b"warn\n"
    assert responses[-1].WhichOneof("output") == "exitcode"
    assert responses[-1].exitcode == 3


def test_abandoned_plugin_is_stopped() -> None:
    running = plugins.PluginProcess(
        [sys.executable, "-c", "import time; time.sleep(60)"], dict(os.environ), None
    )

    running.stop()

    assert list(running.responses())[-1].exitcode == -signal.SIGTERM


# --- flags -----------------------------------------------------------------------------------------------


def test_go_style_long_flags_become_double_dash() -> None:
    argv = ["-virtualenv=venv", "-logtostderr", "-v=9", "--tracing=x", "-", "-1", "127.0.0.1:1"]

    assert goflags.normalize(argv) == [
        "--virtualenv=venv",
        "--logtostderr",
        "-v=9",
        "--tracing=x",
        "-",
        "-1",
        "127.0.0.1:1",
    ]


def test_host_command_line_reads_go_style_flags() -> None:
    args = cli._parse(["-logtostderr", "-v=9", "-virtualenv=venv", "-tracing=t", "127.0.0.1:1"])

    assert (args.logtostderr, args.verbose, args.tracing) == (True, 9, "t")
    assert args.engine_address == "127.0.0.1:1"


# --- probe -------------------------------------------------------------------------------------------------


def test_probe_lists_this_interpreters_packages() -> None:
    found = probe.describe(interpreter.Interpreter(executable=sys.executable), dict(os.environ))

    assert found.executable == sys.executable
    assert found.version == ".".join(map(str, sys.version_info[:3]))
    assert "pulumi" in {p.name.lower() for p in found.packages}


def test_probe_reports_a_broken_interpreter() -> None:
    with pytest.raises(probe.ProbeError, match="could not run"):
        probe.describe(interpreter.Interpreter(executable="/nonexistent/python"), {})


# --- the gRPC service --------------------------------------------------------------------------------------


@pytest.fixture
def stub() -> Iterator[language_pb2_grpc.LanguageRuntimeStub]:
    server, port = cli.serve("127.0.0.1:1")
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        yield language_pb2_grpc.LanguageRuntimeStub(channel)
    server.stop(grace=None)


def test_plugin_info_reports_our_version(stub: language_pb2_grpc.LanguageRuntimeStub) -> None:
    assert stub.GetPluginInfo(empty_pb2.Empty()).version == __version__


def test_install_dependencies_is_a_silent_success(
    stub: language_pb2_grpc.LanguageRuntimeStub, tmp_path: Path
) -> None:
    info = language_pb2.ProgramInfo(root_directory=str(tmp_path), program_directory=str(tmp_path))
    assert list(stub.InstallDependencies(language_pb2.InstallDependenciesRequest(info=info))) == []


def test_required_packages_are_resource_plugins(
    stub: language_pb2_grpc.LanguageRuntimeStub, tmp_path: Path
) -> None:
    info = language_pb2.ProgramInfo(root_directory=str(tmp_path), program_directory=str(tmp_path))
    packages = stub.GetRequiredPackages(language_pb2.GetRequiredPackagesRequest(info=info)).packages
    assert all(p.kind == "resource" and p.version.startswith("v") for p in packages)


def test_about_names_the_interpreter(stub: language_pb2_grpc.LanguageRuntimeStub, tmp_path: Path) -> None:
    info = language_pb2.ProgramInfo(root_directory=str(tmp_path), program_directory=str(tmp_path))
    about = stub.About(language_pb2.AboutRequest(info=info))
    assert os.path.isabs(about.executable)
    assert about.version.count(".") == 2
    assert about.metadata["langhost"] == f"pulumi-aep {__version__}"


def test_missing_virtualenv_fails_the_call_with_the_reason(
    stub: language_pb2_grpc.LanguageRuntimeStub, tmp_path: Path
) -> None:
    info = language_pb2.ProgramInfo(root_directory=str(tmp_path), options=_options(virtualenv="gone"))
    with pytest.raises(grpc.RpcError) as caught:
        stub.About(language_pb2.AboutRequest(info=info))
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "gone" in str(caught.value.details())


def test_code_generation_is_unimplemented(stub: language_pb2_grpc.LanguageRuntimeStub) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        stub.GenerateProgram(language_pb2.GenerateProgramRequest())
    assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED


def test_host_prints_its_port_and_stops_on_sigint() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-u", str(Path(cli.__file__).parent), "127.0.0.1:1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            info = language_pb2_grpc.LanguageRuntimeStub(channel).GetPluginInfo(empty_pb2.Empty(), timeout=10)
        assert info.version == __version__
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0  # generous: CI machines may be loaded
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# --- watchdog ----------------------------------------------------------------------------------------------


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_run_module_child_exits_when_its_parent_dies(tmp_path: Path) -> None:
    # `sleeper` is importable only from the working directory, as with `python -m`. `run_module` starts its
    # watchdog (noting its parent's pid) before it runs the module, so once the child says "ready" the
    # parent prints the child's pid and exits.
    (tmp_path / "sleeper.py").write_text("import time\nprint('ready', flush=True)\ntime.sleep(120)\n")
    parent = (
        "import subprocess, sys\n"
        f"child = subprocess.Popen([sys.executable, {run_module.__file__!r}, 'sleeper'], cwd={str(tmp_path)!r},"
        " stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)\n"
        "assert child.stdout is not None and child.stdout.readline() == 'ready\\n'\n"
        "print(child.pid, flush=True)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", parent], capture_output=True, text=True, timeout=60, check=True
    )
    child_pid = int(proc.stdout)

    deadline = time.monotonic() + 30
    while not _gone(child_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _gone(child_pid)


def test_watchdog_fires_once_only_after_the_parent_is_gone() -> None:
    # The parent (pid 4242) lives for three more looks, then we are reparented to pid 1.
    pids = iter([4242, 4242, 4242, 4242, 1])
    fired: list[bool] = []
    looks: list[tuple[float, list[bool]]] = []  # each wait, with what had fired by then

    thread = watchdog.watch_parent(
        lambda: fired.append(True), getppid=lambda: next(pids), sleep=lambda s: looks.append((s, list(fired)))
    )
    thread.join(timeout=10)

    assert not thread.is_alive()
    assert looks == [(watchdog._POLL_SECONDS, [])] * 3
    assert fired == [True]
