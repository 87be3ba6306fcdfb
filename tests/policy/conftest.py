"""Policy-pack unit tests: make ``policy/`` importable and keep the stack's sandbox config out of the way."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pulumi.runtime.config as runtime_config
import pytest

SANDBOX_KEY = "aep:sandboxName"

POLICY_DIR = Path(__file__).resolve().parents[2] / "policy"
if str(POLICY_DIR) not in sys.path:
    # The CLI runs policy/__main__.py with policy/ first on sys.path; tests import the same way, but never
    # __main__ itself (PolicyPack(...) starts a gRPC server and blocks).
    sys.path.insert(0, str(POLICY_DIR))


@pytest.fixture(autouse=True)
def _no_ambient_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The sandbox resolution reads ``aep:sandboxName`` and ``AEP_SANDBOX_NAME``: start every test without."""
    monkeypatch.delenv("AEP_SANDBOX_NAME", raising=False)
    monkeypatch.delenv("PULUMI_CONFIG", raising=False)
    config = runtime_config.CONFIG.get()
    saved = config.pop(SANDBOX_KEY, None)
    yield
    config.pop(SANDBOX_KEY, None)
    if saved is not None:
        config[SANDBOX_KEY] = saved
