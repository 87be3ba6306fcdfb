"""The fleet program (``count`` connections named ``<prefix>-<i>``) driven through the real CLI."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psutil

from pulumi_aep.client import FlowServiceClient
from pulumi_aep.config import ProviderConfig
from tests.e2e.harness import PulumiProject
from tests.e2e.test_quickstart import configure
from tests.provider.conftest import raw_config
from tests.reliability.helpers import state_connections

FLEET = "tests/reliability/programs/fleet"


@dataclass
class Fleet:
    """A fleet stack against one emulator."""

    project: PulumiProject
    emulator: Any
    count: int
    prefix: str

    @property
    def names(self) -> list[str]:
        return [f"{self.prefix}-{i}" for i in range(self.count)]

    def popen(self, *args: str) -> subprocess.Popen[str]:
        """Start `pulumi ARGS` in its own process group (as a CI job runs it)."""
        cmd = [
            str(self.project.cli.shims / "pulumi"),
            *args,
            "--non-interactive",
            "--stack",
            self.project.stack,
        ]
        return subprocess.Popen(
            cmd,
            cwd=self.project.work_dir,
            env=self.project.cli.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )


def make_fleet(
    make_project: Callable[[str], PulumiProject], emulator: Any, count: int, prefix: str = "fleet"
) -> Fleet:
    project = make_project(FLEET)
    configure(project, emulator.base_url)
    project.config("count", str(count))
    project.config("prefix", prefix)
    return Fleet(project, emulator, count, prefix)


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> float:
    """Poll until ``predicate`` holds; return the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def interrupt(proc: subprocess.Popen[str], sig: signal.Signals, whole_tree: bool) -> str:
    """Send ``sig`` to the CLI, or to it and every process it started, and collect its output.

    The CLI starts the language host and the provider in process groups of their own, so a job
    runner that kills the whole job (its cgroup) is simulated by signalling each descendant.
    """
    if whole_tree:
        tree = [proc.pid, *(child.pid for child in psutil.Process(proc.pid).children(recursive=True))]
        for pid in tree:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
    else:
        proc.send_signal(sig)
    out, _ = proc.communicate(timeout=300)
    return out


def recover_killed_run(fleet: Fleet) -> dict[str, int]:
    """The documented recovery after a killed `pulumi up` (see tests/reliability/README.md).

    1. ``pulumi cancel --yes``: the killed CLI left the stack locked.
    2. ``pulumi refresh --yes --clear-pending-creates``: drop the creates that never reported back.
    3. Delete the orphans: connections named as a pending create's inputs say, whose id is not in the
       state (``GET /connections?property=name==<name>``, then ``DELETE``); or adopt one with
       ``adopt_existing_id``.
    4. ``pulumi up``.

    Returns:
        how many pending operations were cleared and orphans deleted.
    """
    project = fleet.project
    project.run("cancel", "--yes", "--stack", project.stack)
    operations = project.export()["deployment"].get("pending_operations") or []
    names = {str(op["resource"]["inputs"]["name"]) for op in operations if op.get("type") == "creating"}
    project.refresh("--clear-pending-creates")
    in_state = set(state_connections(project.export()).values())
    client = FlowServiceClient(
        ProviderConfig.from_pulumi_config(_Config(raw_config(fleet.emulator.base_url)), {})
    )
    orphans = [
        c["id"]
        for name in sorted(names)
        for c in client.list_connections("prod", {"name": name})
        if c["id"] not in in_state
    ]
    for connection_id in orphans:
        client.delete_connection(sandbox="prod", connection_id=connection_id)
    project.up()
    return {"pending_cleared": len(operations), "orphans_deleted": len(orphans)}


class _Config:
    def __init__(self, values: dict[str, str]) -> None:
        self._values = values

    def get(self, key: str) -> str | None:
        return self._values.get(key)
