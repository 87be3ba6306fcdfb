"""The CLI runs: up / no-change preview / update / refresh / destroy for each N, provider and no-op interleaved."""

from __future__ import annotations

import json
import logging
import math
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aep_emulator.server import EmulatorServer
from aep_emulator.testing import SECRET_CONFIG_KEYS, provider_config
from bench.engine import BenchStack, Timed
from tests.e2e.harness import PulumiCli

log = logging.getLogger("bench")

#: The order of a lifecycle; ``update`` is an ``up`` after the description of every resource changed.
OPERATIONS = ("up", "preview", "update", "refresh", "destroy")
#: The dynamic-provider server runs at most this many calls at once (ThreadPoolExecutor(max_workers=4)).
PROVIDER_WORKERS = 4
#: A valid account-key connection string (the emulator stores, never uses it): the key decodes to the
#: 64 bytes of an Azure storage account key, as the provider requires for a non-loopback endpoint.
CONNECTION_STRING = (
    "DefaultEndpointsProtocol=https;AccountName=benchacct;"
    "AccountKey=YmVuY2hiZW5jaGJlbmNoYmVuY2hiZW5jaGJlbmNoYmVuY2hiZW5jaGJlbmNoYmVuY2hiZW5jaGJlbmNobWFyaw==;"
    "EndpointSuffix=core.windows.net"
)
REPO = Path(__file__).resolve().parents[1]
#: Emulator routes counted per operation, by what they mean.
ROUTES = {
    "POST /data/foundation/flowservice/connections": "create",
    "GET /data/foundation/flowservice/connections/{connection_id}": "read",
    "PATCH /data/foundation/flowservice/connections/{connection_id}": "update",
    "DELETE /data/foundation/flowservice/connections/{connection_id}": "delete",
    "POST /ims/token/v3": "token",
}


def floor_s(n: int, latency_ms: int, calls: int = 1) -> float:
    """The least time ``n`` operations of ``calls`` API calls each take through 4 workers."""
    return math.ceil(n / PROVIDER_WORKERS) * calls * latency_ms / 1000


@dataclass
class LifecycleResults:
    """Everything the CLI runs measured."""

    runs: list[dict[str, Any]] = field(default_factory=list)
    api_calls: list[dict[str, Any]] = field(default_factory=list)
    memory: dict[str, Any] = field(default_factory=dict)
    #: Sampled profiles of the provider process, by operation.
    profile: dict[str, Any] | None = None


def _config(base_url: str) -> tuple[dict[str, str], dict[str, str]]:
    config = provider_config(base_url)
    plaintext = {k: v for k, v in config.items() if k not in SECRET_CONFIG_KEYS}
    secret = {k: v for k, v in config.items() if k in SECRET_CONFIG_KEYS}
    return plaintext, {**secret, "connectionString": CONNECTION_STRING}


def _delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    counts = {ROUTES.get(k, k): after.get(k, 0) - before.get(k, 0) for k in after}
    return {k: v for k, v in counts.items() if v}


def _mib(n: int) -> float:
    return round(n / 2**20, 1)


