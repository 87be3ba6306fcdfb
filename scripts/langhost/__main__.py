"""Entry point: `python <dir>/langhost <engine-address>` (what the `pulumi-language-python` shim runs)."""

from __future__ import annotations

import importlib
import os
import sys

if __package__ in (None, ""):
    # Started as `python .../langhost`: import the package by name, not its modules as top-level ones.
    _here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]
    sys.path.insert(0, os.path.dirname(_here))

try:
    import grpc  # noqa: F401
    import pulumi.runtime.proto  # noqa: F401
except ImportError as exc:
    print(
        f"pulumi-aep language host: {exc}. It needs `grpcio` and `pulumi` in {sys.executable}; "
        "point PULUMI_PYTHON_CMD at a Python that has them (e.g. this project's .venv/bin/python).",
        file=sys.stderr,
    )
    sys.exit(1)

if __name__ == "__main__":
    # Imported by name at run time: the package is "langhost" here, whatever a type checker calls it.
    sys.exit(importlib.import_module("langhost.cli").main(sys.argv[1:]))
