"""Run the real ``pulumi`` CLI on one bench stack, timing each command and watching its dynamic-provider process."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil  # type: ignore[import-untyped,unused-ignore]

from pulumi_aep.schema import version
from tests.e2e.harness import PulumiCli

#: How often the watcher samples the dynamic-provider process (s): fine enough for a peak, cheap on 2 cores.
POLL_S = 0.05
#: How often it looks for a new provider process once one runs.
SCAN_S = 0.5
#: The longest one CLI command may take: far above the slowest (N = 100 at 100 ms per call).
COMMAND_TIMEOUT_S = 300.0
PROGRAMS = Path(__file__).resolve().parent / "programs"
#: A provider process has one of these in its command line: the dynamic provider (or it under
#: bench.sampler) or the plugin (``python -u run_module.py pulumi_aep.plugin``).
PROVIDER_MARKERS = ("pulumi.dynamic", "bench.sampler", "pulumi_aep.plugin")


def project_plugin(plugin_dir: Path | None) -> list[str]:
    """The Pulumi.yaml lines that declare the plugin in ``plugin_dir``, with the package's version (none
    without a directory).

    Declared versioned, the engine runs the working tree's plugin as it runs an installed release, and caches
    its schema after the first command; an unversioned plugin found on PATH has no schema cache, so the YAML
    language host starts a plugin process of its own on every command only to type-check the program.
    """
    if plugin_dir is None:
        return []
    return [
        "plugins:",
        "  providers:",
        "    - name: aep",
        f"      path: {plugin_dir}",
        f"      version: {version()}",
    ]


class CommandError(RuntimeError):
    """A pulumi command exited non-zero; the message holds its output."""


@dataclass
class Timed:
    """One CLI command: wall time, and the dynamic-provider process(es) it started."""

    seconds: float
    stdout: str
    #: Highest summed RSS of the ``python -u -m pulumi.dynamic`` children (bytes), 0 if none was seen.
    peak_rss: int = 0
    #: CPU seconds (user + system) of those processes, as last sampled before they exited.
    provider_cpu_s: float = 0.0
    provider_pids: list[int] = field(default_factory=list)


class ProviderWatcher:
    """Samples the ``pulumi.dynamic`` descendants of a process until stopped."""

    def __init__(self, root_pid: int) -> None:
        self._root = psutil.Process(root_pid)
        self._stop = threading.Event()
        self._known: dict[int, psutil.Process] = {}
        self._cpu: dict[int, float] = {}
        self.peak_rss = 0
        self._thread = threading.Thread(target=self._loop, name="bench-watcher", daemon=True)

    def __enter__(self) -> ProviderWatcher:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def cpu_s(self) -> float:
        return sum(self._cpu.values())

    @property
    def pids(self) -> list[int]:
        return list(self._known)

    def _children(self) -> list[int]:
        """Direct children of the CLI (the plugin script execs python, so the provider is one).

        Read from /proc/PID/task/*/children: psutil's ``children()`` scans the whole process table,
        ~10 ms of CPU a time on a busy 2-core machine, which would slow the very run being measured.
        """
        tasks = Path(f"/proc/{self._root.pid}/task")
        try:
            pids = [int(pid) for task in tasks.iterdir() for pid in (task / "children").read_text().split()]
        except OSError:
            try:
                return [child.pid for child in self._root.children()]
            except psutil.Error:
                return []
        return pids

    def _providers(self) -> list[psutil.Process]:
        """The provider processes among the children; a child is looked at again until it is one,
        because the plugin starts as a shell script that then execs python."""
        children = self._children()
        for pid in children:
            if self._known.get(pid) is None:
                try:
                    child = psutil.Process(pid)
                    cmdline = child.cmdline()
                except psutil.Error:
                    continue
                if any(marker in cmdline for marker in PROVIDER_MARKERS):
                    self._known[pid] = child
        return [p for p in (self._known.get(pid) for pid in children) if p is not None]

    def _loop(self) -> None:
        providers: list[psutil.Process] = []
        next_scan = 0.0
        while not self._stop.is_set():
            if time.monotonic() >= next_scan:
                providers = self._providers()
                # Until the provider has started, look often; then only for a second one.
                next_scan = time.monotonic() + (SCAN_S if providers else POLL_S)
            total = 0
            for proc in providers:
                try:
                    with proc.oneshot():
                        total += proc.memory_info().rss
                        times = proc.cpu_times()
                        self._cpu[proc.pid] = times.user + times.system
                except psutil.Error:
                    continue
            self.peak_rss = max(self.peak_rss, total)
            self._stop.wait(POLL_S)


class BenchStack:
    """One bench program copied under ``root`` with its own stack, in an isolated home and file backend."""

    def __init__(self, cli: PulumiCli, program: str, root: Path, extra_env: dict[str, str]) -> None:
        self.name = program
        self.work_dir = root / program
        shutil.copytree(PROGRAMS / program, self.work_dir, ignore=shutil.ignore_patterns("__pycache__"))
        self._env = {**cli.env(), **extra_env}
        self._pulumi = str(cli.shims / "pulumi")
        self.stack = f"bench-{program}"

    def run(self, *args: str, watch: bool = False, env: dict[str, str] | None = None) -> Timed:
        """Run ``pulumi ARGS --non-interactive`` on the stack; time it and, if asked, watch the provider.

        Raises:
            CommandError: a non-zero exit, with the command's output.
        """
        cmd = [self._pulumi, *args, "--stack", self.stack, "--non-interactive"]
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            cwd=self.work_dir,
            env={**self._env, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        watcher = ProviderWatcher(proc.pid) if watch else None
        try:
            if watcher is not None:
                with watcher:
                    out, _ = proc.communicate(timeout=COMMAND_TIMEOUT_S)
            else:
                out, _ = proc.communicate(timeout=COMMAND_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
            raise CommandError(f"`pulumi {' '.join(args)}` timed out\n{out}") from None
        seconds = time.perf_counter() - started
        if proc.returncode != 0:
            raise CommandError(f"`pulumi {' '.join(args)}` exited {proc.returncode}\n{out}")
        if watcher is None:
            return Timed(seconds, out)
        return Timed(seconds, out, watcher.peak_rss, watcher.cpu_s, watcher.pids)

    def init(self, plaintext: dict[str, str], secret: dict[str, str]) -> None:
        """Create the stack and set its config in one command each."""
        subprocess.run(
            [self._pulumi, "stack", "init", self.stack, "--non-interactive"],
            cwd=self.work_dir,
            env=self._env,
            capture_output=True,
            text=True,
            check=True,
        )
        self.config(plaintext, secret)

    def config(self, plaintext: dict[str, str], secret: dict[str, str] | None = None) -> None:
        """``pulumi config set-all``."""
        args = ["config", "set-all"]
        for key, value in plaintext.items():
            args += ["--plaintext", f"{key}={value}"]
        for key, value in (secret or {}).items():
            args += ["--secret", f"{key}={value}"]
        self.run(*args)

    def operation(self, op: str, env: dict[str, str], watch: bool = False) -> Timed:
        """One benchmarked operation: ``up`` and ``update`` (an ``up`` after a change), a no-change
        ``preview`` (which fails if it finds a change), ``refresh`` or ``destroy``."""
        args = {
            "up": ("up", "--yes", "--skip-preview"),
            "update": ("up", "--yes", "--skip-preview"),
            "preview": ("preview", "--expect-no-changes"),
            "refresh": ("refresh", "--yes", "--skip-preview"),
            "destroy": ("destroy", "--yes", "--skip-preview"),
        }[op]
        return self.run(*args, watch=watch, env=env)

    def remove(self) -> None:
        """Delete the stack (and whatever state is left)."""
        subprocess.run(
            [self._pulumi, "stack", "rm", "--yes", "--force", self.stack, "--non-interactive"],
            cwd=self.work_dir,
            env=self._env,
            capture_output=True,
            text=True,
            check=False,
        )
