"""The emulator's random fault rules (``probability`` + ``seed``) that the chaos run relies on."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from aep_emulator.faults import FaultPlan

pytestmark = [pytest.mark.emulator]


def _hits(plan: FaultPlan, n: int) -> list[bool]:
    return [plan.take("GET", "/data/foundation/flowservice/connections") is not None for _ in range(n)]


def test_probability_rule_fires_about_that_often() -> None:
    plan = FaultPlan()
    plan.add("*", "*", count=10_000, status=503, probability=0.2, seed=7)
    hits = _hits(plan, 2000)
    assert 340 <= sum(hits) <= 460, sum(hits)


def test_same_seed_same_sequence() -> None:
    first, second = FaultPlan(), FaultPlan()
    for plan in (first, second):
        plan.add("*", "*", count=1000, status=429, probability=0.3, seed=42)
    assert _hits(first, 200) == _hits(second, 200)


def test_count_bounds_random_faults() -> None:
    plan = FaultPlan()
    plan.add("*", "*", count=3, status=503, probability=0.5, seed=1)
    assert sum(_hits(plan, 200)) == 3
    assert plan.rules() == []


def test_a_miss_falls_through_to_the_next_rule() -> None:
    plan = FaultPlan()
    plan.add("*", "*", count=100, status=503, probability=0.01, seed=3)
    plan.add("*", "*", count=100, latency_ms=1)
    rule = plan.take("GET", "/x")
    assert rule is not None
    assert rule.latency_ms == 1


@pytest.mark.parametrize("probability", [0.0, -0.1, 1.5])
def test_probability_out_of_range_rejected(probability: float) -> None:
    with pytest.raises(ValueError, match="probability must be above 0 and at most 1"):
        FaultPlan().add("*", "*", count=1, status=503, probability=probability)


def test_control_route_accepts_probability_and_seed(fresh_emulator: Any) -> None:
    control = fresh_emulator.control
    control.inject_fault("GET", "/connections", count=5, status=503, probability=0.5, seed=11)
    [rule] = control.faults()
    assert (rule["probability"], rule["seed"], rule["remaining"]) == (0.5, 11, 5)
    answer = requests.post(
        control.url + "/faults",
        json={"path_pattern": "*", "status": 503, "probability": 0},
        timeout=10,
    )
    assert answer.status_code == 422
    control.clear_faults()
