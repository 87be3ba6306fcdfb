"""Pipeline policy validators: interval minimums, protected sandboxes, no container-root source in prod."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_aep.model import UNKNOWN
from pulumi_aep.pipeline.policy_rules import (
    PipelinePolicySettings,
    interval_violations,
    protected_sandbox_violations,
    reads_container_root,
    root_path_violations,
)

from .helpers import props, schedule

DEFAULTS = PipelinePolicySettings()


@pytest.mark.parametrize(
    ("sched", "violations"),
    [
        ({"frequency": "minute", "interval": 15}, ["schedule runs every 15 minutes; the minimum is 60"]),
        ({"frequency": "minute", "interval": 59}, ["schedule runs every 59 minutes; the minimum is 60"]),
        ({"frequency": "minute", "interval": 60}, []),
        ({"frequency": "hour", "interval": 1}, []),
        ({"frequency": "once", "interval": None}, []),
        ({"frequency": "minute", "interval": UNKNOWN}, []),
        ({"frequency": UNKNOWN, "interval": 1}, []),
    ],
)
def test_interval_minimum(sched: dict[str, Any], violations: list[str]) -> None:
    found = interval_violations({"schedule": schedule(**sched)}, DEFAULTS)
    assert [v.split(":")[0] for v in found] == violations
    assert all("raise schedule.interval" in v for v in found)


def test_interval_minimum_is_configurable() -> None:
    strict = PipelinePolicySettings(minimum_interval_minutes=24 * 60)
    assert interval_violations(props("flow"), strict) != []
    assert interval_violations(props("flow", schedule=schedule(frequency="day")), strict) == []


def _once() -> dict[str, Any]:
    return {"frequency": "once", "start_time": 1597784298}


@pytest.mark.parametrize(
    ("overrides", "count"),
    [
        ({"schedule": _once()}, 1),
        ({"enabled": False}, 1),
        ({"schedule": _once(), "enabled": False}, 2),
        ({"schedule": _once(), "sandbox_name": "dev"}, 0),
        ({"enabled": False, "sandbox_name": "prod-eu"}, 0),
        ({"enabled": False, "sandbox_name": UNKNOWN}, 0),
        ({}, 0),
    ],
)
def test_protected_sandboxes_refuse_once_and_disabled_flows(overrides: dict[str, Any], count: int) -> None:
    found = protected_sandbox_violations(props("flow", **overrides), DEFAULTS, None)
    assert len(found) == count
    assert all("in protected sandbox 'prod'" in v for v in found)


def test_protected_sandbox_patterns_and_switches() -> None:
    settings = PipelinePolicySettings(protected_sandboxes=("prod*",), forbid_disabled_in_protected=False)
    disabled_once = {"schedule": _once(), "enabled": False, "sandbox_name": "prod-eu"}
    found = protected_sandbox_violations(props("flow", **disabled_once), settings, None)
    assert found == [
        "schedule.frequency 'once' is not allowed in protected sandbox 'prod-eu': "
        "use a repeating frequency (minute, hour, day, week)"
    ]


def test_protected_sandbox_falls_back_to_the_stack_sandbox() -> None:
    news = {"schedule": _once(), "enabled": True}
    assert protected_sandbox_violations(news, DEFAULTS, "prod") != []
    assert protected_sandbox_violations(news, DEFAULTS, "dev") == []


@pytest.mark.parametrize(
    ("path", "path_type", "root"),
    [
        ("/", "folder", True),
        ("/*", "folder", True),
        ("/*.csv", None, True),
        ("/accounts.csv", "file", False),
        ("/incoming/", "folder", False),
        ("/incoming/*.csv", "folder", False),
    ],
)
def test_reads_container_root(path: str, path_type: str | None, root: bool) -> None:
    assert reads_container_root(path, path_type) is root


def test_reads_container_root_when_paths_start_with_the_container() -> None:
    assert reads_container_root("/acme-container/*.csv", "folder", starts_with_container=True)
    assert not reads_container_root("/acme-container/in/*.csv", "folder", starts_with_container=True)


def test_root_path_refused_in_production_only() -> None:
    root = props("source", path="/*.csv")
    found = root_path_violations(root, DEFAULTS, None)
    assert found == [
        "path '/*.csv' reads the container root in production sandbox 'prod': "
        "point it at a folder, e.g. /incoming/accounts/*.csv"
    ]
    assert root_path_violations({**root, "sandbox_name": "dev"}, DEFAULTS, None) == []
    assert root_path_violations(props("source"), DEFAULTS, None) == []
    assert root_path_violations({**root, "path": UNKNOWN}, DEFAULTS, None) == []
