"""A create whose outcome is unknown is reconciled, never blindly repeated."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_aep.errors import AepError, ServerError, TransportError
from pulumi_aep.provider import AzureBlobConnectionProvider

from .conftest import flow_requests
from .helpers import props

pytestmark = pytest.mark.emulator
P = AzureBlobConnectionProvider


def _posts(emulator: Any) -> list[dict[str, Any]]:
    return [r for r in flow_requests(emulator, "POST") if r["path"].endswith("/connections")]


def test_lost_answer_adopts_the_connection_it_created(provider: P, emulator: Any) -> None:
    emulator.control.inject_fault("POST", "/connections", 1, action="drop_response")
    result = provider.create(provider.check({}, props()).inputs)
    stored = emulator.control.connections()
    assert [c["id"] for c in stored] == [result.id]
    assert len(_posts(emulator)) == 1
    assert any(r["method"] == "GET" and "property=name" in r["query"] for r in flow_requests(emulator))
    assert _posts(emulator)[0]["fault"] is not None


def test_reset_before_processing_is_retried(provider: P, emulator: Any) -> None:
    emulator.control.inject_fault("POST", "/connections", 1, action="reset")
    result = provider.create(provider.check({}, props()).inputs)
    assert len(_posts(emulator)) == 2
    assert [c["id"] for c in emulator.control.connections()] == [result.id]


def test_adopted_connection_has_full_outputs(provider: P, emulator: Any) -> None:
    emulator.control.inject_fault("POST", "/connections", 1, action="drop_response")
    result = provider.create(provider.check({}, props()).inputs)
    assert result.outs is not None
    assert result.outs["connection_id"] == result.id
    assert result.outs["etag"]
    assert result.outs["state"] == "enabled"


def test_5xx_not_applied_is_retried_after_looking(provider: P, emulator: Any) -> None:
    emulator.control.inject_fault("POST", "/connections", 1, status=503)
    result = provider.create(provider.check({}, props()).inputs)
    assert [r["status"] for r in _posts(emulator)] == [503, 201]
    assert [c["id"] for c in emulator.control.connections()] == [result.id]


def test_persistent_5xx_gives_up_without_duplicates(provider: P, emulator: Any) -> None:
    emulator.control.inject_fault("POST", "/connections", 10, status=500)
    with pytest.raises(ServerError) as info:
        provider.create(provider.check({}, props()).inputs)
    assert info.value.status == 500
    # As many attempts as an idempotent call (aep:maxRetries 4, + 1), each reconciled first.
    assert len(_posts(emulator)) == 5
    assert emulator.control.connections() == []


def test_ambiguous_match_is_an_error_not_an_adoption(provider: P, emulator: Any) -> None:
    first = provider.create(provider.check({}, props()).inputs)
    emulator.control.inject_fault("POST", "/connections", 1, action="drop_response")
    with pytest.raises(AepError, match=r"the outcome was lost and 2 matching connections exist") as info:
        provider.create(provider.check({}, props()).inputs)
    assert first.id in str(info.value)
    assert len(emulator.control.connections()) == 2


def test_other_names_are_not_adopted(provider: P, emulator: Any) -> None:
    provider.create(provider.check({}, props(name="someone-else")).inputs)
    emulator.control.inject_fault("POST", "/connections", 1, status=502)
    result = provider.create(provider.check({}, props(name="mine")).inputs)
    names = {c["id"]: c["name"] for c in emulator.control.connections()}
    assert names[result.id] == "mine"
    assert len(names) == 2


def test_unreachable_platform_is_not_reconciled(make_provider: Any, emulator: Any) -> None:
    provider = make_provider(platformUrl="http://127.0.0.1:9", maxRetries="0")
    with pytest.raises(TransportError) as info:
        provider.create(provider.check({}, props()).inputs)
    assert info.value.request_sent is False
    assert "could not connect" in str(info.value)


def test_throttled_create_is_resent_after_retry_after(provider: P, emulator: Any) -> None:
    import time

    emulator.control.inject_fault("POST", "/connections", 1, status=429, retry_after=1)
    started = time.monotonic()
    result = provider.create(provider.check({}, props()).inputs)
    assert time.monotonic() - started >= 1.0
    assert [r["status"] for r in _posts(emulator)] == [429, 201]
    assert [c["id"] for c in emulator.control.connections()] == [result.id]
    assert not any("property=name" in r["query"] for r in flow_requests(emulator, "GET"))


def test_same_name_other_container_is_not_adopted(provider: P, emulator: Any) -> None:
    other = provider.create(provider.check({}, props(container="other")).inputs)
    emulator.control.inject_fault("POST", "/connections", 1, status=503)
    result = provider.create(provider.check({}, props(container="landing")).inputs)
    assert result.id != other.id
    assert len(emulator.control.connections()) == 2
