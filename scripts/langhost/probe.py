"""Ask a program's interpreter what it is and what it has installed (for About and dependency queries)."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from typing import Any

from . import interpreter, probe_script

_PROBE_SCRIPT = os.path.abspath(probe_script.__file__)

# Listing distributions takes well under a second; 60 s leaves room for a cold, slow disk.
_PROBE_TIMEOUT_SECONDS = 60


class ProbeError(Exception):
    """The interpreter could not be run or answered nonsense."""


@dataclass(frozen=True)
class Package:
    """An installed distribution, and the Pulumi resource plugin it declares (if any)."""

    name: str
    version: str
    plugin: dict[str, Any] | None = None


@dataclass(frozen=True)
class Description:
    """What `probe_script` reports about an interpreter."""

    executable: str
    version: str
    packages: list[Package] = field(default_factory=list)


def describe(python: interpreter.Interpreter, env: dict[str, str]) -> Description:
    """Run `probe_script` with `python` and parse its answer.

    Raises:
        ProbeError: The interpreter failed or printed something that is not the expected JSON.
    """
    try:
        completed = subprocess.run(
            [python.executable, _PROBE_SCRIPT],
            env=python.environ(env),
            capture_output=True,
            timeout=_PROBE_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ProbeError(f"could not run {python.executable}: {exc}") from exc
    if completed.returncode != 0:
        stderr = completed.stderr.decode(errors="replace")
        raise ProbeError(f"{python.executable} failed ({completed.returncode}): {stderr}")
    try:
        raw = json.loads(completed.stdout)
        packages = [Package(str(p["name"]), str(p["version"]), p.get("plugin")) for p in raw["packages"]]
        return Description(str(raw["executable"]), str(raw["version"]), packages)
    except (ValueError, KeyError, TypeError) as exc:
        raise ProbeError(f"unexpected answer from {python.executable}: {exc}") from exc
