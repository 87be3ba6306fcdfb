"""``python -m bench.faces``: the plugin against the dynamic provider, at the engine's limit.

For each N and injected latency, one ``up`` and one ``destroy`` of N connections per setup, timed, with the most
createConnection calls the emulator served at once and the span of the creates (bench/span.py). Setups: the dynamic provider (Python program), the plugin
from YAML (``--parallel`` = N) and from Python (pulumi_aep.native), the no-op baseline, the no-op that waits the
latency per call (the best a dynamic provider can do) and a plain sequential script making the same calls.
Writes bench/results/faces.json and faces.md; ``--quick`` is N = 2 at 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from aep_emulator import defaults
from aep_emulator.server import EmulatorServer
from aep_emulator.testing import fetch_token, platform_headers
from bench import pipeline
from bench.engine import BenchStack
from bench.lifecycle import CONNECTION_STRING, REPO, _config
from bench.span import create_span
from tests.e2e.harness import PulumiCli, find_pulumi_shims

RESULTS = Path(__file__).resolve().parent / "results"
WORK = Path(__file__).resolve().parent / ".work" / "faces"
SETUPS = ("dynamic", "plugin-yaml", "plugin-python", "noop", "noop-wait", "script")
#: The issue's concurrency acceptance: 32 connections, 500 ms on every call, YAML with --parallel 32.
ACCEPTANCE = {"n": 32, "latency_ms": 500, "min_in_flight": 16, "max_ratio": 0.25}
TIMEOUT_S = 30  # one HTTP call of the script, latency included


def yaml_program(n: int) -> str:
    """bench/programs/aep-yaml with N connections (YAML has no loops: written out)."""
    lines = [
        "name: bench-aep-yaml",
        "description: N AzureBlobConnections through the plugin from YAML (bench/faces.py writes N of them)",
        "runtime: yaml",
        "config:",
        "  connectionString:",
        "    type: string",
        "    secret: true",
        "resources:",
    ]
    for i in range(n):
        lines += [
            f"  c{i}:",
            "    type: aep:index:AzureBlobConnection",
            "    properties:",
            f"      name: bench {i}",
            "      connectionString: ${connectionString}",
            "      container: landing",
            f"      folderPath: /bench/{i}",
        ]
    return "\n".join(lines) + "\n"


def sequential_script(base_url: str, n: int, before_deletes: Callable[[], None]) -> float:
    """What a user of an imperative client writes: one token, N creates, N deletes, one after another.

    Returns the creates' time. The deletes are the same calls again (N x the latency): ``before_deletes``
    clears the latency first, so they only clean up, untimed, and ``make bench`` keeps to its budget.
    """
    headers = platform_headers(fetch_token(base_url))
    flow = base_url + defaults.FLOW_SERVICE_PREFIX + "/connections"
    started = time.perf_counter()
    ids = []
    for i in range(n):
        body = {
            "name": f"bench {i}",
            "auth": {"specName": "ConnectionString", "params": {"connectionString": CONNECTION_STRING}},
            "connectionSpec": {"id": defaults.AZURE_BLOB_SPEC_ID, "version": "1.0"},
            "params": {"container": "landing", "folderPath": f"/bench/{i}"},
        }
        created = requests.post(flow, json=body, headers=headers, timeout=TIMEOUT_S)
        created.raise_for_status()
        ids.append(created.json()["id"])
    up = time.perf_counter() - started
    before_deletes()
    for id_ in ids:
        requests.delete(f"{flow}/{id_}", headers=headers, timeout=TIMEOUT_S).raise_for_status()
    return up


class Setups:
    """One stack per CLI setup, against one emulator whose every API call waits the injected latency."""

    def __init__(self, shims: Path, emulator: EmulatorServer) -> None:
        self.emulator = emulator
        # PYTHONPATH: the no-op programs import bench.noop; PULUMI_AEP_REPO: the plugin launcher serves ours.
        env = {"PULUMI_AEP_REPO": str(REPO), "PYTHONPATH": str(REPO)}
        cli = PulumiCli(shims=shims, root=WORK / "pulumi", extra_env=env)
        shutil.rmtree(WORK, ignore_errors=True)
        WORK.mkdir(parents=True)
        # Setups sharing a program get their own copy (directory) and stack name.
        self.stacks = {
            "dynamic": BenchStack(cli, "aep", WORK, {}),
            "plugin-yaml": BenchStack(cli, "aep-yaml", WORK, {}),
            "plugin-python": BenchStack(cli, "aep", WORK / "native", {"BENCH_FACE": "plugin"}),
            "noop": BenchStack(cli, "noop", WORK, {}),
            "noop-wait": BenchStack(cli, "noop", WORK / "wait", {}),
        }
        plaintext, secret = _config(emulator.base_url)
        for setup, stack in self.stacks.items():
            stack.stack = f"bench-{setup}"
            stack.init(plaintext, secret)

    def measure(self, setup: str, n: int, latency_ms: int) -> dict[str, Any]:
        """Time up and destroy of N connections with SETUP; count the creates in flight."""
        control = self.emulator.control
        control.clear_faults()
        control.inject_fault("*", "*", 10**9, latency_ms=latency_ms)
        control.reset_inflight()
        row: dict[str, Any] = {"setup": setup, "n": n, "latency_ms": latency_ms}
        since = time.time()
        if setup == "script":
            row["up_s"] = sequential_script(self.emulator.base_url, n, control.clear_faults)
            row["destroy_s"] = None  # cleanup at zero latency: see sequential_script
            row["span_s"] = create_span(control.requests(), since, since + row["up_s"] + 1.0)
        else:
            stack = self.stacks[setup]
            env = {"BENCH_COUNT": str(n), "BENCH_WAIT_MS": str(latency_ms if setup == "noop-wait" else 0)}
            if setup == "plugin-yaml":
                (stack.work_dir / "Pulumi.yaml").write_text(yaml_program(n))
            parallel = ("--parallel", str(max(n, 1))) if setup.startswith("plugin") else ()
            row["up_s"] = stack.run("up", "--yes", "--skip-preview", *parallel, env=env).seconds
            row["span_s"] = create_span(control.requests(), since, time.time())
            row["in_flight"] = control.inflight().get("createConnection", {}).get("max", 0)
            row["destroy_s"] = stack.run("destroy", "--yes", "--skip-preview", *parallel, env=env).seconds
        row.setdefault("in_flight", 1 if setup == "script" else 0)
        control.clear_faults()
        return {k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()}

    def close(self) -> None:
        for stack in self.stacks.values():
            stack.remove()


@contextmanager
def setups() -> Iterator[Setups]:
    shims = find_pulumi_shims()
    if shims is None:
        raise SystemExit("the pulumi CLI is missing: run `make engine` (scripts/ensure-pulumi.sh)")
    with EmulatorServer(port=0) as emulator:
        runs = Setups(shims, emulator)
        try:
            yield runs
        finally:
            runs.close()


def acceptance(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The issue's concurrency point from the rows at ACCEPTANCE's N and latency.

    ``span_ratio`` (the verdict) compares the time of the same work, the span of the creates in the
    emulator's log. ``up_ratio`` compares the CLI's wall times, which add the engine's own cost (CLI start,
    program, state: seconds on a loaded 2-core machine, the same for both); ``net_ratio`` takes the no-op
    baseline's ``up`` off both, an estimate of that cost. Both are reported beside the verdict.
    """
    at = {
        r["setup"]: r
        for r in rows
        if r["n"] == ACCEPTANCE["n"] and r["latency_ms"] == ACCEPTANCE["latency_ms"]
    }
    yaml, dynamic = at["plugin-yaml"], at["dynamic"]
    span_ratio = (yaml["span_s"] or 0.0) / max(dynamic["span_s"] or 0.0, 1e-9)
    net_ratio = None
    if "noop" in at:
        base = at["noop"]["up_s"]
        net_ratio = round(max(yaml["up_s"] - base, 0.0) / max(dynamic["up_s"] - base, 1e-9), 3)
    return {
        "in_flight": yaml["in_flight"],
        "span_ratio": round(span_ratio, 3),
        "up_ratio": round(yaml["up_s"] / dynamic["up_s"], 3),
        "net_ratio": net_ratio,
        "met": yaml["in_flight"] >= ACCEPTANCE["min_in_flight"]
        and yaml["span_s"] is not None
        and span_ratio <= ACCEPTANCE["max_ratio"],
        **ACCEPTANCE,
    }


