"""Test-suite-wide rules: under CI a missing prerequisite fails, elsewhere it skips."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """True when running under CI (CI=true), where every prerequisite must be present."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def prerequisite_missing(what: str) -> NoReturn:
    """Fail under CI, skip elsewhere: a missing CLI, emulator or Azurite never passes silently in CI."""
    if in_ci():
        pytest.fail(f"prerequisite missing under CI=true: {what}", pytrace=False)
    pytest.skip(f"prerequisite missing: {what}")
