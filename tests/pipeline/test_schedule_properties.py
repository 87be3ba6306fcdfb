"""Schedules over their whole range: valid ones pass and survive Adobe's string echo; too-short intervals fail."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pulumi_aep.pipeline import dataflow, schedule
from pulumi_aep.pipeline.facts import MAX_EPOCH_SECONDS, MIN_INTERVAL

from .helpers import props

_REPEATING = sorted(MIN_INTERVAL)


@st.composite
def valid_schedules(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(st.integers(min_value=0, max_value=MAX_EPOCH_SECONDS - 1))
    frequency = draw(st.sampled_from([*_REPEATING, "once"]))
    if frequency == "once":
        return {"frequency": "once", "start_time": start}
    sched = {
        "frequency": frequency,
        "interval": draw(st.integers(min_value=MIN_INTERVAL[frequency], max_value=10_000)),
        "start_time": start,
    }
    backfill = draw(st.none() | st.booleans())
    return sched if backfill is None else {**sched, "backfill": backfill}


def _echo(params: dict[str, Any]) -> dict[str, Any]:
    """What a GET returns: numbers and booleans as strings (UPD-FLOW)."""
    return {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in params.items()}


@given(valid_schedules())
def test_valid_schedule_passes_and_its_echo_is_no_change(sched: dict[str, Any]) -> None:
    news = props("flow", schedule=sched)
    assert dataflow.check(news) == []
    echoed = schedule.from_schedule_params(_echo(schedule.schedule_params(news["schedule"])))
    assert dataflow.diff({**news, "schedule": echoed}, news, now=0) == ([], [])


@given(
    st.sampled_from(_REPEATING).flatmap(lambda f: st.tuples(st.just(f), st.integers(-5, MIN_INTERVAL[f] - 1)))
)
def test_interval_below_the_minimum_fails_on_schedule_interval(case: tuple[str, int]) -> None:
    frequency, interval = case
    news = props("flow", schedule={"frequency": frequency, "interval": interval, "start_time": 0})
    found = {f.property: f.reason for f in dataflow.check(news)}
    assert list(found) == ["schedule.interval"]
    assert (
        f"must be at least {MIN_INTERVAL[frequency]} with frequency {frequency!r}"
        in found["schedule.interval"]
    )
