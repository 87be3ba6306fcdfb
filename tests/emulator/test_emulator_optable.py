"""The operations table of emulator/README.md is generated from Adobe's OpenAPI document and the app's routes."""

from __future__ import annotations

import pytest

from aep_emulator import optable
from tests.helpers.emulator import EmulatorSession

pytestmark = pytest.mark.emulator


def test_committed_table_is_current() -> None:
    assert optable.committed() == optable.render(), "run: python -m aep_emulator.optable --write"


def test_at_least_30_of_the_45_operations_are_emulated() -> None:
    assert len(optable.adobe_operations()) == 45
    assert optable.emulated_count() >= 30


def test_every_operation_marked_no_answers_501(emulator: EmulatorSession) -> None:
    served = optable.served()
    missing = [(m, p) for m, p, _ in optable.adobe_operations() if (m, optable._shape(p)) not in served]
    assert missing
    for method, path in missing:
        concrete = path.replace("{", "").replace("}", "").rstrip("/")
        response = emulator.request(method, concrete, json={})
        assert response.status_code == 501, (method, path, response.text)
