"""The bad-input corpus in process: each case fails the one core's check exactly, property named."""

from __future__ import annotations

from collections import Counter

import pytest

from pulumi_aep.config import ProviderConfig
from pulumi_aep.pipeline_core import RESOURCE_NAMES, PipelineCore
from tests.pipeline.corpus import CASES, SHORT, TOPICS, Case
from tests.pipeline.helpers import VALID
from tests.pipeline.test_check import BAD_INPUTS

CORE = PipelineCore(ProviderConfig())


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_fails_check_naming_its_property(case: Case) -> None:
    _, failures = CORE.check(case.resource, case.inputs)
    assert [f.property for f in failures] == [case.property], failures
    assert case.reason in failures[0].reason, failures[0].reason


@pytest.mark.parametrize("resource", RESOURCE_NAMES)
def test_the_base_of_every_case_passes(resource: str) -> None:
    assert CORE.check(resource, VALID[SHORT[resource]])[1] == []


def test_cases_are_many_distinct_and_new() -> None:
    ids = Counter(c.id for c in CASES)
    assert [i for i, n in ids.items() if n > 1] == []
    inputs = {(c.resource, repr(sorted(c.inputs.items()))) for c in CASES}
    assert len(inputs) == len(CASES) >= 34
    known = {(r, repr(sorted(o.items()))) for r, o, _, _ in BAD_INPUTS}
    assert [c.id for c in CASES if (SHORT[c.resource], repr(sorted(c.overrides.items()))) in known] == []


def test_every_resource_and_topic_has_cases() -> None:
    assert {c.resource for c in CASES} == set(RESOURCE_NAMES)
    assert {c.topic for c in CASES} == set(TOPICS)


def test_a_schedule_that_is_not_an_object_is_reported_once() -> None:
    inputs = {**VALID["flow"], "schedule": [VALID["flow"]["schedule"]]}
    _, failures = CORE.check("Dataflow", inputs)
    assert [(f.property, f.reason) for f in failures] == [("schedule", "must be an object")]
