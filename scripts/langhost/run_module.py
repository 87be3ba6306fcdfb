"""Run a module as `python -m MODULE ARGS` would, exiting if our parent dies; executed as a script.

Used for plugins the CLI or the host start: `pulumi.dynamic` (dynamic providers) and `pulumi.policy` (policy
packs). Those servers block forever, so without the watchdog they would outlive a CLI that was killed.
Standard library only, plus the module it runs.
"""

from __future__ import annotations

import importlib.util
import os
import runpy
import sys
from types import ModuleType


def load_sibling(name: str) -> ModuleType:
    """Import `name`.py from this script's directory without putting that directory on sys.path.

    A private module name keeps ours from shadowing (or being shadowed by) PyPI packages like `watchdog`.
    """
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"_pulumi_aep_langhost_{name}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> None:
    """Run module `argv[0]` with arguments `argv[1:]` and the working directory first on sys.path."""
    load_sibling("watchdog").watch_parent(lambda: os._exit(1))
    module, args = argv[0], argv[1:]
    sys.path[0] = os.getcwd()  # what `-m` puts there, instead of this script's directory
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
