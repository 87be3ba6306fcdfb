"""Drive the real `pulumi` CLI (shims from scripts/ensure-pulumi.sh) in an isolated home and file backend."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PASSPHRASE = "pulumi-aep-engine-tests"  # throwaway stacks only

# The first build of the CLI takes 5-10 minutes on 2 cores; later calls take about a second.
ENSURE_TIMEOUT_SECONDS = 1800
# One CLI command on a one-resource stack takes a few seconds; a minute means something hangs.
COMMAND_TIMEOUT_SECONDS = 180


def ensure_pulumi() -> tuple[Path | None, str]:
    """Run scripts/ensure-pulumi.sh; return (shims dir or None, its stderr for diagnostics)."""
    proc = subprocess.run(
        [str(REPO / "scripts" / "ensure-pulumi.sh")],
        capture_output=True,
        text=True,
        timeout=ENSURE_TIMEOUT_SECONDS,
        cwd=REPO,
        check=False,
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines or not (Path(lines[-1]) / "pulumi").exists():
        return None, proc.stderr
    return Path(lines[-1]), proc.stderr


def isolated_env(shims: Path, root: Path, **extra: str) -> dict[str, str]:
    """Our environment without any PULUMI_* setting, plus an isolated home/backend under `root`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
    (root / "home").mkdir(parents=True, exist_ok=True)
    (root / "state").mkdir(parents=True, exist_ok=True)
    env.update(
        PATH=f"{shims}{os.pathsep}{env.get('PATH', '')}",
        PULUMI_HOME=str(root / "home"),
        PULUMI_BACKEND_URL=f"file://{root / 'state'}",
        PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_PYTHON_CMD=sys.executable,
        # Offline: do not try to download plugins of packages that happen to be installed in the venv.
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
        PYTHONPATH=os.pathsep.join(p for p in [str(FIXTURES), env.get("PYTHONPATH", "")] if p),
    )
    env.update(extra)
    return env


@dataclass
class Project:
    """A copy of fixtures/program with one unique stack, driven through the CLI."""

    shims: Path
    work_dir: Path
    env: dict[str, str]
    stack: str = field(default_factory=lambda: f"t{uuid.uuid4().hex[:10]}")

    @classmethod
    def create(cls, shims: Path, tmp: Path, **extra_env: str) -> Project:
        """Copy the fixture program into `tmp` and give it an isolated home and backend."""
        work_dir = tmp / "program"
        shutil.copytree(FIXTURES / "program", work_dir)
        return cls(shims=shims, work_dir=work_dir, env=isolated_env(shims, tmp / "pulumi", **extra_env))

    def run(self, *args: str, expect: int | None = 0) -> subprocess.CompletedProcess[str]:
        """Run `pulumi ARGS`; if the exit code is not `expect` (None: any), fail showing all output."""
        proc = subprocess.run(
            [str(self.shims / "pulumi"), *args, "--non-interactive"],
            cwd=self.work_dir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_SECONDS,
            check=False,
        )
        if expect is not None and proc.returncode != expect:
            raise AssertionError(
                f"`pulumi {' '.join(args)}` exited {proc.returncode}, expected {expect}\n"
                f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
            )
        return proc

    def init(self) -> None:
        """Create the stack."""
        self.run("stack", "init", self.stack)

    def config(self, key: str, value: str, *, secret: bool = False) -> None:
        """Set stack config."""
        self.run("config", "set", key, value, *(["--secret"] if secret else []))

    def outputs(self, *, show_secrets: bool = False) -> dict[str, Any]:
        """The stack outputs as JSON."""
        extra = ["--show-secrets"] if show_secrets else []
        out: dict[str, Any] = json.loads(self.run("stack", "output", "--json", *extra).stdout)
        return out

    def cleanup(self) -> None:
        """Destroy and remove the stack, whatever state the test left it in."""
        self.run("destroy", "--yes", "--skip-preview", expect=None)
        self.run("stack", "rm", "--yes", "--force", self.stack, expect=None)
