"""What the benchmark ran on: CPU, cores, RAM, load, Python, the pulumi CLI, the date."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped,unused-ignore]


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (or what ``platform`` knows)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def pulumi_version(shims: Path) -> str:
    """``pulumi version`` of the CLI the benchmark drives."""
    proc = subprocess.run(
        [str(shims / "pulumi"), "version"], capture_output=True, text=True, timeout=60, check=False
    )
    return proc.stdout.strip() or "unknown"


def info(shims: Path) -> dict[str, Any]:
    """Machine facts for the report."""
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pulumi": pulumi_version(shims),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
