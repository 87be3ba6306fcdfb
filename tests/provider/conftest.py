"""Provider tests: one emulator per session (reset per test), configured providers, isolated environment."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_aep.provider import AzureBlobConnectionProvider
from tests.conftest import prerequisite_missing


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[Any]:
    try:
        from aep_emulator.server import EmulatorServer
    except ImportError as exc:  # the emulator is an optional extra
        prerequisite_missing(f"aep_emulator.server ({exc})")
    with EmulatorServer(port=0) as server:
        yield server


@pytest.fixture
def emulator(emulator_server: Any) -> Any:
    """The running emulator, reset (connections, faults, log, tokens) before the test."""
    emulator_server.control.reset(tokens=True)
    return emulator_server


def raw_config(base_url: str, **overrides: str) -> dict[str, str]:
    """Stack config pointing the provider at the emulator with its default credentials."""
    from aep_emulator.testing import provider_config

    # Fast, deterministic retries against loopback; a lost create is looked for for about 1 s.
    config = {
        **provider_config(base_url),
        "aep:connectTimeout": "2",
        "aep:readTimeout": "5",
        "aep:reconcileSeconds": "1",
    }
    config.update({f"aep:{k}": v for k, v in overrides.items()})
    return config


@pytest.fixture
def make_provider(emulator: Any) -> Callable[..., AzureBlobConnectionProvider]:
    """Build a provider configured like the engine does: ``configure(ConfigureRequest(Config(...)))``."""

    def make(**overrides: str) -> AzureBlobConnectionProvider:
        provider = AzureBlobConnectionProvider()
        provider.configure(ConfigureRequest(Config(raw_config(emulator.base_url, **overrides), "proj")))
        return provider

    return make


@pytest.fixture
def provider(make_provider: Callable[..., AzureBlobConnectionProvider]) -> AzureBlobConnectionProvider:
    return make_provider()


@pytest.fixture
def oob(emulator: Any) -> Any:
    """A separate Flow Service client for out-of-band changes (another team, the AEP UI)."""
    from pulumi.dynamic import Config as DynConfig

    from pulumi_aep.client import FlowServiceClient
    from pulumi_aep.config import ProviderConfig

    return FlowServiceClient(
        ProviderConfig.from_pulumi_config(DynConfig(raw_config(emulator.base_url), "p"), {})
    )


def stored(emulator: Any, connection_id: str) -> dict[str, Any]:
    """The emulator's unmasked record of a connection."""
    return next(c for c in emulator.control.connections() if c["id"] == connection_id)


def flow_requests(emulator: Any, method: str | None = None) -> list[dict[str, Any]]:
    """Flow Service requests from the emulator's log (optionally one method)."""
    return [
        r
        for r in emulator.control.requests()
        if r["path"].startswith("/data/foundation/flowservice") and (method is None or r["method"] == method)
    ]
