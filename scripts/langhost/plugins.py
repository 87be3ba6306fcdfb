"""RunPlugin: start a plugin written in Python (a policy pack, or a provider) and stream its output back.

The CLI reads the plugin's gRPC port from the first stdout line we relay, exactly as if it had started the
plugin itself, so output is forwarded chunk by chunk as soon as it is read.
"""

from __future__ import annotations

import os
import queue
import subprocess
import threading
from collections.abc import Iterator, Mapping
from typing import IO, Literal

from pulumi.runtime.proto import language_pb2

from . import goflags, interpreter, run_module

_CHUNK = 64 * 1024
_RUN_MODULE = os.path.abspath(run_module.__file__)

Stream = Literal["stdout", "stderr"]


def command(
    request: language_pb2.RunPluginRequest, env: Mapping[str, str]
) -> tuple[list[str], dict[str, str]]:
    """Build the command line and environment for a RunPluginRequest.

    Policy packs (kind "analyzer") run as `python -m pulumi.policy <engine> <pack-dir>` (through `run_module`,
    which adds a watchdog), the entry point the pulumi SDK ships for them; other plugins run their directory's
    `__main__.py`. The engine appends a pack's runtime options as Go-style flags (`-virtualenv=venv`), which
    we have already applied from ProgramInfo: they are passed on as `--virtualenv=venv`, which pulumi.policy's
    argparse ignores instead of misreading as `-v`.

    Args:
        request: The engine's request; `args` ends with the engine address, `env` is the full environment.
        env: Fallback environment when the request carries none.

    Returns:
        The argv and environment of the plugin process.

    Raises:
        interpreter.InterpreterError: The plugin's virtualenv is missing.
    """
    base_env = (
        dict(entry.split("=", 1) for entry in request.env if "=" in entry) if request.env else dict(env)
    )
    info = request.info
    plugin_dir = info.program_directory or info.root_directory or request.program
    options = interpreter.runtime_options(info.options if info.HasField("options") else None)
    python = interpreter.resolve(info.root_directory or plugin_dir, options, base_env)
    if request.kind == "analyzer":
        args = goflags.normalize(request.args)
        argv = [python.executable, "-u", _RUN_MODULE, "pulumi.policy", *args, plugin_dir]
    else:
        argv = [python.executable, "-u", os.path.join(plugin_dir, info.entry_point or "."), *request.args]
    return argv, python.environ(base_env)


def _pump(pipe: IO[bytes], name: Stream, out: queue.Queue[tuple[Stream, bytes] | None]) -> None:
    fd = pipe.fileno()
    while chunk := os.read(fd, _CHUNK):
        out.put((name, chunk))
    out.put(None)


class PluginProcess:
    """A running plugin whose output is relayed as RunPluginResponse messages."""

    def __init__(self, argv: list[str], env: Mapping[str, str], cwd: str | None) -> None:
        """Start the plugin.

        Raises:
            OSError: The interpreter could not be started.
        """
        self._proc = subprocess.Popen(
            argv,
            env=dict(env),
            cwd=cwd or None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._chunks: queue.Queue[tuple[Stream, bytes] | None] = queue.Queue()
        pipes: list[tuple[IO[bytes] | None, Stream]] = [
            (self._proc.stdout, "stdout"),
            (self._proc.stderr, "stderr"),
        ]
        for pipe, name in pipes:
            assert pipe is not None
            threading.Thread(target=_pump, args=(pipe, name, self._chunks), daemon=True).start()

    def responses(self) -> Iterator[language_pb2.RunPluginResponse]:
        """Yield the plugin's stdout/stderr chunks as they come, then its exit code; stop it if abandoned."""
        try:
            open_streams = 2
            while open_streams:
                item = self._chunks.get()
                if item is None:
                    open_streams -= 1
                elif item[0] == "stdout":
                    yield language_pb2.RunPluginResponse(stdout=item[1])
                else:
                    yield language_pb2.RunPluginResponse(stderr=item[1])
            yield language_pb2.RunPluginResponse(exitcode=self._proc.wait())
        finally:
            self.stop()

    def stop(self) -> None:
        """Terminate the plugin (SIGTERM, then SIGKILL after 5 s); a no-op once it has exited."""
        if self._proc.poll() is not None:
            return
        self._proc.terminate()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
