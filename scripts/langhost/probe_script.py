"""Describe this interpreter and its installed distributions as JSON on stdout; executed as a script.

Self-contained (standard library only) because it runs in the program's interpreter, not the host's. Plugins
are found the way Pulumi's Python host finds them: a `pulumi-plugin.json` shipped inside a distribution, with
`"resource": true`.
"""

from __future__ import annotations

import json
import platform
import sys
from importlib import metadata
from typing import Any


def _plugin(dist: metadata.Distribution) -> dict[str, Any] | None:
    for file in dist.files or []:
        if file.name != "pulumi-plugin.json":
            continue
        try:
            spec = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(spec, dict) and spec.get("resource"):
            return spec
    return None


def describe() -> dict[str, Any]:
    """Return the interpreter's path and version and its distributions (name, version, plugin spec)."""
    packages = []
    seen: set[str] = set()
    for dist in metadata.distributions():
        name = dist.name or ""
        if not name or name.lower() in seen:
            continue
        seen.add(name.lower())
        packages.append({"name": name, "version": dist.version, "plugin": _plugin(dist)})
    packages.sort(key=lambda p: str(p["name"]).lower())
    return {"executable": sys.executable, "version": platform.python_version(), "packages": packages}


if __name__ == "__main__":
    json.dump(describe(), sys.stdout)
