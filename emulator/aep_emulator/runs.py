"""Runs synthesized for enabled scheduled dataflows on the emulator's clock (pipeline reference §7).

A flow keeps ``_nextRunAt`` (epoch seconds). Each time runs are listed, every enabled flow whose next run is
due gets one run per elapsed schedule slot (only the latest ``at_most``: older ones would be dropped at once,
see ``max_runs_per_flow`` in :mod:`aep_emulator.config`); a ``once`` flow gets a single run. A disabled flow gets none; enabling it again schedules the next slot after "now".

The file counts come from the storage the source connection points at: the real blobs of a loopback
endpoint (Azurite) matching the source connection's ``params.path``, else the seeded in-memory tree.
"""

from __future__ import annotations

import fnmatch
import math
import uuid
from typing import Any

from aep_emulator import blobstore, flowspecs


def next_slot_after(schedule: dict[str, Any], now: float) -> float | None:
    """The first schedule slot strictly after ``now`` (None for a ``once`` flow)."""
    period = _period(schedule)
    start = float(schedule["startTime"])
    if period is None:
        return None
    if now < start:
        return start
    return start + (math.floor((now - start) / period) + 1) * period


def _period(schedule: dict[str, Any]) -> float | None:
    unit = flowspecs.FREQUENCY_S.get(str(schedule.get("frequency")))
    return None if unit is None else unit * int(schedule["interval"])


def due_slots(flow: dict[str, Any], now: float, at_most: int) -> list[float]:
    """The latest ``at_most`` run times due for ``flow`` up to ``now``; advances ``flow["_nextRunAt"]``."""
    next_at = flow.get("_nextRunAt")
    schedule = flow.get("scheduleParams") or {}
    if flow.get("state") != "enabled" or next_at is None or next_at > now:
        return []
    period = _period(schedule)
    if period is None:
        flow["_nextRunAt"] = None
        return [float(next_at)]
    due = math.floor((now - next_at) / period) + 1
    first = max(0, due - at_most)  # only the latest slots of a long-elapsed schedule
    slots = [float(next_at) + i * period for i in range(first, due)]
    flow["_nextRunAt"] = slots[-1] + period
    return slots


def _matches(path: str, container: str, name: str) -> bool:
    wanted = path.strip("/")
    full = f"{container}/{name}"
    if any(c in wanted for c in "*?["):
        return fnmatch.fnmatchcase(full, wanted)
    return full == wanted or full.startswith(wanted.rstrip("/") + "/")


def count_files(base_params: dict[str, Any], source_params: dict[str, Any]) -> tuple[int, int]:
    """Files and bytes at the source path (``/<container>/<path or glob>``) in the connection's storage."""
    source, _ = blobstore.source_for(base_params)
    path = str(source_params.get("path", ""))
    files = size = 0
    for container in source.containers():
        for name in source.blob_names(container):
            if _matches(path, container, name):
                files += 1
                size += len(source.read(container, name))
    return files, size


def new_run(flow: dict[str, Any], started_s: float, files: int, size: int) -> dict[str, Any]:
    """A finished ``success`` run of ``flow`` started at ``started_s``, with its metrics."""
    started_ms = int(started_s * 1000)
    run_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"aep-emulator:run:{flow['id']}:{started_ms}"))
    summary = {"status": "success", "errors": []}
    return {
        "id": run_id,
        "flowId": flow["id"],
        "flowSpec": dict(flow["flowSpec"]),
        "providerRefId": flowspecs.CLOUD_STORAGE_TO_AEP["providerId"],
        "params": {
            "startTime": int(started_s),
            "windowStartTime": int(started_s),
            "windowEndTime": int(started_s),
        },
        "metrics": {
            "durationSummary": {"startedAtUTC": started_ms, "completedAtUTC": started_ms + 1000},
            "sizeSummary": {"inputBytes": size, "outputBytes": size},
            "recordSummary": {"inputRecordCount": 0, "outputRecordCount": 0, "failedRecordCount": 0},
            "fileSummary": {"inputFileCount": files, "outputFileCount": files, "activityRefs": []},
            "statusSummary": summary,
        },
        "activities": [],
        "activites": [],  # OAS-S spells the field so; both are served
    }
