"""``python -m bench.faces``: the plugin against the dynamic provider, at the engine's limit.

For each N and latency injected on every Flow Service call, one ``up`` and one ``destroy`` of N connections per setup, timed, with the most
operations in flight and the span of the creates (bench/span.py); the acceptance point (N = 32, 500 ms) is
measured ``--reps`` times, setups interleaved, and its medians reported. Setups: the dynamic provider (Python
program), the plugin from YAML (``--parallel`` = N) and from Python (pulumi_aep.native), the no-op baseline
(Python), the no-op that waits the latency per call (the best a dynamic provider can do), the YAML program with
no resources (the engine's own cost for YAML) and a plain sequential script making the same calls.
Writes bench/results/faces.json and faces.md; ``--quick`` is N = 2 at 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
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
from bench.engine import BenchStack, project_plugin
from bench.lifecycle import CONNECTION_STRING, REPO, _config
from bench.noop import INFLIGHT_FILE_ENV
from bench.span import create_span
from tests.e2e.harness import PulumiCli, find_pulumi_shims

RESULTS = Path(__file__).resolve().parent / "results"
WORK = Path(__file__).resolve().parent / ".work" / "faces"
SETUPS = ("dynamic", "plugin-yaml", "plugin-python", "noop", "noop-wait", "noop-yaml", "script")
#: Each setup's baseline for "net": the no-op run by the same language host (none for the baselines, the script).
BASELINE = {"dynamic": "noop", "plugin-python": "noop", "noop-wait": "noop", "plugin-yaml": "noop-yaml"}
#: The issue's concurrency acceptance: 32 connections, 500 ms on every call, YAML with --parallel 32: at least
#: 16 creates in flight, and ``up`` at most a quarter of the dynamic provider's time (wall time, median).
ACCEPTANCE = {"n": 32, "latency_ms": 500, "min_in_flight": 16, "max_ratio": 0.25}
#: Repetitions of the acceptance point (``--reps``); the script's sequential creates (N x latency, 16 s) vary
#: little and run once.
REPS = 3
TIMEOUT_S = 30  # one HTTP call of the script, latency included


def yaml_program(n: int, plugin_dir: Path | None = None) -> str:
    """bench/programs/aep-yaml with N connections (YAML has no loops: written out; none for ``noop-yaml``),
    on the plugin in ``plugin_dir`` declared versioned (``engine.project_plugin``)."""
    lines = [
        "name: bench-aep-yaml",
        "description: N AzureBlobConnections through the plugin from YAML (bench/faces.py writes N of them)",
        "runtime: yaml",
        *project_plugin(plugin_dir),
    ]
    lines += [
        "config:",
        "  connectionString:",
        "    type: string",
        "    secret: true",
    ]
    if n:
        lines.append("resources:")
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
        self.shims = shims
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
            "noop-yaml": BenchStack(cli, "aep-yaml", WORK / "noop-yaml", {}),
        }
        plaintext, secret = _config(emulator.base_url)
        for setup, stack in self.stacks.items():
            stack.stack = f"bench-{setup}"
            stack.init(plaintext, secret)

    def measure(self, setup: str, n: int, latency_ms: int) -> dict[str, Any]:
        """Time up and destroy of N connections with SETUP; count the operations in flight.

        ``in_flight`` is the most creates the emulator served at once; for the no-ops, which call no API,
        the most the provider itself was serving at once (bench/noop.py), and 0 for ``noop-yaml`` (no
        resources).
        """
        control = self.emulator.control
        control.clear_faults()
        # The measure: the latency on every Flow Service call. IMS (one token per provider process,
        # the same for every setup) answers at once, as the token endpoint is not what is compared.
        control.inject_fault("*", f"{defaults.FLOW_SERVICE_PREFIX}/*", 10**9, latency_ms=latency_ms)
        control.reset_inflight()
        row: dict[str, Any] = {"setup": setup, "n": n, "latency_ms": latency_ms}
        since = time.time()
        if setup == "script":
            row["up_s"] = sequential_script(self.emulator.base_url, n, control.clear_faults)
            row["destroy_s"] = None  # cleanup at zero latency: see sequential_script
            row["span_s"] = create_span(control.requests(), since, since + row["up_s"] + 1.0)
            row["in_flight"] = 1
        else:
            stack = self.stacks[setup]
            gauge = Path(tempfile.mkstemp(prefix="bench-inflight-")[1])
            env = {
                "BENCH_COUNT": str(n),
                "BENCH_WAIT_MS": str(latency_ms if setup == "noop-wait" else 0),
                INFLIGHT_FILE_ENV: str(gauge),
            }
            if setup in ("plugin-yaml", "noop-yaml"):
                count = n if setup == "plugin-yaml" else 0
                (stack.work_dir / "Pulumi.yaml").write_text(yaml_program(count, self.shims))
            parallel = ("--parallel", str(max(n, 1))) if setup.startswith("plugin") else ()
            try:
                row["up_s"] = stack.run("up", "--yes", "--skip-preview", *parallel, env=env).seconds
                row["span_s"] = create_span(control.requests(), since, time.time())
                if setup.startswith("noop"):
                    row["in_flight"] = int(gauge.read_text() or 0)
                else:
                    row["in_flight"] = control.inflight().get("createConnection", {}).get("max", 0)
                row["destroy_s"] = stack.run("destroy", "--yes", "--skip-preview", *parallel, env=env).seconds
            finally:
                gauge.unlink(missing_ok=True)
        control.clear_faults()
        return {k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()}

    def close(self) -> None:
        for stack in self.stacks.values():
            stack.remove()


def median_row(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One row from repeated measurements of a setup at one point: the median of each figure, and the runs'
    ``up`` wall times in ``up_runs_s``."""
    row = dict(runs[0])
    for key in ("up_s", "span_s", "destroy_s", "in_flight"):
        values = [r[key] for r in runs if r.get(key) is not None]
        if values:
            middle = statistics.median(values)
            row[key] = round(middle, 2) if isinstance(middle, float) else middle
    row["runs"] = len(runs)
    row["up_runs_s"] = [r["up_s"] for r in runs]
    return row


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
    """The issue's concurrency point from the rows at ACCEPTANCE's N and latency (medians of the runs).

    The verdict is the plain one: the YAML ``up``'s wall time against the dynamic provider's
    (``wall_ratio``), with at least ``min_in_flight`` creates in flight. Beside it: ``span_ratio`` compares
    the creates' span in the emulator's log (the providers' API work alone), ``net_ratio`` each ``up``
    net of its own language's no-op baseline (``noop-yaml``, ``noop``), whose walls are given too: the
    engine's own cost, which no provider removes; ``floor_ratio`` the least a YAML ``up`` can take (that
    baseline and one latency) against the dynamic provider's.
    """
    at = {
        r["setup"]: r
        for r in rows
        if r["n"] == ACCEPTANCE["n"] and r["latency_ms"] == ACCEPTANCE["latency_ms"]
    }
    yaml, dynamic = at["plugin-yaml"], at["dynamic"]
    wall_ratio = yaml["up_s"] / dynamic["up_s"]
    span_ratio = None
    if yaml.get("span_s") is not None and dynamic.get("span_s"):
        span_ratio = round(yaml["span_s"] / dynamic["span_s"], 3)
    net_ratio = floor_ratio = None
    if "noop" in at and "noop-yaml" in at:
        yaml_net = max(yaml["up_s"] - at["noop-yaml"]["up_s"], 0.0)
        net_ratio = round(yaml_net / max(dynamic["up_s"] - at["noop"]["up_s"], 1e-9), 3)
    if "noop-yaml" in at:
        # The least any YAML up of this work can take: the engine's own (no resources), then one latency:
        # every create at once.
        floor = at["noop-yaml"]["up_s"] + ACCEPTANCE["latency_ms"] / 1000
        floor_ratio = round(floor / dynamic["up_s"], 3)
    return {
        "in_flight": yaml["in_flight"],
        "yaml_up_s": yaml["up_s"],
        "dynamic_up_s": dynamic["up_s"],
        "runs": yaml.get("runs", 1),
        "wall_ratio": round(wall_ratio, 3),
        "span_ratio": span_ratio,
        "net_ratio": net_ratio,
        "floor_ratio": floor_ratio,
        "noop_yaml_up_s": at.get("noop-yaml", {}).get("up_s"),
        "noop_up_s": at.get("noop", {}).get("up_s"),
        "met": yaml["in_flight"] >= ACCEPTANCE["min_in_flight"] and wall_ratio <= ACCEPTANCE["max_ratio"],
        **ACCEPTANCE,
    }


