"""The provider's own cost per ``check``, ``diff``, ``create`` and ``read``, in-process, at zero latency.

The emulator runs in its own process (as in bench/emulator_throughput.py), so the CPU time of the
calling thread (``time.thread_time``) is the provider's alone; wall time includes the loopback call.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pulumi.dynamic import Config, ConfigureRequest

from aep_emulator.testing import provider_config
from bench.lifecycle import CONNECTION_STRING
from pulumi_aep import provider as provider_module
from pulumi_aep.provider import AzureBlobConnectionProvider

#: Iterations per method: (check/diff, create/read). A few seconds in all on a busy 2-core machine.
FULL_ITERATIONS = (2000, 300)
QUICK_ITERATIONS = (200, 30)


def _inputs(i: int) -> dict[str, Any]:
    return {
        "name": f"bench {i}",
        "description": "bench",
        "connection_string": CONNECTION_STRING,
        "container": "landing",
        "folder_path": f"/bench/{i}",
    }


def _stats(wall: list[float], cpu: list[float]) -> dict[str, Any]:
    wall_sorted = sorted(wall)
    return {
        "iterations": len(wall),
        "median_ms": round(statistics.median(wall) * 1000, 4),
        "p95_ms": round(wall_sorted[int(0.95 * (len(wall) - 1))] * 1000, 4),
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 4),
        "cpu_mean_ms": round(statistics.fmean(cpu) * 1000, 4),
    }


def _timeit(fn: Callable[[int], object], iterations: int) -> dict[str, Any]:
    wall: list[float] = []
    cpu: list[float] = []
    for i in range(iterations):
        c0, t0 = time.thread_time(), time.perf_counter()
        fn(i)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
    return _stats(wall, cpu)


def measure(base_url: str, quick: bool = False) -> dict[str, Any]:
    """Median and p95 wall time and median CPU time per call, against the emulator at ``base_url``."""
    light, heavy = QUICK_ITERATIONS if quick else FULL_ITERATIONS
    provider_module.reset_clients()
    provider = AzureBlobConnectionProvider()
    provider.configure(ConfigureRequest(Config(provider_config(base_url), "bench")))
    checked = [provider.check({}, _inputs(i)).inputs for i in range(heavy)]
    # Warm-up: the token, the HTTP connection pool, imports on first use.
    first = provider.create(checked[0])
    created: list[tuple[str, dict[str, Any]]] = [(str(first.id), dict(first.outs or {}))]
    results = {
        "check": _timeit(lambda i: provider.check({}, _inputs(i)), light),
        "diff": _timeit(lambda i: provider.diff(created[0][0], created[0][1], checked[0]), light),
    }

    def create(i: int) -> None:
        result = provider.create(checked[i])
        created.append((str(result.id), dict(result.outs or {})))

    results["create"] = _timeit(create, heavy - 1)
    results["read"] = _timeit(lambda i: provider.read(*created[i]), heavy)
    for connection_id, outs in created:
        provider.delete(connection_id, outs)
    provider_module.reset_clients()
    return results


_IMPORT_PROBE = (
    "import time, pulumi, pulumi.dynamic; t = time.perf_counter(); import {module}; "
    "print(time.perf_counter() - t)"
)


def import_cost(runs: int = 3) -> dict[str, float]:
    """Median ms to import the provider's module, and the no-op's, in a fresh interpreter after ``pulumi``.

    Both the program and the dynamic-provider process pay this once per CLI command.
    """
    out: dict[str, float] = {}
    for label, module in (("pulumi_aep", "pulumi_aep.provider"), ("noop", "bench.noop")):
        times = [
            float(
                subprocess.run(
                    [sys.executable, "-c", _IMPORT_PROBE.format(module=module)],
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=60,
                    cwd=Path(__file__).resolve().parents[1],
                ).stdout
            )
            for _ in range(runs)
        ]
        out[f"{label}_ms"] = round(statistics.median(times) * 1000, 1)
    return out
