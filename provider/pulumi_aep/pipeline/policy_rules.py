"""Policy validators of the pipeline resources, as plain functions returning violation messages.

Each takes the resource's input props and a settings object; a value unknown at preview (the
sentinel, or None as the policy analyzer shows it) is never a violation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from pulumi_aep.pipeline.definition import Props, as_integer
from pulumi_aep.pipeline.facts import FREQUENCY_MINUTES
from pulumi_aep.pipeline.rules import is_folder_path
from pulumi_aep.validation import is_unknown


@dataclass(frozen=True)
class PipelinePolicySettings:
    """What the pipeline policies enforce; sandbox lists accept shell-style patterns ('prod*')."""

    #: Shortest time between two runs of a repeating flow, in minutes (Adobe's own floor is 15).
    minimum_interval_minutes: int = 60
    #: Sandboxes where flows must keep running on a schedule.
    protected_sandboxes: tuple[str, ...] = ("prod",)
    forbid_once_in_protected: bool = True
    forbid_disabled_in_protected: bool = True
    #: Sandboxes where a source connection must not read a whole container.
    production_sandboxes: tuple[str, ...] = ("prod",)
    #: Whether source paths start with the container's name ('/<container>/...'), as explore paths
    #: do for a base connection without a container; undocumented (README, open questions).
    path_starts_with_container: bool = False


def _known(value: Any) -> bool:
    return value is not None and not is_unknown(value)


def _sandbox(props: Props, default_sandbox: str | None) -> str | None:
    sandbox = props.get("sandbox_name")
    if sandbox is None:
        return default_sandbox
    return str(sandbox) if _known(sandbox) else None


def _matches(sandbox: str | None, patterns: tuple[str, ...]) -> bool:
    return sandbox is not None and any(fnmatchcase(sandbox, p) for p in patterns)


def interval_violations(props: Props, settings: PipelinePolicySettings) -> list[str]:
    """A Dataflow's repeating schedule runs no more often than ``minimum_interval_minutes``."""
    schedule = props.get("schedule")
    if not isinstance(schedule, Mapping) or not _known(schedule.get("frequency")):
        return []
    frequency, interval = schedule["frequency"], schedule.get("interval")
    if frequency not in FREQUENCY_MINUTES or not _known(interval) or as_integer(interval) is None:
        return []
    minutes = FREQUENCY_MINUTES[frequency] * (as_integer(interval) or 0)
    if minutes >= settings.minimum_interval_minutes:
        return []
    return [
        f"schedule runs every {minutes} minutes; the minimum is {settings.minimum_interval_minutes}: "
        f"raise schedule.interval or use a coarser schedule.frequency"
    ]


def protected_sandbox_violations(
    props: Props, settings: PipelinePolicySettings, default_sandbox: str | None
) -> list[str]:
    """In a protected sandbox a Dataflow is neither a one-time (``once``) flow nor disabled."""
    sandbox = _sandbox(props, default_sandbox)
    if not _matches(sandbox, settings.protected_sandboxes):
        return []
    violations: list[str] = []
    schedule = props.get("schedule")
    frequency = schedule.get("frequency") if isinstance(schedule, Mapping) else None
    if settings.forbid_once_in_protected and _known(frequency) and frequency == "once":
        violations.append(
            f"schedule.frequency 'once' is not allowed in protected sandbox {sandbox!r}: "
            "use a repeating frequency (minute, hour, day, week)"
        )
    if settings.forbid_disabled_in_protected and props.get("enabled") is False:
        violations.append(
            f"disabled dataflows are not allowed in protected sandbox {sandbox!r}: "
            "set enabled to true, or remove the dataflow"
        )
    return violations


def reads_container_root(path: str, path_type: str | None, starts_with_container: bool = False) -> bool:
    """True when a source path reads every file at the container's top level ('/', '/*', '/*.csv').

    With ``starts_with_container`` the first segment names the container ('/acme/*.csv' is its root).
    """
    folder = path_type == "folder" or (path_type is None and is_folder_path(path))
    if not folder:
        return False
    segments = [s for s in path.split("/") if s]
    if starts_with_container:
        segments = segments[1:]
    return not segments or (len(segments) == 1 and "*" in segments[0])


def root_path_violations(
    props: Props, settings: PipelinePolicySettings, default_sandbox: str | None
) -> list[str]:
    """In a production sandbox an AzureBlobSourceConnection does not read the container root.

    The path is relative to the base connection's container, so '/' or '/*.csv' take everything
    anyone drops at the top of it.
    """
    path, path_type = props.get("path"), props.get("path_type")
    if not _known(path) or (path_type is not None and not _known(path_type)):
        return []
    sandbox = _sandbox(props, default_sandbox)
    if not _matches(sandbox, settings.production_sandboxes) or not reads_container_root(
        str(path), path_type, settings.path_starts_with_container
    ):
        return []
    return [
        f"path {path!r} reads the container root in production sandbox {sandbox!r}: "
        "point it at a folder, e.g. /incoming/accounts/*.csv"
    ]
