"""Drive the real `pulumi` CLI in an isolated home and file backend, printing its output on failure."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from aep_emulator.testing import SECRET_CONFIG_KEYS, provider_config

REPO = Path(__file__).resolve().parents[2]
VENV_PYTHON = Path(sys.executable)
PASSPHRASE = "pulumi-aep-tests"
#: A well-formed account key (64 bytes, base64) and connection string for test stacks.
ACCOUNT_KEY = base64.b64encode(bytes(range(64))).decode()
CONNECTION_STRING = (
    f"DefaultEndpointsProtocol=https;AccountName=quickstartacct;AccountKey={ACCOUNT_KEY};"
    "EndpointSuffix=core.windows.net"
)


def find_pulumi_shims() -> Path | None:
    """Ask scripts/ensure-pulumi.sh for the directory holding `pulumi` and its Python plugins."""
    script = REPO / "scripts" / "ensure-pulumi.sh"
    if not script.exists():
        return None
    proc = subprocess.run([str(script)], capture_output=True, text=True, timeout=3600, cwd=REPO, check=False)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        sys.stderr.write(proc.stderr)
        return None
    shims = Path(lines[-1])
    return shims if (shims / "pulumi").exists() else None


@dataclass
class PulumiCli:
    """The CLI plus an isolated PULUMI_HOME and file:// backend under one temp directory."""

    shims: Path
    root: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
        (self.root / "home").mkdir(parents=True, exist_ok=True)
        (self.root / "state").mkdir(parents=True, exist_ok=True)
        env.update(
            PATH=f"{self.shims}{os.pathsep}{env.get('PATH', '')}",
            PULUMI_HOME=str(self.root / "home"),
            PULUMI_BACKEND_URL=f"file://{self.root / 'state'}",
            PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK="true",
            PULUMI_PYTHON_CMD=str(VENV_PYTHON),
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
        )
        env.update(self.extra_env)
        return env


@dataclass
class PulumiProject:
    """One project directory and one stack, driven through the CLI."""

    cli: PulumiCli
    work_dir: Path
    stack: str
    log: list[str] = field(default_factory=list)

    def run(
        self, *args: str, check: bool = True, stdin: str | None = None, timeout: float = 900
    ) -> subprocess.CompletedProcess[str]:
        """Run `pulumi ARGS` in the project; on an unexpected exit code fail with the whole output."""
        cmd = [str(self.cli.shims / "pulumi"), *args, "--non-interactive"]
        proc = subprocess.run(
            cmd,
            cwd=self.work_dir,
            env=self.cli.env(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        self.log.append(f"$ pulumi {' '.join(args)}\n{proc.stdout}\n{proc.stderr}")
        if check and proc.returncode != 0:
            pytest.fail(
                f"`pulumi {' '.join(args)}` exited {proc.returncode}\n--- stdout\n{proc.stdout}"
                f"\n--- stderr\n{proc.stderr}",
                pytrace=False,
            )
        return proc

    def init(self) -> None:
        self.run("stack", "init", self.stack)

    def config(self, key: str, value: str, *, secret: bool = False) -> None:
        args = ["config", "set", key, "--stack", self.stack]
        if secret:
            args.append("--secret")
        # Values go through stdin so they never appear in a process listing.
        self.run(*args, stdin=value)

    def up(self, *extra: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("up", "--yes", "--skip-preview", "--stack", self.stack, *extra, check=check)

    def preview(self, *extra: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("preview", "--stack", self.stack, *extra, check=check)

    def refresh(self, *extra: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("refresh", "--yes", "--skip-preview", "--stack", self.stack, *extra, check=check)

    def destroy(self, *extra: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("destroy", "--yes", "--skip-preview", "--stack", self.stack, *extra, check=check)

    def outputs(self, *, show_secrets: bool = False) -> dict[str, Any]:
        args = ["stack", "output", "--json", "--stack", self.stack]
        if show_secrets:
            args.append("--show-secrets")
        return dict(json.loads(self.run(*args).stdout))

    def export(self) -> dict[str, Any]:
        return dict(json.loads(self.run("stack", "export", "--stack", self.stack).stdout))

    def remove(self) -> None:
        self.run("stack", "rm", "--yes", "--force", self.stack, check=False)


def configure(project: PulumiProject, base_url: str) -> None:
    """Point PROJECT's stack at the emulator at BASE_URL with its default credentials (secrets encrypted)."""
    for key, value in provider_config(base_url).items():
        project.config(key, value, secret=key in SECRET_CONFIG_KEYS)
    project.config("connectionString", CONNECTION_STRING, secret=True)


def copy_example(name: str, dest: Path) -> Path:
    """Copy examples/NAME to DEST with a Pulumi.yaml that uses this repository's virtualenv."""
    return copy_program(REPO / "examples" / name, dest)


def copy_program(src: Path, dest: Path) -> Path:
    """Copy the Pulumi program in SRC to DEST, pointing its `virtualenv` at this repository's."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "Pulumi.*.yaml", "venv"))
    project = (src / "Pulumi.yaml").read_text()
    project = project.replace("virtualenv: venv", f"virtualenv: {VENV_PYTHON.parent.parent}")
    (dest / "Pulumi.yaml").write_text(project)
    return dest
