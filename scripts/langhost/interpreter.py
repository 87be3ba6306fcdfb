"""Choose the Python interpreter that runs a program or plugin, the way Pulumi's own Python host does."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from google.protobuf import json_format
from google.protobuf.struct_pb2 import Struct


class InterpreterError(Exception):
    """The configured interpreter cannot be used; the message says how to fix it."""


@dataclass(frozen=True)
class Interpreter:
    """A Python interpreter, with the virtual environment it belongs to (if any)."""

    executable: str
    """Absolute path (or a command name looked up on PATH) of the interpreter."""
    virtualenv: str | None = None
    """Absolute path of the virtual environment, when the program asked for one."""

    def environ(self, base: Mapping[str, str]) -> dict[str, str]:
        """Return `base` with the virtual environment activated, as `source bin/activate` would.

        Args:
            base: The environment to start from.

        Returns:
            A new environment mapping.
        """
        env = dict(base)
        if self.virtualenv is not None:
            env["VIRTUAL_ENV"] = self.virtualenv
            env["PATH"] = os.pathsep.join([os.path.join(self.virtualenv, "bin"), env.get("PATH", "")])
            env.pop("PYTHONHOME", None)
        return env


def runtime_options(options: Struct | None) -> dict[str, Any]:
    """Convert the `runtime.options` struct of a ProgramInfo into a plain dict."""
    if options is None:
        return {}
    converted: dict[str, Any] = dict(json_format.MessageToDict(options))
    return converted


def resolve(root_directory: str, options: Mapping[str, Any], env: Mapping[str, str]) -> Interpreter:
    """Pick the interpreter for a project or plugin.

    Order: the `virtualenv` runtime option (relative paths are taken from the project root), then the
    `uv` toolchain's `.venv`, then `$PULUMI_PYTHON_CMD`, then the interpreter running this host.

    Args:
        root_directory: The directory holding Pulumi.yaml (or PulumiPolicy.yaml / PulumiPlugin.yaml).
        options: The runtime options from that file.
        env: The environment of the request.

    Returns:
        The interpreter to use.

    Raises:
        InterpreterError: A virtualenv was configured but does not exist.
    """
    virtualenv = options.get("virtualenv")
    if not virtualenv and options.get("toolchain") == "uv":
        virtualenv = ".venv"
    if virtualenv:
        path = os.path.normpath(os.path.join(root_directory, str(virtualenv)))
        python = os.path.join(path, "bin", "python")
        if not os.path.isfile(python):
            raise InterpreterError(
                f"The 'virtualenv' option is set to {virtualenv!r}, but {path} is not a virtual environment "
                f"(no {python}). Create it, e.g. `python3 -m venv {path}` and install the program's "
                "requirements into it (this project's `make` does that for its own projects)."
            )
        return Interpreter(executable=python, virtualenv=path)
    command = env.get("PULUMI_PYTHON_CMD")
    if command:
        return Interpreter(executable=command)
    return Interpreter(executable=sys.executable)
