"""Interrupted deployments: Ctrl-C (graceful) and a killed CI job converge with no duplicate or orphan."""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.harness import PulumiProject
from tests.reliability.conftest import Figures
from tests.reliability.fleet import interrupt, make_fleet, recover_killed_run, wait_for
from tests.reliability.helpers import assert_converged, audit, pending_operations, state_connections

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.slow]

COUNT = 8
#: Each create takes this long, so several are in flight when the signal arrives.
CREATE_LATENCY_MS = 3000


def test_sigint_finishes_in_flight_creates_then_up_converges(
    make_project: Callable[[str], PulumiProject], fresh_emulator: Any, figures: Figures
) -> None:
    fleet = make_fleet(make_project, fresh_emulator, COUNT, prefix="intr")
    control = fresh_emulator.control
    control.inject_fault("POST", "/connections", count=COUNT * 3, latency_ms=CREATE_LATENCY_MS)
    proc = fleet.popen("up", "--yes", "--skip-preview", "--parallel", "2")
    wait_for(lambda: len(control.connections()) >= 1, 90, "the first create to land")
    output = interrupt(proc, signal.SIGINT, whole_tree=False)
    assert proc.returncode != 0, output

    exported = fleet.project.export()
    assert pending_operations(exported) == [], "a graceful cancel must not leave pending operations"
    after_cancel = audit(fleet.names, state_connections(exported), control.connections())
    assert after_cancel["orphans"] == [], after_cancel
    assert after_cancel["duplicates"] == [], after_cancel
    interrupted_with = after_cancel["stored"]
    assert 1 <= interrupted_with < COUNT, after_cancel

    control.clear_faults()
    fleet.project.up()
    report = audit(fleet.names, state_connections(fleet.project.export()), control.connections())
    assert_converged(report)
    fleet.project.preview("--expect-no-changes")
    figures.record(
        "interrupt",
        runs=1,
        sigint_created_before_cancel=interrupted_with,
        sigint_pending_operations=0,
        duplicates=len(report["duplicates"]),
        orphans=len(report["orphans"]),
    )


def test_killed_job_recovers_with_the_documented_steps(
    make_project: Callable[[str], PulumiProject], fresh_emulator: Any, figures: Figures
) -> None:
    fleet = make_fleet(make_project, fresh_emulator, COUNT, prefix="kill")
    control = fresh_emulator.control
    # Each POST is applied but its answer lost, and the listing that reconciles it is slow: the kill
    # hits creates the API has applied and the engine has not recorded. (Whether a POST cut off in
    # the middle lands is luck, so the test does not rely on that.)
    control.inject_fault("POST", "/connections", count=COUNT * 3, action="drop_response")
    control.inject_fault("GET", "/connections", count=COUNT * 3, latency_ms=CREATE_LATENCY_MS)
    proc = fleet.popen("up", "--yes", "--skip-preview", "--parallel", "2")
    wait_for(lambda: len(control.connections()) >= 2, 90, "two creates to land")
    interrupt(proc, signal.SIGKILL, whole_tree=True)

    exported = fleet.project.export()
    pending = pending_operations(exported)
    before = audit(fleet.names, state_connections(exported), control.connections())
    assert pending, "a killed run leaves pending creates in the state"
    assert before["orphans"], "creates in flight at the kill are orphans until recovered"

    control.clear_faults()
    recovery = recover_killed_run(fleet)
    report = audit(fleet.names, state_connections(fleet.project.export()), control.connections())
    assert_converged(report)
    assert pending_operations(fleet.project.export()) == []
    fleet.project.preview("--expect-no-changes")
    figures.record(
        "interrupt",
        runs=1,
        sigkill_pending_operations=len(pending),
        sigkill_orphans_before_recovery=len(before["orphans"]),
        sigkill_orphans_deleted=recovery["orphans_deleted"],
        duplicates=len(report["duplicates"]),
        orphans=len(report["orphans"]),
    )