def _cell(value: object) -> str:
    return "-" if value is None else str(value)


def markdown(result: dict[str, Any]) -> str:
    """The results table, one row per setup, N and latency."""
    out = [
        "# The plugin against the dynamic provider (`python -m bench.faces`)",
        "",
        "Span: first createConnection received to last answered, in the emulator's log (the provider's API work;"
        " the verdict). Wall: the CLI command. Net: wall minus the no-op's `up` at the same N and latency.",
        "",
        "| latency | N | setup | up wall (s) | up net (s) | creates span (s) | destroy (s) | most creates in flight |",
        "|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    noop = {(r["n"], r["latency_ms"]): r["up_s"] for r in result["rows"] if r["setup"] == "noop"}
    for r in result["rows"]:
        in_flight = "-" if r["setup"].startswith("noop") else r["in_flight"]  # the no-ops call no API
        base = noop.get((r["n"], r["latency_ms"]))
        net = None if base is None or r["setup"] in ("noop", "script") else round(r["up_s"] - base, 2)
        out.append(
            f"| {r['latency_ms']} ms | {r['n']} | {r['setup']} | {r['up_s']} | {_cell(net)} "
            f"| {_cell(r.get('span_s'))} | {_cell(r['destroy_s'])} | {in_flight} |"
        )
    acc = result.get("acceptance")
    if acc:
        out += [
            "",
            f"Acceptance ({acc['n']} connections, {acc['latency_ms']} ms, YAML `--parallel {acc['n']}`): "
            f"{acc['in_flight']} creates in flight (want >= {acc['min_in_flight']}); the creates' span took "
            f"{acc['span_ratio']:.0%} of the dynamic provider's (want <= {acc['max_ratio']:.0%}): "
            f"{'met' if acc['met'] else 'MISSED'}. Beside it: up took {acc['up_ratio']:.0%} of the dynamic "
            "provider's wall time"
            + (f", {acc['net_ratio']:.0%} net of the no-op baseline" if acc["net_ratio"] is not None else "")
            + ".",
        ]
    if result.get("pipeline"):
        out += ["", *pipeline.markdown(result["pipeline"], with_calls=False)]
        out.append("API calls per resource of the pipeline: [latest.md](latest.md) (`python -m bench`).")
    if "runtime_s" in result:
        out += ["", f"`python -m bench.faces` took {result['runtime_s']:.0f} s; {result.get('load', '')}"]
    return "\n".join(out) + "\n"


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.faces", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 2 at 100 ms, no acceptance row")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 25, 100])
    parser.add_argument("--latencies", type=int, nargs="+", default=[100, 500])
    parser.add_argument("--setups", nargs="+", default=list(SETUPS), choices=SETUPS)
    parser.add_argument("--output-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    grid = [(n, ms) for ms in args.latencies for n in args.sizes]
    if args.quick:
        grid = [(2, 100)]
    elif (ACCEPTANCE["n"], ACCEPTANCE["latency_ms"]) not in grid:
        grid.append((ACCEPTANCE["n"], ACCEPTANCE["latency_ms"]))
    rows: list[dict[str, Any]] = []
    started, load_start = time.perf_counter(), _load()
    with setups() as runs:
        for n, ms in grid:
            for setup in args.setups:
                rows.append(runs.measure(setup, n, ms))
                print(f"[bench.faces {time.strftime('%H:%M:%S')}] {rows[-1]}", flush=True)
    result: dict[str, Any] = {"rows": rows, "runtime_s": round(time.perf_counter() - started, 1)}
    result["load"] = f"load average at start {load_start}, at end {_load()}."
    latest = args.output_dir / "latest.json"
    if latest.exists():  # measured by `python -m bench` (make bench runs it first): shown here too
        result["pipeline"] = json.loads(latest.read_text()).get("pipeline")
    if not args.quick and {"dynamic", "plugin-yaml"} <= set(args.setups):
        result["acceptance"] = acceptance(rows)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    (args.output_dir / "faces.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (args.output_dir / "faces.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
