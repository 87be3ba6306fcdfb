"""A create whose outcome is unknown is reconciled, never blindly repeated."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_aep.client import FlowServiceClient
from pulumi_aep.errors import CreateOutcomeUnknownError, ServerError, TransportError
from pulumi_aep.provider import AzureBlobConnectionProvider
from tests.reliability.fleet import wait_for

from .conftest import flow_requests
from .helpers import connection_string, props

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


def test_candidates_created_while_in_flight_are_named_not_adopted(
    provider: P, emulator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another one stamped as the lost POST is sent: the server's clock cannot tell them apart. It is
    # stamped at the moment of sending (not before the test's other steps), so a slow machine cannot
    # push it out of the window.
    first = provider.create(provider.check({}, props()).inputs)
    send = FlowServiceClient.create_connection

    def stamped_send(self: FlowServiceClient, *args: Any, **kwargs: Any) -> Any:
        _stamp_now(emulator, first.id)
        return send(self, *args, **kwargs)

    monkeypatch.setattr(FlowServiceClient, "create_connection", stamped_send)
    emulator.control.inject_fault("POST", "/connections", 1, action="drop_response")
    with pytest.raises(CreateOutcomeUnknownError, match=r"2 matching connections were created") as info:
        provider.create(provider.check({}, props()).inputs)
    ids = {c["id"] for c in emulator.control.connections()}
    assert first.id in ids
    assert set(info.value.candidate_ids) == ids
    assert "adopt_existing_id" in str(info.value)


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


def _age(emulator: Any, connection_id: str, seconds: int) -> None:
    """Make a connection look created ``seconds`` ago (another stack's earlier `up`)."""
    record = emulator.emulator.backend._connections[connection_id]
    record["createdAt"] -= seconds * 1000


def _stamp_now(emulator: Any, connection_id: str) -> None:
    """Make a connection look created by the server right now (called as the next POST is sent)."""
    import time

    emulator.emulator.backend._connections[connection_id]["createdAt"] = int(time.time() * 1000)


def test_same_named_connection_of_another_stack_is_never_adopted(
    provider: P, emulator: Any, oob: Any
) -> None:
    """D1: c2 is up a minute earlier with the same name, container and folder; c1's POST gets a 500."""
    from pulumi_aep.model import create_body

    theirs = oob.create_connection("prod", create_body(props(connection_string=connection_string("c2store"))))
    _age(emulator, theirs.id, 60)
    emulator.control.inject_fault("POST", "/connections", 1, status=500)
    mine = provider.create(provider.check({}, props(connection_string=connection_string("c1store"))).inputs)
    assert mine.id != theirs.id
    assert len(emulator.control.connections()) == 2
    assert len(_posts(emulator)) == 3  # theirs, then mine answered 500 and mine sent again


def test_same_named_connection_created_after_flow_service_answered_is_never_adopted(
    provider: P, emulator: Any, oob: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """D1 at once: c1's POST is answered 500 by Flow Service (not applied) and c2 creates the same name
    two seconds later, while c1 reconciles. Flow Service had finished c1's POST before c2's create, so
    c2's is not c1's: c1 sends again (before, it adopted c2's and a destroy of c1 deleted it)."""
    from pulumi_aep.model import create_body

    theirs: list[Any] = []
    listing = FlowServiceClient.list_connections_dated

    def c2_creates_first(client: FlowServiceClient, *args: Any, **kwargs: Any) -> Any:
        if not theirs:
            body = create_body(props(connection_string=connection_string("c2store")))
            theirs.append(oob.create_connection("prod", body))
            _age(emulator, theirs[0].id, -2)
        return listing(client, *args, **kwargs)

    monkeypatch.setattr(FlowServiceClient, "list_connections_dated", c2_creates_first)
    emulator.control.inject_fault("POST", "/connections", 1, status=500)
    mine = provider.create(provider.check({}, props(connection_string=connection_string("c1store"))).inputs)
    assert theirs, "c1 never reconciled"
    assert mine.id != theirs[0].id
    assert len(emulator.control.connections()) == 2
    assert [r["status"] for r in _posts(emulator)] == [500, 201, 201]  # mine, theirs, mine again


@pytest.mark.parametrize(
    ("name", "find"),
    [
        ("d3-lost", "property=name==d3-lost"),
        # A comma in property= means "any of": the hint must not send the user to that query.
        ("d3, lost", "look for name 'd3, lost' in every page"),
    ],
    ids=["plain", "comma"],
)
def test_lost_create_whose_reconcile_list_fails_says_it_may_exist(
    make_provider: Any, emulator: Any, name: str, find: str
) -> None:
    """D3: the POST's answer is dropped, then every list answers 503: fail naming the way out, no resend."""
    provider = make_provider(reconcileSeconds="2")
    emulator.control.inject_fault("POST", "/connections", 1, action="drop_response")
    emulator.control.inject_fault("GET", "/connections", 100, status=503)
    with pytest.raises(CreateOutcomeUnknownError) as info:
        provider.create(provider.check({}, props(name=name)).inputs)
    message = str(info.value)
    assert "may exist" in message
    assert find in message
    assert "property=name==d3," not in message
    assert "adopt_existing_id" in message
    assert len(_posts(emulator)) == 1
    assert [c["name"] for c in emulator.control.connections()] == [name]


@pytest.mark.parametrize(
    ("fault", "overrides"),
    [
        ({"status": 504, "latency_ms": 700}, {}),
        ({"latency_ms": 1500}, {"readTimeout": "1"}),
    ],
    ids=["gateway-504", "read-timeout"],
)
def test_create_applied_after_the_client_gave_up_is_found_not_repeated(
    make_provider: Any, emulator: Any, fault: dict[str, Any], overrides: dict[str, str]
) -> None:
    """D4: the platform applies the POST after the 504 (or our read timeout): re-list, do not resend."""
    provider = make_provider(reconcileSeconds="6", **overrides)
    emulator.control.inject_fault("POST", "/connections", 1, action="apply_late", **fault)
    result = provider.create(provider.check({}, props()).inputs)
    # The held POST is logged once the emulator has applied it and dropped its connection: wait for that
    # one (it carries the fault), not for any POST, or a resend's answer would end the wait too early.
    wait_for(lambda: any(p["fault"] is not None for p in _posts(emulator)), 10, "the late POST applied")
    assert [c["id"] for c in emulator.control.connections()] == [result.id]
    assert len(_posts(emulator)) == 1


def test_lost_create_of_a_name_with_a_comma_is_found(provider: P, emulator: Any) -> None:
    """D5: ``name==landing, prod`` means "landing or prod" to Flow Service; reconcile must still find it."""
    emulator.control.inject_fault("POST", "/connections", 1, action="drop_response")
    result = provider.create(provider.check({}, props(name="landing, prod")).inputs)
    assert [(c["id"], c["name"]) for c in emulator.control.connections()] == [(result.id, "landing, prod")]
    assert len(_posts(emulator)) == 1


@pytest.mark.parametrize("lag_s", [0.0, 1.0, 3.0])
def test_lost_create_is_found_when_the_gateway_date_lags(
    make_provider: Any, emulator: Any, lag_s: float
) -> None:
    """CI found an orphan: ``Date`` has whole seconds and a gateway may cache it, so it can be older than
    the ``createdAt`` of what the list shows. The window has no upper bound, so the lost create is found."""
    provider = make_provider(reconcileSeconds="2")
    emulator.control.lag_date(lag_s)
    emulator.control.inject_fault("POST", "/connections", 1, action="drop_response")
    result = provider.create(provider.check({}, props()).inputs)
    assert [c["id"] for c in emulator.control.connections()] == [result.id]
    assert len(_posts(emulator)) == 1
