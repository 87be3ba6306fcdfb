"""Shared helpers of the reliability tests: configured providers, write detection, state checks."""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import Config, ConfigureRequest

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
