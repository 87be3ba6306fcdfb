"""Chaos run over the pipeline through the real CLI: `pulumi up` of whole pipelines (connection -> source
connection -> dataset -> target connection -> dataflow) while ~20 % of all calls fail in six ways.

After **every** `pulumi up` (re-run until it succeeds, at most three times), every collection the
emulator holds (base connections, source and target connections, flows, datasets) is compared with the
stack's state: no duplicate (a declared name stored twice), no orphan (stored, in no state), nothing
missing. Then a refresh under the same faults must find no change, and a destroy under them (re-run
until it succeeds) must leave nothing. The fault rate is measured from the emulator's request log.
"""

from __future__ import annotations

import os
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pytest

from tests.conftest import prerequisite_missing
from tests.e2e.conftest import emulator, fresh_emulator, make_project, pulumi_shims
from tests.e2e.harness import REPO, PulumiCli, PulumiProject, configure, copy_program
from tests.faces.harness import use_plugin, write_launcher, yaml_host_available
from tests.helpers.pipeline import SCHEMA_ID
from tests.reliability.conftest import Figures, figures

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.chaos, pytest.mark.slow]
#: The CLI's fixtures (the in-process emulator server, throwaway stacks) and the figures file.
__all__ = ["emulator", "figures", "fresh_emulator", "make_project", "pulumi_shims"]

PROGRAM: Final = "tests/pipeline_wire/programs/chaos"
#: Whole pipelines declared side by side (five resources each).
PIPELINES: Final = int(os.environ.get("PIPELINE_CHAOS_N", "3"))
#: The YAML program (the plugin face) declares two.
YAML_PIPELINES: Final = 2
SEED: Final = int(os.environ.get("CHAOS_SEED", "20261130")) + 14
#: Six kinds at 3.65 % each: 1 - 0.9635**6 = 20.0 % of the calls get one.
PROBABILITY: Final = 0.0365
FAULTS: Final[dict[str, dict[str, Any]]] = {
    "429 Retry-After": {"status": 429, "retry_after": 1},
    "503 Retry-After": {"status": 503, "retry_after": 1},
    "connection reset": {"action": "reset"},
    "2 s latency": {"latency_ms": 2000},
    "applied, answer dropped": {"action": "drop_response"},
    "applied late behind a 504": {"action": "apply_late", "status": 504, "latency_ms": 800},
}
#: Besides the random faults, one create of each pipeline collection surely loses its answer; two are
#: applied 1.5 s late behind a 504, after a first list finds nothing (only listing again finds them).
CERTAIN: Final[dict[str, dict[str, Any]]] = {
    "*/sourceConnections": {"action": "drop_response"},
    "*/dataSets": {"action": "apply_late", "status": 504, "latency_ms": 1500},
    "*/targetConnections": {"action": "reset"},
    "*/flows": {"action": "apply_late", "status": 504, "latency_ms": 1500},
}
MAX_RUNS: Final = 3
#: A dataflow schedule starting in 2030: no run is synthesized, so a refresh has nothing new to find.
START_TIME: Final = 1_893_456_000
#: Collection -> the type token's last part in the state.
TYPES: Final = {
    "connections": "AzureBlobConnection",
    "sourceConnections": "AzureBlobSourceConnection",
    "dataSets": "Dataset",
    "targetConnections": "DataLakeTargetConnection",
    "flows": "Dataflow",
}


def inject(control: Any) -> tuple[set[int], dict[int, str]]:
    """The random rules (every route: Flow Service, Catalog, IMS) and the certain ones; rule id -> kind."""
    kinds: dict[int, str] = {}
    for path, fault in CERTAIN.items():
        kinds[control.inject_fault("POST", path, count=1, **fault)] = f"certain {fault['action']}"
    random_rules = set()
    for offset, (kind, fault) in enumerate(FAULTS.items()):
        rule = control.inject_fault(
            "*", "*", count=100_000, probability=PROBABILITY, seed=SEED + offset, **fault
        )
        kinds[rule] = kind
        random_rules.add(rule)
    return random_rules, kinds


def stored(server: Any) -> dict[str, dict[str, str]]:
    """Collection -> {id: name} of everything the emulator holds (read in process: no request, no fault)."""
    emulator = server.emulator
    with emulator.pipeline.lock:
        found = {
            kind: {i: str(r["name"]) for i, r in emulator.pipeline.stores[kind].records.items()}
            for kind in ("sourceConnections", "targetConnections", "flows")
        }
        found["dataSets"] = {i: str(r["name"]) for i, r in emulator.siblings.datasets.items()}
    found["connections"] = {c["id"]: str(c["name"]) for c in server.control.connections()}
    return found


def in_state(project: PulumiProject) -> dict[str, set[str]]:
    """Collection -> the ids the stack's state holds."""
    resources = project.export()["deployment"].get("resources") or []
    return {
        collection: {str(r["id"]) for r in resources if r["type"].rsplit(":", 1)[-1] == type_}
        for collection, type_ in TYPES.items()
    }


