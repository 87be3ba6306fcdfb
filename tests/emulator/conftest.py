"""Fixtures of the emulator tests: the shared helpers of tests/helpers."""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from tests.helpers.emulator import emulator, emulator_server  # noqa: E402, F401
