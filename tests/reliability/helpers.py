"""Shared helpers of the reliability tests: configured providers, write detection, state checks."""

from __future__ import annotations

import re
from typing import Any

from pulumi.dynamic import Config, ConfigureRequest

from pulumi_aep import naming
from pulumi_aep.provider import AzureBlobConnectionProvider
from tests.provider.conftest import raw_config

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
FLOW_PREFIX = "/data/foundation/flowservice"


def make_provider(base_url: str, **overrides: str) -> AzureBlobConnectionProvider:
    """A provider configured the way the engine does it, pointed at the emulator."""
    provider = AzureBlobConnectionProvider()
    provider.configure(ConfigureRequest(Config(raw_config(base_url, **overrides), "reliability")))
    return provider


def flow_writes(requests_log: list[dict[str, Any]]) -> list[str]:
    """``METHOD path`` of every Flow Service write in an emulator request log."""
    return [
        f"{r['method']} {r['path']}"
        for r in requests_log
        if r["method"] in WRITE_METHODS and r["path"].startswith(FLOW_PREFIX)
    ]


TYPE_TOKEN = "pulumi-python:dynamic/aep:AzureBlobConnection"
#: A name the provider chose (``pulumi_aep.naming``): the resource name and 7 hex digits.
AUTO_NAMED = re.compile(rf"(.+)-[0-9a-f]{{{naming.SUFFIX_DIGITS}}}")


def state_connections(exported: dict[str, Any]) -> dict[str, str]:
    """Resource name -> connection id of every connection in an exported stack."""
    deployment = exported["deployment"]
    return {
        r["urn"].rsplit("::", 1)[1]: str(r["id"])
        for r in deployment.get("resources") or []
        if r["type"] == TYPE_TOKEN
    }


def pending_operations(exported: dict[str, Any]) -> list[dict[str, Any]]:
    """The pending operations an interrupted deployment left in an exported stack."""
    return list(exported["deployment"].get("pending_operations") or [])


def declared_name(stored_name: str) -> str:
    """The resource name a stored connection was named after: ``fleet-3-1a2b3c4`` -> ``fleet-3``."""
    match = AUTO_NAMED.fullmatch(stored_name)
    return match.group(1) if match else stored_name


def audit(declared: list[str], in_state: dict[str, str], stored: list[dict[str, Any]]) -> dict[str, Any]:
    """Compare declared resource names, stack state and the emulator's connections (by resource name).

    Returns:
        counts of missing (declared, not in the emulator), duplicates (a declared name stored more
        than once), orphans (stored, not in state), strays (stored under a name never declared) and
        mismatches (state id not what the emulator holds under that name).
    """
    by_name: dict[str, list[str]] = {}
    for c in stored:
        by_name.setdefault(declared_name(c["name"]), []).append(c["id"])
    state_ids = set(in_state.values())
    return {
        "declared": len(declared),
        "stored": len(stored),
        "missing": sorted(n for n in declared if n not in by_name),
        "duplicates": sorted(n for n, ids in by_name.items() if len(ids) > 1),
        "orphans": sorted(c["id"] for c in stored if c["id"] not in state_ids),
        "strays": sorted(n for n in by_name if n not in declared),
        "mismatches": sorted(n for n, i in in_state.items() if by_name.get(n) != [i]),
    }


def assert_converged(report: dict[str, Any]) -> None:
    """Every declared connection exists exactly once, is in state, and nothing else exists."""
    problems = {k: v for k, v in report.items() if isinstance(v, list) and v}
    assert not problems, f"not converged: {report}"
    assert report["stored"] == report["declared"], report
