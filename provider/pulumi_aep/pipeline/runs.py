"""A dataflow's last run, summarized from a ``GET /runs?property=flowId==<id>`` listing (§7)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any, Final

from pulumi_aep.pipeline.definition import Output, as_integer

#: A last-run output: None before the first run (``Output[T | None]`` in the Python classes).
_Run = partial(Output, always_output=False)
#: Output-only properties of a Dataflow that describe its last run (None before the first run).
LAST_RUN_OUTPUTS: Final = (
    _Run("last_run_id", "string", "The last run's id."),
    _Run("last_run_status", "string", "The last run's status, lowercase (success, failed, ...)."),
    _Run("last_run_started_at", "integer", "When the last run started, epoch milliseconds."),
    _Run("last_run_completed_at", "integer", "When the last run completed, epoch milliseconds."),
    _Run("last_run_files_read", "integer", "Files the last run read."),
    _Run("last_run_records_read", "integer", "Records the last run read."),
    _Run("last_run_records_written", "integer", "Records the last run wrote to the dataset."),
    _Run("last_run_records_failed", "integer", "Records the last run could not ingest."),
    _Run("last_run_error_codes", "string", "Comma-separated error codes of the last run, if any."),
)


def runs_of(listing: Any) -> list[Mapping[str, Any]]:
    """The run items of a listing answer (``{"items": [...]}``); anything else gives no runs."""
    items = listing.get("items") if isinstance(listing, Mapping) else None
    return [item for item in items or [] if isinstance(item, Mapping)]


def last_run(runs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The ``last_run_*`` outputs of the most recently started run; every value None when there is none.

    A run counted as success can still have failed records and errors (§7): both are reported.
    """
    outs: dict[str, Any] = dict.fromkeys(o.name for o in LAST_RUN_OUTPUTS)
    if not runs:
        return outs
    run = max(runs, key=_started_at)
    metrics = run.get("metrics") or {}
    status = metrics.get("statusSummary") or {}
    records = metrics.get("recordSummary") or {}
    codes = [str(e["code"]) for e in status.get("errors") or [] if isinstance(e, Mapping) and e.get("code")]
    outs.update(
        last_run_id=run.get("id"),
        last_run_status=str(status["status"]).lower() if status.get("status") is not None else None,
        last_run_started_at=(metrics.get("durationSummary") or {}).get("startedAtUTC"),
        last_run_completed_at=(metrics.get("durationSummary") or {}).get("completedAtUTC"),
        last_run_files_read=(metrics.get("fileSummary") or {}).get("inputFileCount"),
        last_run_records_read=records.get("inputRecordCount"),
        last_run_records_written=records.get("outputRecordCount"),
        last_run_records_failed=records.get("failedRecordCount"),
        last_run_error_codes=",".join(codes) or None,
    )
    return outs


def _started_at(run: Mapping[str, Any]) -> tuple[int, int]:
    started = ((run.get("metrics") or {}).get("durationSummary") or {}).get("startedAtUTC")
    return as_integer(started) or 0, as_integer(run.get("createdAt")) or 0
