"""Chaos run: `pulumi up` of CHAOS_N connections while ~20 % of all requests fail in five ways."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.harness import PulumiProject
from tests.reliability.conftest import Figures
from tests.reliability.fleet import make_fleet
from tests.reliability.helpers import assert_converged, audit, state_connections

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.chaos, pytest.mark.slow]

#: `make chaos` sets 50; `make test` runs a smaller fleet.
CHAOS_N = int(os.environ.get("CHAOS_N", "12"))
#: Five fault kinds at 4.5 % each: 1 - 0.955**5 = 20.6 % of requests get one.
PROBABILITY = 0.045
FAULTS: dict[str, dict[str, Any]] = {
    "429 Retry-After": {"status": 429, "retry_after": 1},
    "503 Retry-After": {"status": 503, "retry_after": 1},
    "connection reset": {"action": "reset"},
    "2 s latency": {"latency_ms": 2000},
    "applied, answer dropped": {"action": "drop_response"},
}
#: `pulumi up` runs allowed: a create whose three attempts all fail makes `up` fail (nothing is left
#: behind, see the assertions); re-running it, as a CI retry would, must converge.
MAX_UP_RUNS = 3


def inject_chaos(control: Any, seed: int) -> tuple[dict[int, str], set[int]]:
    """Random faults on every route (Flow Service and IMS); returns rule id -> kind, and the random rules.

    Each kind also hits one create for certain, so even a small fleet sees all five on the riskiest call.
    """
    kinds = {}
    for kind, fault in FAULTS.items():
        kinds[control.inject_fault("POST", "/connections", count=1, **fault)] = kind
    random_rules = set()
    for offset, (kind, fault) in enumerate(FAULTS.items()):
        rule = control.inject_fault(
            "*", "*", count=100_000, probability=PROBABILITY, seed=seed + offset, **fault
        )
        kinds[rule] = kind
        random_rules.add(rule)
    return kinds, random_rules


def test_chaos_run_converges_exactly_once(
    make_project: Callable[[str], PulumiProject], fresh_emulator: Any, figures: Figures
) -> None:
    fleet = make_fleet(make_project, fresh_emulator, CHAOS_N, prefix="chaos")
    control = fresh_emulator.control
    kinds, random_rules = inject_chaos(control, seed=int(os.environ.get("CHAOS_SEED", "20261130")))

    up_runs, failed_runs = 0, []
    while up_runs < MAX_UP_RUNS:
        up_runs += 1
        result = fleet.project.up(check=False)
        partial = audit(fleet.names, state_connections(fleet.project.export()), control.connections())
        # Even a failed run leaves no orphan and no duplicate behind.
        assert partial["orphans"] == [], (partial, result.stdout)
        assert partial["duplicates"] == [], (partial, result.stdout)
        if result.returncode == 0:
            break
        failed_runs.append(
            [ln.strip() for ln in (result.stdout + result.stderr).splitlines() if "error" in ln]
        )
    assert result.returncode == 0, failed_runs

    fleet.project.refresh()
    served = control.requests()
    control.clear_faults()

    exported = fleet.project.export()
    report = audit(fleet.names, state_connections(exported), control.connections())
    assert_converged(report)
    _assert_state_matches(exported, control.connections())
    fleet.project.refresh("--expect-no-changes")
    fleet.project.preview("--expect-no-changes")

    injected = Counter(kinds[r["fault"]] for r in served if r["fault"] in kinds)
    total = len(served)
    rate = sum(1 for r in served if r["fault"] in random_rules) / total
    assert set(injected) == set(FAULTS), injected  # every kind hit at least once
    # The random share is ~20 %; a small fleet makes fewer requests, so its band is wider.
    low, high = (0.12, 0.30) if CHAOS_N >= 50 else (0.05, 0.40)
    assert low <= rate <= high, (rate, injected, total)

    # Destroy under the same fault mix: deletes are retried, a lost answer's retry finds it gone (404).
    destroy_kinds, _ = inject_chaos(control, seed=int(os.environ.get("CHAOS_SEED", "20261130")) + 100)
    before_destroy = len(control.requests())
    fleet.project.destroy()
    destroy_faults = sum(1 for r in control.requests()[before_destroy:] if r["fault"] in destroy_kinds)
    control.clear_faults()
    assert control.connections() == []
    figures.record(
        f"chaos_n{CHAOS_N}",
        connections=CHAOS_N,
        seed=int(os.environ.get("CHAOS_SEED", "20261130")),
        requests=total,
        faults_injected=sum(injected.values()),
        random_fault_rate=round(rate, 3),
        by_kind=dict(injected),
        up_runs=up_runs,
        failed_up_errors=failed_runs,
        duplicates=len(report["duplicates"]),
        orphans=len(report["orphans"]),
        missing=len(report["missing"]),
        destroy_faults_injected=destroy_faults,
        left_after_destroy=0,
    )


def _assert_state_matches(exported: dict[str, Any], stored: list[dict[str, Any]]) -> None:
    """Every connection's id, name and etag in state are what the emulator holds."""
    live = {c["id"]: c for c in stored}
    resources = [r for r in exported["deployment"]["resources"] if r["type"].endswith("AzureBlobConnection")]
    assert len(resources) == len(live)
    for res in resources:
        outputs, connection = res["outputs"], live[res["id"]]
        assert (outputs["name"], outputs["etag"]) == (connection["name"], connection["etag"]), res["urn"]
