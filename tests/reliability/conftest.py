"""Reliability fixtures: the e2e CLI harness, the in-process emulator, and a figures file per session."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import emulator, fresh_emulator, make_project, pulumi_shims  # noqa: F401
from tests.e2e.harness import REPO

#: Where every reliability test records the figures it asserted (not committed: .pulumi/ is ignored).
FIGURES_FILE = Path(os.environ.get("AEP_RELIABILITY_FIGURES", REPO / ".pulumi" / "reliability-figures.json"))


class Figures:
    """Figures asserted by the tests, merged into one JSON file keyed by test area."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, Any] = {}

    def record(self, area: str, **values: Any) -> None:
        """Add (or add to) the figures of one area; numbers under the same key are summed."""
        slot = self.data.setdefault(area, {})
        for key, value in values.items():
            if isinstance(value, int | float) and not isinstance(value, bool) and key in slot:
                slot[key] += value
            else:
                slot[key] = value

    def flush(self) -> None:
        """Merge into the file under a lock: each pytest-xdist worker flushes its own figures."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._merge()

    def _merge(self) -> None:
        previous: dict[str, Any] = {}
        if self.path.exists():
            try:
                previous = json.loads(self.path.read_text())
            except ValueError:
                previous = {}
        for area, values in self.data.items():
            slot = previous.get(area)
            previous[area] = {**slot, **values} if isinstance(slot, dict) else values
        self.path.write_text(json.dumps(previous, indent=2, sort_keys=True) + "\n")


@pytest.fixture(scope="session")
def figures() -> Iterator[Figures]:
    """Session-wide figures; written to ``.pulumi/reliability-figures.json`` at the end."""
    recorder = Figures(FIGURES_FILE)
    yield recorder
    recorder.flush()
