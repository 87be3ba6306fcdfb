"""Chaos run: `pulumi up` of CHAOS_N connections while ~20 % of all requests fail in five ways."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.e2e.harness import PulumiProject
from tests.reliability.conftest import Figures
from tests.reliability.fleet import make_fleet
from tests.reliability.helpers import assert_converged, audit, declared_name, state_connections

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.chaos, pytest.mark.slow]

#: `make chaos` sets 50; `make test` runs a smaller fleet.
CHAOS_N = int(os.environ.get("CHAOS_N", "12"))
#: Five seeds, each its own test: a failure names the seed that reproduces it (CHAOS_SEED moves them).
BASE_SEED = int(os.environ.get("CHAOS_SEED", "20261130"))
SEEDS = [BASE_SEED + 1000 * k for k in range(5)]
#: `make chaos` (CHAOS_N set) runs the big fleet for every seed; `make test` for the first only.
FULL_SIZE = "CHAOS_N" in os.environ
#: Two stacks declaring the same names: `make test` runs 3 connections each, `make chaos` CHAOS_N // 5.
PAIR_N = max(3, CHAOS_N // 5) if FULL_SIZE else 3
#: Five fault kinds at 4.5 % each: 1 - 0.955**5 = 20.6 % of requests get one.
PROBABILITY = 0.045
FAULTS: dict[str, dict[str, Any]] = {
    "429 Retry-After": {"status": 429, "retry_after": 1},
    "503 Retry-After": {"status": 503, "retry_after": 1},
    "connection reset": {"action": "reset"},
    "2 s latency": {"latency_ms": 2000},
    "applied, answer dropped": {"action": "drop_response"},
}
#: Writes the platform applies after the client gave up: a gateway 504 now, the write 0.8 s later.
LATE: dict[str, dict[str, Any]] = {
    "applied late behind a 504": {"action": "apply_late", "status": 504, "latency_ms": 800},
}
#: `pulumi up` runs allowed: a create whose three attempts all fail makes `up` fail (nothing is left
#: behind, see the assertions); re-running it, as a CI retry would, must converge.
MAX_UP_RUNS = 3


def inject_chaos(
    control: Any, seed: int, faults: dict[str, dict[str, Any]] = FAULTS
) -> tuple[dict[int, str], set[int]]:
    """Random faults on every route (Flow Service and IMS); returns rule id -> kind, and the random rules.

    Each kind also hits one create for certain, so even a small fleet sees all five on the riskiest call.
    """
    kinds = {}
    for kind, fault in faults.items():
        kinds[control.inject_fault("POST", "/connections", count=1, **fault)] = kind
    random_rules = set()
    for offset, (kind, fault) in enumerate(faults.items()):
        rule = control.inject_fault(
            "*", "*", count=100_000, probability=PROBABILITY, seed=seed + offset, **fault
        )
        kinds[rule] = kind
        random_rules.add(rule)
    return kinds, random_rules


def random_fault_rate(served: list[dict[str, Any]], random_rules: set[int], *, connections: int) -> float:
    """The share of ``served`` requests a random rule hit, asserted to be the ~20 % intended.

    A fleet of fewer than 50 ``connections`` makes fewer requests, so its band is wider.
    """
    rate = sum(1 for r in served if r["fault"] in random_rules) / len(served)
    low, high = (0.12, 0.30) if connections >= 50 else (0.05, 0.40)
    assert low <= rate <= high, (rate, len(served))
    return rate


@pytest.mark.parametrize("seed", SEEDS if FULL_SIZE else SEEDS[:1])
def test_chaos_run_converges_exactly_once(
    make_project: Callable[[str], PulumiProject], fresh_emulator: Any, figures: Figures, seed: int
) -> None:
    fleet = make_fleet(make_project, fresh_emulator, CHAOS_N, prefix="chaos")
    control = fresh_emulator.control
    kinds, random_rules = inject_chaos(control, seed=seed)

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
    assert set(injected) == set(FAULTS), injected  # every kind hit at least once
    rate = random_fault_rate(served, random_rules, connections=CHAOS_N)

    # Destroy under the same fault mix: deletes are retried, a lost answer's retry finds it gone (404).
    destroy_kinds, _ = inject_chaos(control, seed=seed + 100)
    before_destroy = len(control.requests())
    fleet.project.destroy()
    destroy_faults = sum(1 for r in control.requests()[before_destroy:] if r["fault"] in destroy_kinds)
    control.clear_faults()
    assert control.connections() == []
    figures.record(
        f"chaos_n{CHAOS_N}",
        connections=CHAOS_N,
        seed=seed,
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


def pair_audit(
    names: list[str], states: list[dict[str, str]], stored: list[dict[str, Any]]
) -> dict[str, Any]:
    """Two stacks declaring the same connection names, against what the emulator holds.

    Returns:
        shared (ids in both states), orphans (stored, in no state), duplicates (a name stored more
        often than stacks hold it), missing (in a state, not stored), and the counts.
    """
    held = [set(state.values()) for state in states]
    stored_ids = {c["id"] for c in stored}
    by_name = Counter(declared_name(c["name"]) for c in stored)
    holders = Counter(name for state in states for name in state)
    return {
        "shared": sorted(held[0] & held[1]),
        "orphans": sorted(stored_ids - held[0] - held[1]),
        "duplicates": sorted(n for n in names if by_name[n] > holders[n]),
        "missing": sorted((held[0] | held[1]) - stored_ids),
        "stored": len(stored),
        "declared": len(names) * len(states),
    }


def _up_until_done(fleet: Any, audit_now: Callable[[], dict[str, Any]]) -> tuple[int, list[list[str]]]:
    """`pulumi up` until it succeeds (at most MAX_UP_RUNS); every run leaves nothing wrong behind."""
    runs = _up_together([fleet], audit_now)
    return runs[0]


def _up_together(
    fleets: list[Any], audit_now: Callable[[], dict[str, Any]]
) -> list[tuple[int, list[list[str]]]]:
    """`pulumi up` of every fleet at once, again for those that failed (at most MAX_UP_RUNS rounds).

    After each round (all of its runs ended) nothing may be shared, orphaned or duplicated.
    """
    failed: list[list[list[str]]] = [[] for _ in fleets]
    done: list[int | None] = [None] * len(fleets)
    for round_ in range(1, MAX_UP_RUNS + 1):
        todo = [i for i, d in enumerate(done) if d is None]
        with ThreadPoolExecutor(max_workers=len(todo)) as pool:
            results = dict(
                zip(todo, pool.map(lambda i: fleets[i].project.up(check=False), todo), strict=True)
            )
        report = audit_now()
        output = "\n".join(r.stdout + r.stderr for r in results.values())
        for problem in ("shared", "orphans", "duplicates"):
            assert report.get(problem, []) == [], (problem, report, output)
        for i, result in results.items():
            if result.returncode == 0:
                done[i] = round_
            else:
                said = result.stdout + result.stderr
                failed[i].append([ln.strip() for ln in said.splitlines() if "error" in ln])
        if all(d is not None for d in done):
            return [(int(d or 0), f) for d, f in zip(done, failed, strict=True)]
    raise AssertionError(f"`pulumi up` failed {MAX_UP_RUNS} times: {failed}")


#: (seed, together): both stacks at once with the names the provider chooses, every seed; one after the
#: other with the very same explicit names, the first seed in `make test` and every seed in `make chaos`.
PAIR_CASES = [pytest.param(seed, True, id=f"at-once-{seed}") for seed in SEEDS] + [
    pytest.param(seed, False, id=f"same-names-in-turn-{seed}") for seed in (SEEDS if FULL_SIZE else SEEDS[:1])
]


@pytest.mark.parametrize(("seed", "together"), PAIR_CASES)
def test_two_stacks_with_the_same_names_never_share_duplicate_or_orphan(
    make_project: Callable[[str], PulumiProject],
    fresh_emulator: Any,
    figures: Figures,
    seed: int,
    together: bool,
) -> None:
    """Issue 11 D1 under chaos: the same resource names, containers and folders, other accounts; ~20 %
    faults plus creates applied after a 504. Either both stacks run `up` at once (connection names
    chosen by the provider: <resource name>-<suffix>), or one after the other declaring the very same
    connection names (the reconcile window alone keeps them apart). Both are then destroyed."""
    from tests.provider.helpers import connection_string

    control = fresh_emulator.control
    fleets = [make_fleet(make_project, fresh_emulator, PAIR_N, prefix="pair") for _ in range(2)]
    for fleet, account in zip(fleets, ("firststore", "secondstore"), strict=True):
        fleet.project.config("connectionString", connection_string(account), secret=True)
        fleet.project.config("aep:reconcileSeconds", "4")
        if not together:
            fleet.project.config("explicitNames", "true")

    def audit_now() -> dict[str, Any]:
        states = [state_connections(f.project.export()) for f in fleets]
        return pair_audit(fleets[0].names, states, control.connections())

    kinds, random_rules = inject_chaos(control, seed=seed, faults={**FAULTS, **LATE})
    runs = _up_together(fleets, audit_now) if together else [_up_until_done(f, audit_now) for f in fleets]
    served = control.requests()
    control.clear_faults()
    report = audit_now()
    assert report == {**report, "shared": [], "orphans": [], "duplicates": [], "missing": []}
    assert report["stored"] == report["declared"], report
    injected = Counter(kinds[r["fault"]] for r in served if r["fault"] in kinds)
    assert injected["applied late behind a 504"] >= 1, injected
    # Six kinds at 4.5 % each (the five plus late-applied creates): 1 - 0.955**6 = 24 % of requests.
    rate = random_fault_rate(served, random_rules, connections=2 * PAIR_N)
    for fleet in fleets:
        fleet.project.destroy()
    assert control.connections() == []
    figures.record(
        f"chaos_pair_n{PAIR_N}_seed{seed}" + ("_at_once" if together else "_same_names"),
        connections_per_stack=PAIR_N,
        seed=seed,
        at_once=together,
        requests=len(served),
        random_fault_rate=round(rate, 3),
        by_kind=dict(injected),
        up_runs=[r for r, _ in runs],
        failed_up_errors=[f for _, f in runs],
        shared=0,
        duplicates=0,
        orphans=0,
    )
