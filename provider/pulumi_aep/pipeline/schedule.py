"""A dataflow's schedule: Adobe's rules at preview (§6.2), its ``scheduleParams`` JSON, its in-place updates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

from pulumi.dynamic import CheckFailure

from pulumi_aep.errors import ValidationError
from pulumi_aep.pipeline.definition import Property, Props, as_integer
from pulumi_aep.pipeline.facts import FREQUENCIES, MAX_EPOCH_SECONDS, MIN_INTERVAL
from pulumi_aep.pipeline.rules import one_of
from pulumi_aep.validation import is_unknown

#: Schedule field -> ``scheduleParams`` key.
API_KEYS: Final = {
    "frequency": "frequency",
    "interval": "interval",
    "start_time": "startTime",
    "backfill": "backfill",
}
FIELDS: Final = (
    Property("frequency", "string", f"How often the flow runs: {', '.join(FREQUENCIES)}.", required=True),
    Property(
        "interval",
        "integer",
        "Frequency units between runs; at least 15 for minute and 1 otherwise; not allowed with once.",
    ),
    Property("start_time", "integer", "First run, in Unix epoch seconds.", required=True),
    Property(
        "backfill",
        "boolean",
        "Take the files already at the path on the first run (default true); not allowed with once.",
    ),
)
Change = Literal["none", "update", "replace"]
_FREQUENCY: Final = one_of(FREQUENCIES)


def check_schedule(value: Any, prop: str = "schedule") -> list[CheckFailure]:
    """Every schedule rule, each failure naming ``schedule.<field>``; unknown fields are skipped."""
    if is_unknown(value) and not isinstance(value, Mapping):
        return []
    if not isinstance(value, Mapping):
        return [CheckFailure(prop, f"must be an object with {', '.join(API_KEYS)}")]
    failures = [
        CheckFailure(f"{prop}.{extra}", f"unknown field; allowed: {', '.join(API_KEYS)}")
        for extra in sorted(set(value) - set(API_KEYS))
    ]
    for rule in (_frequency, _start_time, _interval, _backfill):
        try:
            rule(value, prop)
        except ValidationError as exc:
            failures.append(CheckFailure(exc.property, exc.reason))
    return failures


def _known(schedule: Mapping[str, Any], key: str) -> bool:
    return schedule.get(key) is not None and not is_unknown(schedule[key])


def _frequency(schedule: Mapping[str, Any], prop: str) -> None:
    if schedule.get("frequency") is None:
        raise ValidationError(f"{prop}.frequency", f"is required: one of {', '.join(FREQUENCIES)}")
    if _known(schedule, "frequency"):
        _FREQUENCY(schedule["frequency"], f"{prop}.frequency")


def _start_time(schedule: Mapping[str, Any], prop: str) -> None:
    name = f"{prop}.start_time"
    if schedule.get("start_time") is None:
        raise ValidationError(name, "is required: the first run's time in Unix epoch seconds")
    if not _known(schedule, "start_time"):
        return
    seconds = as_integer(schedule["start_time"])
    if seconds is None:
        raise ValidationError(name, "must be a whole number of Unix epoch seconds, e.g. 1597784298")
    if seconds < 0:
        raise ValidationError(name, "must be 0 or more (Unix epoch seconds)")
    if seconds >= MAX_EPOCH_SECONDS:
        raise ValidationError(name, "looks like milliseconds: Adobe wants epoch seconds (divide by 1000)")


def _interval(schedule: Mapping[str, Any], prop: str) -> None:
    name, frequency = f"{prop}.interval", schedule.get("frequency")
    if frequency == "once":
        if schedule.get("interval") is not None:
            raise ValidationError(name, "is not allowed with frequency 'once' (Adobe 1361): remove it")
        return
    if frequency not in MIN_INTERVAL:
        return
    if schedule.get("interval") is None:
        raise ValidationError(name, f"is required with frequency {frequency!r}: how many units between runs")
    if not _known(schedule, "interval"):
        return
    interval, minimum = as_integer(schedule["interval"]), MIN_INTERVAL[frequency]
    if interval is None:
        raise ValidationError(name, "must be a whole number")
    if interval < minimum:
        raise ValidationError(
            name, f"must be at least {minimum} with frequency {frequency!r} (Adobe 1362); got {interval}"
        )


def _backfill(schedule: Mapping[str, Any], prop: str) -> None:
    name, value = f"{prop}.backfill", schedule.get("backfill")
    if value is None or is_unknown(value):
        return
    if schedule.get("frequency") == "once":
        raise ValidationError(name, "is not allowed with frequency 'once' (Adobe 1364): remove it")
    if not isinstance(value, bool):
        raise ValidationError(name, "must be true or false")


def with_defaults(schedule: Mapping[str, Any]) -> dict[str, Any]:
    """The schedule with Adobe's default ``backfill: true`` spelled out for repeating frequencies."""
    out = dict(schedule)
    if out.get("frequency") != "once" and out.get("backfill") is None:
        out["backfill"] = True
    return out


def schedule_params(schedule: Mapping[str, Any]) -> dict[str, Any]:
    """``scheduleParams`` for a checked schedule: integers and booleans, as the flow spec types them."""
    params: dict[str, Any] = {}
    for field, key in API_KEYS.items():
        value = schedule.get(field)
        if value is not None:
            params[key] = as_integer(value) if field in ("interval", "start_time") else value
    return params


def from_schedule_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """The schedule input view of a flow's ``scheduleParams`` (GET echoes numeric strings and "true")."""
    out: dict[str, Any] = {}
    for field, key in API_KEYS.items():
        value = params.get(key)
        if value is None:
            continue
        if field in ("interval", "start_time") and isinstance(value, str) and value.isdigit():
            value = int(value)
        elif field == "backfill" and isinstance(value, str):
            value = value.lower() == "true"
        out[field] = value
    return out


def change(old: Props | None, new: Props, now: float) -> Change:
    """How a schedule change is applied, with ``now`` (epoch seconds) injected.

    Switching to or from ``once`` replaces the flow (once has no interval and, after the start time,
    Adobe refuses the switch: 1403/1404). After the old start time has passed, Adobe refuses to move
    the start time (1366) or change ``backfill`` (1403/1404): those replace too. The rest is PATCHed.
    """
    old = old or {}
    keys = [k for k in API_KEYS if old.get(k) != new.get(k)]
    if not keys:
        return "none"
    if "frequency" in keys and "once" in (old.get("frequency"), new.get("frequency")):
        return "replace"
    start = as_integer(old.get("start_time"))
    if start is not None and start <= now and ("start_time" in keys or "backfill" in keys):
        return "replace"
    return "update"


def patch_ops(old: Props | None, new: Props) -> list[dict[str, Any]]:
    """JSON Patch ops on ``/scheduleParams/<key>`` taking the flow from ``old`` to ``new``."""
    before, after = schedule_params(old or {}), schedule_params(new)
    ops: list[dict[str, Any]] = []
    for key in API_KEYS.values():
        path = f"/scheduleParams/{key}"
        if key not in after and key in before:
            ops.append({"op": "remove", "path": path})
        elif key in after and key not in before:
            ops.append({"op": "add", "path": path, "value": after[key]})
        elif key in after and before[key] != after[key]:
            ops.append({"op": "replace", "path": path, "value": after[key]})
    return ops
