"""Pipeline wiring tests: the emulator over HTTP and a pipeline client on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pulumi.dynamic import Config

from pulumi_aep.config import ProviderConfig
from pulumi_aep.pipeline_client import CatalogClient, PipelineClient, pipeline_clients, reset_pipeline_clients
from tests.helpers.emulator import EmulatorSession, emulator, emulator_server  # noqa: F401  (fixtures)


def emulator_config(base_url: str, **overrides: str) -> ProviderConfig:
    """The provider configuration for the emulator at ``base_url`` (fast timeouts on loopback), with
    ``overrides`` (``reconcileSeconds="1"`` for ``aep:reconcileSeconds``)."""
    from aep_emulator.testing import provider_config

    raw = {
        **provider_config(base_url),
        "aep:connectTimeout": "2",
        "aep:readTimeout": "5",
        **{f"aep:{k}": v for k, v in overrides.items()},
    }
    return ProviderConfig.from_pulumi_config(Config(raw, "p"), {})


@pytest.fixture
def clients(emulator: EmulatorSession) -> Iterator[tuple[PipelineClient, CatalogClient]]:  # noqa: F811
    """Fresh process-wide pipeline clients for the reset emulator."""
    reset_pipeline_clients()
    yield pipeline_clients(emulator_config(emulator.base_url))
    reset_pipeline_clients()
