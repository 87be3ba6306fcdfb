"""The ingestion pipeline on each face: 25 flows (100 resources) on one base connection, and their API calls.

Each flow is four resources, AzureBlobSourceConnection -> Dataset -> DataLakeTargetConnection -> Dataflow,
all on one shared AzureBlobConnection (101 resources in the stack). The dynamic provider runs
``bench/programs/pipeline`` (Python); the plugin runs the same program in YAML (:func:`yaml_program`) with
``--parallel`` = the resource count. On one emulator whose every API call waits the injected latency, each
face runs ``up``, a no-change ``preview``, ``refresh`` and ``destroy``: wall time of each, the span of the
creates in ``up`` (bench/span.py) and the most creates in flight, the emulator's requests per resource by
phase (token requests apart), and the peak RSS of the provider process(es) during ``up``.

``python -m bench --only pipeline`` runs this part alone.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aep_emulator import defaults
from aep_emulator.server import EmulatorServer
from bench.engine import BenchStack, project_plugin
from bench.lifecycle import REPO, _config
from bench.span import create_span, most_at_once
from tests.e2e.harness import PulumiCli
from tests.helpers.pipeline import SCHEMA_ID

FLOWS = 25
#: Resources per flow: source connection, dataset, target connection, dataflow.
PER_FLOW = 4
FACES = ("dynamic", "plugin-yaml")
PHASES = ("up", "preview", "refresh", "destroy")
#: The flows' first run, 2030-01-01T00:00:00Z (bench/programs/pipeline's START_TIME): the emulator
#: synthesizes no run while the bench runs, so the flows' reads cost what they cost in a steady state.
START_TIME = 1893456000
TOKEN_ROUTE = "POST /ims/token/v3"


#: The create routes of the pipeline's resources (the span of an ``up`` runs over all of them).
CREATE_ROUTES = tuple(
    f"{prefix}/{collection}"
    for prefix, collection in [
        (defaults.FLOW_SERVICE_PREFIX, "connections"),
        (defaults.FLOW_SERVICE_PREFIX, "sourceConnections"),
        (defaults.FLOW_SERVICE_PREFIX, "targetConnections"),
        (defaults.FLOW_SERVICE_PREFIX, "flows"),
        (defaults.CATALOG_PREFIX, "dataSets"),
    ]
)


def resources(flows: int) -> int:
    """Resources in the stack: four per flow and the shared base connection."""
    return PER_FLOW * flows + 1


def yaml_program(flows: int, plugin_dir: Path | None = None) -> str:
    """bench/programs/pipeline in YAML: FLOWS pipelines on one base connection (YAML has no loops), on the
    plugin in ``plugin_dir`` declared versioned (``engine.project_plugin``)."""
    lines = [
        "name: bench-pipeline-yaml",
        "description: N Blob ingestion pipelines on one AzureBlobConnection, the plugin from YAML "
        "(bench/pipeline.py writes them)",
        "runtime: yaml",
        *project_plugin(plugin_dir),
        "config:",
        "  connectionString:",
        "    type: string",
        "    secret: true",
        "  schemaId:",
        "    type: string",
        "resources:",
        "  base:",
        "    type: aep:index:AzureBlobConnection",
        "    properties:",
        "      name: bench base",
        "      connectionString: ${connectionString}",
        "      container: landing",
    ]
    for i in range(flows):
        lines += [
            f"  source{i}:",
            "    type: aep:index:AzureBlobSourceConnection",
            "    properties:",
            f"      name: bench source {i}",
            "      baseConnectionId: ${base.connectionId}",
            f"      path: /landing/bench/{i}/*.csv",
            "      dataFormat: delimited",
            f"  dataset{i}:",
            "    type: aep:index:Dataset",
            "    properties:",
            f"      name: bench dataset {i}",
            "      schemaId: ${schemaId}",
            f"  target{i}:",
            "    type: aep:index:DataLakeTargetConnection",
            "    properties:",
            f"      name: bench target {i}",
            f"      datasetId: ${{dataset{i}.datasetId}}",
            "      schemaId: ${schemaId}",
            f"  flow{i}:",
            "    type: aep:index:Dataflow",
            "    properties:",
            f"      name: bench flow {i}",
            f"      sourceConnectionId: ${{source{i}.sourceConnectionId}}",
            f"      targetConnectionId: ${{target{i}.targetConnectionId}}",
            "      schedule:",
            "        frequency: hour",
            "        interval: 1",
            f"        startTime: {START_TIME}",
        ]
    return "\n".join(lines) + "\n"


#: Each resource type of the stack, in a flow's order (the base connection first), and its collection.
COLLECTIONS = {
    "AzureBlobConnection": "connections",
    "AzureBlobSourceConnection": "sourceConnections",
    "Dataset": "dataSets",
    "DataLakeTargetConnection": "targetConnections",
    "Dataflow": "flows",
}
#: The type whose calls a collection's are: its own, or a flow's runs.
COLLECTION_TYPES = {**{c: t for t, c in COLLECTIONS.items()}, "runs": "Dataflow"}
#: What a call does (:func:`call_kind`), in the order a report lists them.
VERBS = ("create", "read", "list", "update", "action", "delete")


def call_kind(key: str) -> tuple[str, str]:
    """``"METHOD /route/template"`` (an emulator counter) as (what it does, to which collection).

    ``POST .../sourceConnections`` creates, ``GET .../flows/{flow_id}`` reads and ``GET .../runs`` lists;
    ``PATCH`` updates, ``DELETE`` deletes, a POST on an item's sub-route (``.../flows/{id}/action``) is an
    action. An IMS token request is ``("token", "ims")``.
    """
    if key == TOKEN_ROUTE:
        return "token", "ims"
    method, _, route = key.partition(" ")
    parts = [p for p in route.split("/") if p]
    last_item = next((i for i in range(len(parts) - 1, -1, -1) if parts[i].startswith("{")), None)
    if last_item is not None and last_item < len(parts) - 1:
        # a sub-route of an item: .../flows/{flow_id}/action
        return ("action" if method == "POST" else method.lower()), parts[last_item - 1]
    names = [p for p in parts if not p.startswith("{")]
    collection = names[-1] if names else route
    if method == "GET":
        return ("read" if last_item is not None else "list"), collection
    verbs = {"POST": "create", "PATCH": "update", "PUT": "update", "DELETE": "delete"}
    return verbs.get(method, method.lower()), collection


def _verb_rank(kind: str) -> int:
    verb = kind.split()[0]
    return VERBS.index(verb) if verb in VERBS else len(VERBS)


def calls_per_resource(before: dict[str, int], after: dict[str, int], flows: int) -> dict[str, Any]:
    """One phase's emulator requests (between two counter snapshots) per resource, by resource type.

    ``by_type`` holds each type's calls divided by how many resources of it the stack has (one base
    connection, FLOWS of the others): ``{"Dataflow": {"create": 1.0, "read": 1.0, "list runs": 1.0}}``;
    a call on another collection's route is named with it. ``other``: calls on no resource's collection
    (specs, schemas), as counts. ``per_resource``: all calls but the tokens over all resources.
    """
    counts = {t: 1 if t == "AzureBlobConnection" else flows for t in COLLECTIONS}
    by_type: dict[str, dict[str, float]] = {}
    other: dict[str, int] = {}
    tokens = total = 0
    for key in sorted(after):
        delta = after[key] - before.get(key, 0)
        if not delta:
            continue
        verb, collection = call_kind(key)
        if verb == "token":
            tokens += delta
            continue
        total += delta
        type_ = COLLECTION_TYPES.get(collection)
        if type_ is None:
            other[f"{verb} {collection}"] = other.get(f"{verb} {collection}", 0) + delta
            continue
        kind = verb if COLLECTIONS[type_] == collection else f"{verb} {collection}"
        calls = by_type.setdefault(type_, {})
        calls[kind] = round(calls.get(kind, 0.0) + delta / counts[type_], 2)
    for calls in by_type.values():
        ordered = sorted(calls.items(), key=lambda kv: (_verb_rank(kv[0]), kv[0]))
        calls.clear()
        calls.update(ordered)
    return {
        "calls": total,
        "per_resource": round(total / resources(flows), 2),
        "tokens": tokens,
        "by_type": {t: by_type[t] for t in COLLECTIONS if t in by_type},
        "other": other,
    }


class PipelineBench:
    """The two faces' stacks against one emulator whose every API call waits ``latency_ms``."""

    def __init__(
        self, shims: Path, root: Path, emulator: EmulatorServer, latency_ms: int, flows: int
    ) -> None:
        self.emulator = emulator
        self.latency_ms = latency_ms
        self.flows = flows
        work = root / "pipeline"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        # PULUMI_AEP_REPO: the shims' plugin launcher serves this working tree's plugin.
        env = {"PULUMI_AEP_REPO": str(REPO), "PYTHONPATH": str(REPO)}
        cli = PulumiCli(shims=shims, root=work / "pulumi", extra_env=env)
        self.stacks = {
            "dynamic": BenchStack(cli, "pipeline", work, {}),
            "plugin-yaml": BenchStack(cli, "pipeline", work / "yaml", {}),
        }
        (self.stacks["plugin-yaml"].work_dir / "__main__.py").unlink()
        (self.stacks["plugin-yaml"].work_dir / "Pulumi.yaml").write_text(yaml_program(flows, shims))
        plaintext, secret = _config(emulator.base_url)
        for face, stack in self.stacks.items():
            stack.stack = f"bench-pipeline-{face}"
            stack.init({**plaintext, "schemaId": SCHEMA_ID}, secret)

    def measure(self, face: str, progress: Callable[[str], None]) -> dict[str, Any]:
        """up, no-change preview, refresh and destroy of the pipelines on FACE."""
        stack, control = self.stacks[face], self.emulator.control
        n = resources(self.flows)
        parallel = ("--parallel", str(n)) if face == "plugin-yaml" else ()
        args = {
            "up": ("up", "--yes", "--skip-preview", *parallel),
            "preview": ("preview", "--expect-no-changes", *parallel),
            "refresh": ("refresh", "--yes", "--skip-preview", *parallel),
            "destroy": ("destroy", "--yes", "--skip-preview", *parallel),
        }
        env = {"BENCH_FLOWS": str(self.flows)}
        row: dict[str, Any] = {
            "face": face,
            "flows": self.flows,
            "resources": n,
            "latency_ms": self.latency_ms,
        }
        control.clear_faults()
        control.inject_fault("*", "*", 10**9, latency_ms=self.latency_ms)
        try:
            for phase in PHASES:
                before, since = control.counters(), time.time()
                timed = stack.run(*args[phase], watch=phase == "up", env=env)
                calls = calls_per_resource(before, control.counters(), self.flows)
                row[f"{phase}_s"] = round(timed.seconds, 2)
                row.setdefault("api_calls", {})[phase] = calls
                if phase == "up":
                    log, until = control.requests(), time.time()
                    row["span_s"] = _round(create_span(log, since, until, CREATE_ROUTES))
                    row["in_flight"] = most_at_once(log, since, until, CREATE_ROUTES)
                    row["peak_rss_mib"] = round(timed.peak_rss / 2**20, 1)
                    row["provider_cpu_s"] = round(timed.provider_cpu_s, 2)
                    row["provider_processes"] = len(timed.provider_pids)
                progress(f"pipeline {face:<11} {phase:<8} {timed.seconds:6.2f} s {row['api_calls'][phase]}")
        finally:
            control.clear_faults()
        return row

    def close(self) -> None:
        for stack in self.stacks.values():
            stack.remove()


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def run(
    shims: Path, root: Path, latency_ms: int, progress: Callable[[str], None], flows: int = FLOWS
) -> dict[str, Any]:
    """Both faces, one after the other, against a fresh emulator; the section of the results."""
    started, load_start, date = (
        time.perf_counter(),
        _load(),
        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )
    with EmulatorServer(port=0) as emulator:
        bench = PipelineBench(shims, root, emulator, latency_ms, flows)
        try:
            rows = [bench.measure(face, progress) for face in FACES]
        finally:
            bench.close()
    return {
        "flows": flows,
        "resources": resources(flows),
        "latency_ms": latency_ms,
        "rows": rows,
        "date": date,
        "load_average": {"start": load_start, "end": _load()},
        "runtime_s": round(time.perf_counter() - started, 1),
    }


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _cell(value: object) -> str:
    return "-" if value is None else str(value)


