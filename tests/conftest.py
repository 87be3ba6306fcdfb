"""Test-suite-wide rules: under CI a missing prerequisite fails, elsewhere it skips."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import NoReturn

import pytest

from pulumi_aep import config as provider_config
from pulumi_aep import provider as provider_module


def in_ci() -> bool:
    """True when running under CI (CI=true), where every prerequisite must be present."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def prerequisite_missing(what: str) -> NoReturn:
    """Fail under CI, skip elsewhere: a missing CLI, emulator or Azurite never passes silently in CI."""
    if in_ci():
        pytest.fail(f"prerequisite missing under CI=true: {what}", pytrace=False)
    pytest.skip(f"prerequisite missing: {what}")


@pytest.fixture(autouse=True)
def _isolated_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No AEP_* variable of the developer's shell leaks in, and no provider client (token cache)
    leaks from one test into the next."""
    for name in provider_config.ENV_FALLBACKS.values():
        monkeypatch.delenv(name, raising=False)
    provider_module.reset_clients()
    yield
    provider_module.reset_clients()
