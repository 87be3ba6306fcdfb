"""Chaos over the pipeline: faults on about 20 % of the pipeline's calls (5xx, answers lost after the
write, connections reset before it), the whole pipeline created and deleted through the core, each step
run again after a failure as a rerun of `pulumi up` / `destroy` would. Afterwards: no duplicate and no
orphan in any collection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

import pytest

from pulumi_aep.errors import AepError
from pulumi_aep.pipeline_core import PipelineCore
from tests.helpers.emulator import EmulatorSession
from tests.pipeline_wire.conftest import emulator_config
from tests.pipeline_wire.test_lifecycle import COLLECTIONS, START, build, remaining

pytestmark = pytest.mark.emulator
_T = TypeVar("_T")
#: Paths of the pipeline's collections (not the base connection, not IMS).
PATHS = ("*/sourceConnections*", "*/targetConnections*", "*/flows*", "*/dataSets*", "*/runs*", "*/flowSpecs*")
RERUNS = 8
#: Pipelines built side by side per run (distinct names).
TAGS = (" a", " b", " c")


@pytest.fixture
def core(emulator: EmulatorSession, clients: Any) -> PipelineCore:
    """The pipeline core, looking for a lost create for 2 s (``aep:reconcileSeconds``) to keep the run short."""
    config = emulator_config(emulator.base_url)
    return PipelineCore(
        replace(config, retries=replace(config.retries, reconcile=2.0)), now=lambda: START - 3600
    )


def fired(emulator: EmulatorSession) -> int:
    """How many faults the rules injected so far (each rule starts with 40)."""
    rules = emulator.server.control.faults()
    left = sum(int(r["remaining"]) for r in rules)
    return 40 * 3 * len(PATHS) - left


def faults(emulator: EmulatorSession, seed: int) -> None:
    control = emulator.server.control
    for i, path in enumerate(PATHS):
        control.inject_fault("*", path, count=40, status=503, probability=0.08, seed=seed + i)
        control.inject_fault(
            "*", path, count=40, action="drop_response", probability=0.07, seed=seed + 50 + i
        )
        control.inject_fault("*", path, count=40, action="reset", probability=0.06, seed=seed + 100 + i)


def rerun(step: Callable[[], _T]) -> _T:
    """``step`` again after a failure, as a user reruns `pulumi up` (at most ``RERUNS`` times)."""
    for attempt in range(RERUNS):
        try:
            return step()
        except AepError:
            if attempt == RERUNS - 1:
                raise
    raise AssertionError("unreachable")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_duplicates_and_no_orphans_under_faults(
    emulator: EmulatorSession, core: PipelineCore, seed: int
) -> None:
    base_id = emulator.create_connection()["id"]
    faults(emulator, seed)
    made = [build(core, base_id, run=rerun, tag=tag) for tag in TAGS]
    assert fired(emulator) >= 3  # the run really met faults
    emulator.server.control.clear_faults()
    assert remaining(core, TAGS) == dict.fromkeys((*COLLECTIONS, "dataSets"), len(TAGS))

    faults(emulator, seed + 1000)
    for outputs in made:
        for key, resource, id_output in (
            ("flow", "Dataflow", "flow_id"),
            ("source", "AzureBlobSourceConnection", "source_connection_id"),
            ("target", "DataLakeTargetConnection", "target_connection_id"),
            ("dataset", "Dataset", "dataset_id"),
        ):
            entity = outputs[key]
            rerun(lambda: core.delete(resource, entity[id_output], entity))  # noqa: B023 - called at once
    emulator.server.control.clear_faults()
    assert remaining(core, TAGS) == dict.fromkeys((*COLLECTIONS, "dataSets"), 0)