def _calls_text(calls: dict[str, float]) -> str:
    return ", ".join(f"{v:g} {k}" for k, v in calls.items()) or "none"


def times_table(section: dict[str, Any]) -> list[str]:
    """One row per face: each phase's wall time, the creates' span and concurrency, the provider's memory."""
    out = [
        "| face | up wall (s) | creates span (s) | most creates at once | no-change preview (s) | refresh (s) "
        "| destroy (s) | provider peak RSS (MiB) | provider CPU (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in section["rows"]:
        out.append(
            f"| {r['face']} | {r['up_s']} | {_cell(r.get('span_s'))} | {r['in_flight']} | {r['preview_s']} "
            f"| {r['refresh_s']} | {r['destroy_s']} | {r['peak_rss_mib']} | {r['provider_cpu_s']} |"
        )
    return out


def calls_tables(section: dict[str, Any]) -> list[str]:
    """API calls per resource, by phase: the totals (tokens apart), then per resource of each type."""
    out = [
        "| face | phase | API calls | per resource | token requests | other calls |",
        "|---|---|---:|---:|---:|---|",
    ]
    for r in section["rows"]:
        for phase, calls in r["api_calls"].items():
            other = ", ".join(f"{v} {k}" for k, v in calls["other"].items()) or "-"
            out.append(
                f"| {r['face']} | `{phase}` | {calls['calls']} | {calls['per_resource']:g} | {calls['tokens']} "
                f"| {other} |"
            )
    phases = list(section["rows"][0]["api_calls"]) if section["rows"] else []
    out += [
        "",
        "| face | resource | " + " | ".join(f"`{p}`" for p in phases) + " |",
        "|---|---|" + "---|" * len(phases),
    ]
    for r in section["rows"]:
        for type_ in COLLECTIONS:
            cells = [_calls_text(r["api_calls"][p]["by_type"].get(type_, {})) for p in phases]
            out.append(f"| {r['face']} | {type_} | " + " | ".join(cells) + " |")
    return out


def markdown(section: dict[str, Any], with_calls: bool = True) -> list[str]:
    """The pipeline's section of a report (``with_calls=False``: the times alone, for faces.md)."""
    out = [
        f"## The ingestion pipeline on each face: {section['flows']} flows ({PER_FLOW * section['flows']} "
        "resources) on one base connection",
        "",
        f"{section['flows']} x (AzureBlobSourceConnection, Dataset, DataLakeTargetConnection, Dataflow) on one "
        f"shared AzureBlobConnection, {section['resources']} resources, {section['latency_ms']} ms added to "
        "every API call: `dynamic` is `bench/programs/pipeline` (Python) on the dynamic provider, `plugin-yaml` "
        f"the same program in YAML on the plugin with `--parallel {section['resources']}` (bench/pipeline.py). "
        "Creates span: the first create the emulator received to the last it answered, over the five create "
        "routes; most creates at once: from the same log. RSS and CPU: the provider process during `up`.",
        "",
        *times_table(section),
        "",
    ]
    if with_calls:
        out += [
            "API calls per resource, from the emulator's counters around each command: the totals over all "
            f"{section['resources']} resources (IMS token requests apart), then per resource of each type "
            "(the base connection is one, each other type one per flow; a Dataflow's `list runs` are its "
            "last run's status).",
            "",
            *calls_tables(section),
            "",
        ]
    load = section["load_average"]
    out.append(
        f"The pipeline part ran at {section['date']} and took {section['runtime_s']:.0f} s; load average at "
        f"start {', '.join(map(str, load['start']))}, at end {', '.join(map(str, load['end']))}."
    )
    return out
