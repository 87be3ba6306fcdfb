"""A create whose answer is lost is reconciled on every attempt, the last one included (no orphan)."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_aep.errors import RateLimitedError, ServerError
from tests.provider.helpers import props
from tests.reliability.helpers import make_provider

#: Create attempts with the default aep:maxRetries (4): as many as an idempotent call gets.
ATTEMPTS = 5

pytestmark = [pytest.mark.emulator]


def test_lost_answer_on_the_last_attempt_is_adopted(fresh_emulator: Any) -> None:
    control = fresh_emulator.control
    control.inject_fault("POST", "/connections", count=ATTEMPTS - 1, status=503)
    control.inject_fault("POST", "/connections", count=1, action="drop_response")
    provider = make_provider(fresh_emulator.base_url)
    result = provider.create(props(name="last-attempt"))
    stored = control.connections()
    assert [c["id"] for c in stored] == [result.id]


def test_last_attempt_failing_without_a_write_raises_and_leaves_nothing(fresh_emulator: Any) -> None:
    control = fresh_emulator.control
    control.inject_fault("POST", "/connections", count=ATTEMPTS, status=503)
    provider = make_provider(fresh_emulator.base_url)
    with pytest.raises(ServerError):
        provider.create(props(name="three-503"))
    assert control.connections() == []


def test_every_create_throttled_raises_without_a_write(fresh_emulator: Any) -> None:
    control = fresh_emulator.control
    control.inject_fault("POST", "/connections", count=ATTEMPTS, status=429, retry_after=0)
    provider = make_provider(fresh_emulator.base_url)
    with pytest.raises(RateLimitedError):
        provider.create(props(name="three-429"))
    assert control.connections() == []