class Lifecycles:
    """Two stacks (the provider, ``aep``, and the no-op baseline, ``noop``) driven against one emulator."""

    def __init__(self, shims: Path, root: Path, emulator: EmulatorServer, latency_ms: int) -> None:
        self.emulator = emulator
        self.latency_ms = latency_ms
        self.root = root
        cli = PulumiCli(shims=shims, root=root / "pulumi")
        env = {"PYTHONPATH": str(REPO)}
        self.stacks = {name: BenchStack(cli, name, root, env) for name in ("aep", "noop")}
        self._cli = cli
        self._turn = 0
        self.results = LifecycleResults()

    def init(self) -> None:
        plaintext, secret = _config(self.emulator.base_url)
        for stack in self.stacks.values():
            stack.init(plaintext, secret)
        # Every API call from now on waits latency_ms first (control-plane calls are never delayed).
        self.emulator.control.inject_fault("*", "*", 10**9, latency_ms=self.latency_ms)

    def run_size(self, n: int, reps: int, progress: Callable[[str], None], previews: int = 1) -> None:
        """``reps`` lifecycles of N resources; each operation runs on both stacks, the order alternating.

        ``previews`` no-change previews follow each ``up`` (the cheapest operation, and the noisiest).
        """
        ops = [op for op in OPERATIONS for _ in range(previews if op == "preview" else 1)]
        for rep in range(reps):
            for op in ops:
                changed = op in ("update", "refresh", "destroy")
                env = {"BENCH_COUNT": str(n), "BENCH_DESCRIPTION": "changed" if changed else "bench"}
                order = ("aep", "noop") if self._turn % 2 == 0 else ("noop", "aep")
                self._turn += 1
                for name in order:
                    watch = n >= 100 and op == "up" and rep == 0
                    timed = self._timed(name, op, n, env, watch)
                    progress(f"N={n:<3} rep {rep} {op:<8} {name:<4} {timed.seconds:6.2f} s")
                    self.results.runs.append(
                        {"variant": name, "op": op, "n": n, "rep": rep, "seconds": round(timed.seconds, 3)}
                    )
                    if watch:
                        self.results.memory[name] = {
                            "n": n,
                            "peak_rss_mib": _mib(timed.peak_rss),
                            "provider_cpu_s": round(timed.provider_cpu_s, 2),
                            "processes": len(timed.provider_pids),
                        }

    def warm_up(self, progress: Callable[[str], None]) -> None:
        """One untimed N=1 preview per stack: the first commands after a while pay cold caches."""
        for stack in self.stacks.values():
            timed = stack.run("preview", env={"BENCH_COUNT": "1"})
            progress(f"warm-up  preview  {stack.name:<7} {timed.seconds:6.2f} s")

    def _timed(self, name: str, op: str, n: int, env: dict[str, str], watch: bool) -> Timed:
        stack = self.stacks[name]
        before = self.emulator.control.counters()
        timed = stack.operation(op, env, watch=watch)
        calls = _delta(before, self.emulator.control.counters())
        if name == "aep":
            self.results.api_calls.append({"op": op, "n": n, "calls": calls})
        elif calls:
            raise RuntimeError(f"the no-op baseline made API calls during {op}: {calls}")
        return timed

    def profile(self, n: int, progress: Callable[[str], None]) -> None:
        """One more N-resource ``up``, no-change ``preview`` and ``destroy`` of the provider under bench.sampler."""
        wrapper = self.root / "python-sampled"
        # The plugin script runs `python -u -m pulumi.dynamic ENGINE` or `python -u RUNNER.py pulumi.dynamic
        # ENGINE`: either way the same arguments go to bench.sampler; anything else runs as it was.
        wrapper.write_text(
            "#!/bin/bash\n"
            'for arg in "$@"; do\n'
            '  if [ "$arg" = pulumi.dynamic ]; then\n'
            '    [ "$1" = -u ] && shift\n'
            f'    exec "{sys.executable}" -u -m bench.sampler "$@"\n'
            "  fi\n"
            "done\n"
            f'exec "{sys.executable}" "$@"\n'
        )
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
        stack = self.stacks["aep"]
        self.results.profile = {}
        for op in ("up", "preview", "destroy"):
            out = self.root / f"profile-{op}.json"
            env = {"BENCH_COUNT": str(n), "PULUMI_PYTHON_CMD": str(wrapper), "BENCH_PROFILE_OUT": str(out)}
            timed = stack.operation(op, env, watch=True)
            progress(f"N={n:<3} profiled {op:<8} aep  {timed.seconds:6.2f} s")
            if op == "destroy":
                continue
            if not out.exists():
                progress(f"no profile from the {op}: the plugin did not start through {wrapper}")
            profile: dict[str, Any] = json.loads(out.read_text()) if out.exists() else {}
            profile.update(
                n=n, seconds=round(timed.seconds, 3), provider_cpu_s=round(timed.provider_cpu_s, 2)
            )
            self.results.profile[op] = profile

    def close(self) -> None:
        for stack in self.stacks.values():
            stack.run("destroy", "--yes", "--skip-preview", env={"BENCH_COUNT": "0"})
            stack.remove()
