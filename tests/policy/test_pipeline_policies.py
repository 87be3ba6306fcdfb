"""The pipeline policies of the pack: intervals, protected sandboxes, container-root sources; both faces."""

from __future__ import annotations

from typing import Any

import pytest

from aep_policies import POLICIES
from aep_policies.pipeline_policies import (
    dataflow_minimum_interval,
    dataflow_protected_sandboxes,
    source_not_container_root,
)
from tests.policy.helpers import UNKNOWN, resource_args, violations

FLOW = "pulumi-python:dynamic/aep:Dataflow"
SOURCE = "pulumi-python:dynamic/aep:AzureBlobSourceConnection"


def flow(**schedule: Any) -> dict[str, Any]:
    return {
        "name": "hourly",
        "sandbox_name": "prod",
        "enabled": True,
        "schedule": {"frequency": "hour", "interval": 1, "start_time": 1767225600, **schedule},
    }


#: Pipeline resources that break every pipeline policy (the pack's secret scan runs them too).
BAD_PIPELINE = [
    (FLOW, {**flow(frequency="minute", interval=15), "enabled": False}),
    (FLOW, {**flow(), "schedule": {"frequency": "once", "start_time": 1767225600}}),
    (SOURCE, {"name": "s", "sandbox_name": "prod", "path": "/*.csv", "data_format": "delimited"}),
]


def test_the_pack_carries_the_pipeline_policies() -> None:
    names = {p.name for p in POLICIES}
    assert {"aep-dataflow-minimum-interval", "aep-dataflow-protected-sandboxes"} <= names
    assert "aep-source-not-container-root" in names


def test_a_flow_every_15_minutes_is_refused_by_default_and_allowed_when_configured() -> None:
    args = resource_args(flow(frequency="minute", interval=15), type_=FLOW)
    [message] = violations(dataflow_minimum_interval, args)
    assert "60" in message
    relaxed = resource_args(
        flow(frequency="minute", interval=15), type_=FLOW, config={"minimumIntervalMinutes": 15}
    )
    assert violations(dataflow_minimum_interval, relaxed) == []
    assert violations(dataflow_minimum_interval, resource_args(flow(), type_=FLOW)) == []


def test_the_plugin_face_is_checked_too() -> None:
    camel = {"name": "f", "sandboxName": "prod", "schedule": {"frequency": "minute", "interval": 20}}
    assert violations(dataflow_minimum_interval, resource_args(camel, type_="aep:index:Dataflow")) != []


def test_protected_sandbox_refuses_once_and_disabled_flows() -> None:
    once = resource_args({**flow(), "schedule": {"frequency": "once", "start_time": 1767225600}}, type_=FLOW)
    assert violations(dataflow_protected_sandboxes, once) != []
    disabled = resource_args({**flow(), "enabled": False}, type_=FLOW)
    assert violations(dataflow_protected_sandboxes, disabled) != []
    dev = resource_args({**flow(), "enabled": False, "sandbox_name": "dev"}, type_=FLOW)
    assert violations(dataflow_protected_sandboxes, dev) == []
    allowed = resource_args(
        {**flow(), "enabled": False}, type_=FLOW, config={"forbidDisabledInProtected": False}
    )
    assert violations(dataflow_protected_sandboxes, allowed) == []


@pytest.mark.parametrize(
    ("path", "refused"), [("/", True), ("/*", True), ("/*.csv", True), ("/in/*.csv", False)]
)
def test_a_production_source_does_not_read_the_container_root(path: str, refused: bool) -> None:
    props = {"name": "s", "sandbox_name": "prod", "path": path, "data_format": "delimited"}
    assert bool(violations(source_not_container_root, resource_args(props, type_=SOURCE))) is refused


def test_unknown_values_are_no_violation() -> None:
    props = {"name": "s", "sandbox_name": "prod", "path": UNKNOWN}
    assert violations(source_not_container_root, resource_args(props, type_=SOURCE)) == []
    assert violations(dataflow_minimum_interval, resource_args({"schedule": UNKNOWN}, type_=FLOW)) == []
