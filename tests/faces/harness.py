"""The faces under test: the dynamic provider and the plugin (from Python and from YAML), one program each.

A face knows how to lay out its program, which type token lands in state, and how it names a property
(the dynamic resource uses snake_case, the plugin the schema's camelCase).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from pulumi_aep.definition import RESOURCE_TYPE, camel
from tests.e2e.harness import VENV_PYTHON, PulumiProject, copy_program

PROGRAMS: Final = Path(__file__).parent / "programs"
DYNAMIC_TYPE: Final = "pulumi-python:dynamic/aep:AzureBlobConnection"
#: The YAML program's credentials config key (also its property name) for each auth mode.
_YAML_CREDENTIALS: Final = {"connection-string": "connectionString", "sas": "sasUri"}


@dataclass(frozen=True)
class Face:
    """One way of declaring an ``AzureBlobConnection``."""

    name: str

    @property
    def is_plugin(self) -> bool:
        return self.name != "dynamic"

    @property
    def type_token(self) -> str:
        return RESOURCE_TYPE if self.is_plugin else DYNAMIC_TYPE

    def prop(self, snake: str) -> str:
        """How this face names a property in diffs and errors."""
        return camel(snake) if self.is_plugin else snake

    def lay_out(self, dest: Path, plugin_dir: Path, program: Path = PROGRAMS) -> Path:
        """Write this face's program into DEST (the plugin faces load the plugin from PLUGIN_DIR).

        PROGRAM holds the program of each language: ``python/`` and ``yaml/`` (a ``Pulumi.yaml``, or a
        ``Pulumi.yaml.in`` rendered by ``render_yaml``); the default is the behaviour suite's.
        """
        if self.name == "plugin-yaml":
            dest.mkdir(parents=True)
            template = program / "yaml" / "Pulumi.yaml.in"
            if template.exists():
                shutil.copy(template, dest / "Pulumi.yaml.in")
                render_yaml(dest, "connection-string")
            else:
                shutil.copy(program / "yaml" / "Pulumi.yaml", dest / "Pulumi.yaml")
        else:
            copy_program(program / "python", dest)
        if self.is_plugin:
            use_plugin(dest, plugin_dir)
        return dest

    def add_chained(self, project: PulumiProject) -> None:
        """Declare a second connection whose description is the first one's id (unknown at preview)."""
        if self.name == "plugin-yaml":
            render_yaml(project.work_dir, "connection-string", chained=True)
        else:
            project.config("chained", "true")

    def set_auth_mode(self, project: PulumiProject, mode: str) -> None:
        """Declare the credentials of MODE (``connection-string`` or ``sas``)."""
        if self.name == "plugin-yaml":
            render_yaml(project.work_dir, mode)
        else:
            project.config("authMode", mode)


_YAML_CHAINED: Final = """  chained:
    type: aep:index:AzureBlobConnection
    properties:
      container: landing
      description: ${conn.connectionId}
      connectionString: ${connectionString}
"""


def render_yaml(work_dir: Path, mode: str, chained: bool = False) -> None:
    """(Re)write the YAML program for the auth mode, keeping any ``plugins:`` section appended to it."""
    key = _YAML_CREDENTIALS[mode]
    text = (work_dir / "Pulumi.yaml.in").read_text()
    text = text.replace("{credentialsConfig}", key).replace("{credentials}", f"{key}: ${{{key}}}")
    text = text.replace("{chained}", _YAML_CHAINED if chained else "")
    current = work_dir / "Pulumi.yaml"
    tail = ""
    if current.exists() and "\nplugins:" in current.read_text():
        tail = "\nplugins:" + current.read_text().split("\nplugins:", 1)[1]
    current.write_text(text + tail)


def use_plugin(work_dir: Path, plugin_dir: Path) -> None:
    """Point the project at the working tree's plugin (``plugins.providers`` in Pulumi.yaml)."""
    project = work_dir / "Pulumi.yaml"
    project.write_text(
        project.read_text() + f"\nplugins:\n  providers:\n    - name: aep\n      path: {plugin_dir}\n"
    )


def write_launcher(directory: Path) -> Path:
    """An executable ``pulumi-resource-aep`` in DIRECTORY running this checkout's plugin."""
    directory.mkdir(parents=True, exist_ok=True)
    launcher = directory / "pulumi-resource-aep"
    launcher.write_text(f'#!/bin/sh\nexec "{VENV_PYTHON}" -m pulumi_aep.plugin "$@"\n')
    launcher.chmod(0o755)
    return directory


def yaml_host_available(shims: Path) -> bool:
    """True when the YAML language host is next to the CLI or on PATH."""
    if (shims / "pulumi-language-yaml").exists():
        return True
    return shutil.which("pulumi-language-yaml", path=os.environ.get("PATH")) is not None
