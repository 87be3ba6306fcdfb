"""A token that stops working in the middle of `pulumi up`: one refresh, and the run carries on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aep_emulator import defaults
from tests.e2e.harness import PulumiProject
from tests.reliability.conftest import Figures
from tests.reliability.fleet import make_fleet, wait_for
from tests.reliability.helpers import assert_converged, audit, state_connections

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.slow]

COUNT = 6


def test_token_expiry_mid_run_refreshes_once(
    make_project: Callable[[str], PulumiProject], fresh_emulator: Any, figures: Figures
) -> None:
    fleet = make_fleet(make_project, fresh_emulator, COUNT, prefix="expiry")
    control = fresh_emulator.control
    control.inject_fault("POST", "/connections", count=COUNT, latency_ms=1000)
    proc = fleet.popen("up", "--yes", "--skip-preview", "--parallel", "2")
    wait_for(lambda: len(control.connections()) >= 1, 90, "the first create to land")
    # IMS forgets every issued token: the provider's cached one is now rejected with 401.
    fresh_emulator.emulator.tokens.clear()
    stored_at_expiry = len(control.connections())
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, output

    served = control.requests()
    token_fetches = [r for r in served if r["path"] == defaults.IMS_TOKEN_PATH]
    unauthorized = [r for r in served if r["status"] == 401]
    assert len(token_fetches) == 2, token_fetches  # the first token, then exactly one refresh
    assert 1 <= len(unauthorized) <= 2, unauthorized  # at most one per in-flight call (--parallel 2)
    assert stored_at_expiry < COUNT
    report = audit(fleet.names, state_connections(fleet.project.export()), control.connections())
    assert_converged(report)
    figures.record(
        "token_expiry",
        token_fetches=len(token_fetches),
        rejected_calls=len(unauthorized),
        created_after_expiry=COUNT - stored_at_expiry,
        duplicates=len(report["duplicates"]),
        orphans=len(report["orphans"]),
    )
