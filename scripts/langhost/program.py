"""Turn a RunRequest into a child process running `exec_program`, and its exit status into a RunResponse."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from pulumi.runtime.proto import language_pb2

from . import exec_program, interpreter

_EXEC_PROGRAM = os.path.abspath(exec_program.__file__)


@dataclass(frozen=True)
class ProgramRun:
    """Everything needed to start one program run."""

    argv: list[str]
    env: dict[str, str]
    cwd: str


def plan(request: language_pb2.RunRequest, engine_address: str, env: Mapping[str, str]) -> ProgramRun:
    """Build the command line and environment for a RunRequest.

    Args:
        request: The engine's request.
        engine_address: Address of the engine service (from our command line or Handshake).
        env: The host's environment, inherited by the program.

    Returns:
        The process to start.

    Raises:
        interpreter.InterpreterError: The project's virtualenv is missing.
    """
    info = request.info
    root = info.root_directory or request.pwd
    program_dir = info.program_directory or request.pwd
    entry = info.entry_point or request.program or "."
    options = interpreter.runtime_options(info.options if info.HasField("options") else None)
    python = interpreter.resolve(root, options, env)

    child_env = python.environ(env)
    child_env["PULUMI_CONFIG"] = json.dumps(dict(request.config))
    child_env["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(list(request.configSecretKeys))
    argv = [
        python.executable,
        "-u",
        _EXEC_PROGRAM,
        f"--monitor={request.monitor_address}",
        f"--engine={engine_address}",
        f"--project={request.project}",
        f"--stack={request.stack}",
        f"--organization={request.organization}",
        f"--root-directory={root}",
        f"--pwd={request.pwd or program_dir}",
        f"--parallel={request.parallel}",
        f"--dry-run={'true' if request.dryRun else 'false'}",
        os.path.join(program_dir, entry),
        *request.args,
    ]
    return ProgramRun(argv=argv, env=child_env, cwd=request.pwd or program_dir)


def outcome(returncode: int) -> language_pb2.RunResponse:
    """Map the program's exit status to the engine's notion of success, reported error, or failure."""
    if returncode == 0:
        return language_pb2.RunResponse()
    if returncode == exec_program.BAIL_EXIT_CODE:
        return language_pb2.RunResponse(bail=True)
    if returncode < 0:
        return language_pb2.RunResponse(error=f"Program was killed by signal {-returncode}")
    return language_pb2.RunResponse(error=f"Program exited with non-zero exit code: {returncode}")


# Programs still running, so that stopping the host (the CLI interrupts it on cancel) stops them too.
_running: set[subprocess.Popen[bytes]] = set()
_running_lock = threading.Lock()


def run(planned: ProgramRun) -> language_pb2.RunResponse:
    """Run the program to completion; its stdout/stderr go straight to ours, which the CLI displays."""
    try:
        proc = subprocess.Popen(planned.argv, env=planned.env, cwd=planned.cwd)
    except OSError as exc:
        return language_pb2.RunResponse(
            error=f"Problem executing program (could not run {planned.argv[0]}): {exc}"
        )
    with _running_lock:
        _running.add(proc)
    try:
        return outcome(proc.wait())
    finally:
        with _running_lock:
            _running.discard(proc)


def stop_all(timeout: float = 5.0) -> None:
    """Interrupt every running program (as Ctrl-C would), killing those still alive after `timeout` s."""
    with _running_lock:
        procs = list(_running)
    for proc in procs:
        proc.send_signal(signal.SIGINT)
    for proc in procs:
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