def audit(project: PulumiProject, server: Any) -> dict[str, dict[str, list[str]]]:
    """Per collection: duplicates (a name stored twice), orphans (stored, not in state), missing."""
    held, live = in_state(project), stored(server)
    report = {}
    for collection in TYPES:
        names = Counter(live[collection].values())
        report[collection] = {
            "duplicates": sorted(n for n, k in names.items() if k > 1),
            "orphans": sorted(set(live[collection]) - held[collection]),
            "missing": sorted(held[collection] - set(live[collection])),
        }
    return report


def assert_clean(report: dict[str, dict[str, list[str]]], output: str) -> None:
    problems = {c: {k: v for k, v in r.items() if v} for c, r in report.items() if any(r.values())}
    assert not problems, (problems, output[-4000:])


def until_done(step: Callable[[], Any], after: Callable[[str], None]) -> tuple[int, list[list[str]]]:
    """``step`` (a CLI run) until it exits 0, at most ``MAX_RUNS`` times; ``after`` checks every run."""
    failed: list[list[str]] = []
    for run in range(1, MAX_RUNS + 1):
        result = step()
        output = result.stdout + result.stderr
        after(output)
        if result.returncode == 0:
            return run, failed
        failed.append([ln.strip() for ln in output.splitlines() if "error" in ln.lower()][:6])
    raise AssertionError(f"failed {MAX_RUNS} times: {failed}")


@dataclass(frozen=True)
class Stack:
    """The chaos program on one face, its stack pointed at the emulator, and how many pipelines it declares."""

    face: str
    project: PulumiProject
    pipelines: int


@pytest.fixture(params=["dynamic", "plugin-yaml"])
def stack(
    request: pytest.FixtureRequest,
    make_project: Callable[[str], PulumiProject],
    pulumi_shims: Path,
    tmp_path: Path,
    fresh_emulator: Any,
) -> Iterator[Stack]:
    """The Python program on the dynamic provider (``PIPELINES``), or the YAML one on the plugin (two)."""
    if request.param == "dynamic":
        project = make_project(PROGRAM)
        configure(project, fresh_emulator.base_url)
        project.config("count", str(PIPELINES))
        project.config("prefix", "chaos")
        made = Stack("dynamic", project, PIPELINES)
    else:
        if not yaml_host_available(pulumi_shims):
            prerequisite_missing("the YAML language host pulumi-language-yaml (run `make engine`)")
        work = copy_program(REPO / PROGRAM / "yaml", tmp_path / "chaos-yaml")
        use_plugin(work, write_launcher(tmp_path / "plugin"))
        cli = PulumiCli(shims=pulumi_shims, root=tmp_path / "pulumi")
        project = PulumiProject(cli=cli, work_dir=work, stack=f"t{uuid.uuid4().hex[:8]}")
        project.init()
        configure(project, fresh_emulator.base_url)
        made = Stack("plugin-yaml", project, YAML_PIPELINES)
    for key, value in {
        "schemaId": SCHEMA_ID,
        "startTime": str(START_TIME),
        "aep:reconcileSeconds": "4",
    }.items():
        project.config(key, value)
    yield made
    if made.face != "dynamic":  # make_project cleans up its own
        project.destroy(check=False)
        project.remove()


def test_pipeline_chaos_through_the_cli_never_duplicates_or_orphans(
    stack: Stack, fresh_emulator: Any, figures: Figures
) -> None:
    started = time.monotonic()
    control, project = fresh_emulator.control, stack.project
    random_rules, kinds = inject(control)

    def clean(output: str) -> None:
        assert_clean(audit(project, fresh_emulator), output)

    up_runs, up_failures = until_done(lambda: project.up(check=False), clean)
    up_s = time.monotonic() - started
    live = stored(fresh_emulator)
    assert {c: len(v) for c, v in live.items()} == dict.fromkeys(TYPES, stack.pipelines), live
    held = in_state(project)
    assert {c: set(v) for c, v in live.items()} == held

    project.refresh("--expect-no-changes")  # under the same faults: reads retried, nothing differs

    destroy_runs, destroy_failures = until_done(lambda: project.destroy(check=False), clean)
    served = [r for r in control.requests() if not r["path"].startswith("/_")]
    control.clear_faults()
    assert {c: len(v) for c, v in stored(fresh_emulator).items()} == dict.fromkeys(TYPES, 0)

    injected = Counter(kinds[r["fault"]] for r in served if r["fault"] in kinds)
    rate = sum(1 for r in served if r["fault"] in random_rules) / len(served)
    # ~100 calls: a binomial 20 % share lies within 0.10-0.32 (2.5 sd) for any CHAOS_SEED.
    assert 0.10 <= rate <= 0.32, (rate, injected, len(served))
    assert len(served) >= 60, len(served)
    assert all(injected[f"certain {f['action']}"] >= 1 for f in CERTAIN.values()), injected
    assert sum(injected[k] for k in FAULTS) >= 10, injected
    figures.record(
        f"pipeline_chaos_cli_{stack.face}_n{stack.pipelines}",
        pipelines=stack.pipelines,
        seed=SEED,
        requests=len(served),
        random_fault_rate=round(rate, 3),
        by_kind=dict(injected),
        up_runs=up_runs,
        failed_up_errors=up_failures,
        destroy_runs=destroy_runs,
        failed_destroy_errors=destroy_failures,
        duplicates=0,
        orphans=0,
        left_after_destroy=0,
        up_seconds=round(up_s, 1),
        total_seconds=round(time.monotonic() - started, 1),
    )