def _cell(value: object) -> str:
    return "-" if value is None else str(value)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def markdown(result: dict[str, Any]) -> str:
    """The results table, one row per setup, N and latency."""
    out = [
        "# The plugin against the dynamic provider (`python -m bench.faces`)",
        "",
        "Wall: the `pulumi up` command, as the user waits for it (median of the runs). Net: wall minus the"
        " `up` of the no-op baseline run by the same language host (`noop` for Python, `noop-yaml` for YAML)"
        " at the same N and latency. Span: first createConnection received to last answered, in the emulator's"
        " log. Most in flight: creates the emulator served at once; for `noop` and `noop-wait`, creates the"
        " provider itself served at once; `noop-yaml` has no resources.",
        "",
        "| latency | N | setup | runs | up wall (s) | up net (s) | creates span (s) | destroy (s) "
        "| most in flight |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    walls = {(r["setup"], r["n"], r["latency_ms"]): r["up_s"] for r in result["rows"]}
    for r in result["rows"]:
        base = walls.get((BASELINE.get(r["setup"], ""), r["n"], r["latency_ms"]))
        net = None if base is None else round(r["up_s"] - base, 2)
        out.append(
            f"| {r['latency_ms']} ms | {r['n']} | {r['setup']} | {r.get('runs', 1)} | {r['up_s']} | {_cell(net)} "
            f"| {_cell(r.get('span_s'))} | {_cell(r['destroy_s'])} | {r['in_flight']} |"
        )
    acc = result.get("acceptance")
    if acc:
        out += [
            "",
            f"Acceptance ({acc['n']} connections, {acc['latency_ms']} ms, YAML `--parallel {acc['n']}`, median "
            f"of {acc['runs']} runs): {acc['in_flight']} creates in flight (want >= {acc['min_in_flight']}); "
            f"`up` took {acc['yaml_up_s']} s against the dynamic provider's {acc['dynamic_up_s']} s of wall "
            f"time: {_ratio(acc['wall_ratio'])} (want <= {acc['max_ratio']:.0%}): "
            f"{'met' if acc['met'] else 'MISSED'}. Beside it: the creates' span took "
            f"{_ratio(acc['span_ratio'])} of the dynamic provider's; net of each language's no-op "
            f"baseline (YAML with no resources {_cell(acc['noop_yaml_up_s'])} s, Python no-op "
            f"{_cell(acc['noop_up_s'])} s), {_ratio(acc['net_ratio'])}. The least any YAML `up` of this work "
            f"can take, the no-resource run plus one latency (every create at once), is "
            f"{_ratio(acc['floor_ratio'])} of the dynamic provider's.",
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
    parser.add_argument("--reps", type=int, default=REPS, help="runs of each setup at the acceptance point")
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
            at_acceptance = (n, ms) == (ACCEPTANCE["n"], ACCEPTANCE["latency_ms"]) and not args.quick
            measured: dict[str, list[dict[str, Any]]] = {setup: [] for setup in args.setups}
            for rep in range(args.reps if at_acceptance else 1):
                for setup in args.setups:  # interleaved: load changes hit every setup alike
                    if setup == "script" and rep:
                        continue
                    measured[setup].append(runs.measure(setup, n, ms))
                    print(f"[bench.faces {time.strftime('%H:%M:%S')}] {measured[setup][-1]}", flush=True)
            rows += [median_row(measured[setup]) for setup in args.setups]
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
