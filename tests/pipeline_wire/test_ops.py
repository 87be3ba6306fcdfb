"""The shared lifecycle steps: reconcile-not-repeat on a lost create, 404 -> gone, in-use deletes.

``create_reconciled`` takes the POST and the lookup as functions and an injected clock and sleep, so each
outcome of a lost answer is driven exactly; the errors are the ones the client raises.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pulumi_aep.config import ProviderConfig
from pulumi_aep.errors import (
    AepError,
    ApiError,
    ConnectionInUseError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
)
from pulumi_aep.pipeline_ops import (
    CLOCK_SKEW_MS,
    create_reconciled,
    created_since,
    delete_or_gone,
    read_or_gone,
)

CONFIG = ProviderConfig.from_env({})
NOW_MS = 1_700_000_000_000


def posts(*outcomes: Exception | str) -> tuple[Callable[[], str], list[int]]:
    """A POST that raises or returns each outcome in turn, and the list counting its calls."""
    calls: list[int] = []

    def post() -> str:
        calls.append(1)
        outcome = outcomes[len(calls) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return post, calls


def reconcile(post: Callable[[], str], find: Callable[[int], list[str]], sleeps: list[float]) -> str:
    return create_reconciled(CONFIG, "flow 'f'", post, find, now_ms=lambda: NOW_MS, sleep=sleeps.append)


def test_lost_answer_adopts_the_one_created_and_never_posts_again() -> None:
    post, calls = posts(TransportError("reset", request_sent=None), "unused")
    looked: list[int] = []

    def find(since: int) -> list[str]:
        looked.append(since)
        return ["flow-1"]

    found = reconcile(post, find, [])
    assert (found, len(calls)) == ("flow-1", 1)
    assert looked == [NOW_MS - CLOCK_SKEW_MS]


def test_5xx_with_nothing_created_posts_again() -> None:
    post, calls = posts(ServerError("boom", status=502), "flow-2")
    assert reconcile(post, lambda _since: [], []) == "flow-2"
    assert len(calls) == 2


def test_request_never_sent_posts_again_without_a_lookup() -> None:
    post, calls = posts(TransportError("refused", request_sent=False), "flow-3")

    def find(_since: int) -> list[str]:
        raise AssertionError("nothing was sent: no lookup")

    assert reconcile(post, find, []) == "flow-3"
    assert len(calls) == 2


def test_throttled_create_waits_retry_after_then_posts_again() -> None:
    throttled = RateLimitedError("slow down", status=429)
    throttled.retry_after = 7.0
    post, calls = posts(throttled, "flow-4")
    sleeps: list[float] = []
    assert reconcile(post, lambda _since: [], sleeps) == "flow-4"
    assert (sleeps, len(calls)) == ([7.0], 2)


def test_several_candidates_is_an_error_naming_them() -> None:
    post, calls = posts(ServerError("boom", status=500))
    with pytest.raises(AepError) as info:
        reconcile(post, lambda _since: ["a-1", "a-2"], [])
    assert "a-1, a-2" in str(info.value)
    assert "delete the extras" in str(info.value)
    assert len(calls) == 1


def test_lost_every_time_raises_the_last_error() -> None:
    post, calls = posts(*(ServerError(f"boom {i}", status=503) for i in range(10)))
    with pytest.raises(ServerError):
        reconcile(post, lambda _since: [], [])
    assert len(calls) == max(3, CONFIG.retries.total + 1)


def test_a_client_error_is_never_reconciled() -> None:
    post, calls = posts(ApiError("bad body", status=400, code="1331-400"))
    with pytest.raises(ApiError, match="1331-400"):
        reconcile(post, lambda _since: ["x"], [])
    assert len(calls) == 1


def missing(code: str | None) -> NotFoundError:
    return NotFoundError("reading flow f-1", status=404, code=code, request_id="req-9")


def test_read_or_gone_only_for_a_404_about_the_entity() -> None:
    assert read_or_gone("flow f-1", lambda: (_ for _ in ()).throw(missing("1101-404"))) is None
    with pytest.raises(NotFoundError):  # a 404 of the gateway (wrong URL, sandbox) is not "gone"
        read_or_gone("flow f-1", lambda: (_ for _ in ()).throw(missing(None)))
    assert read_or_gone("flow f-1", lambda: {"id": "f-1"}) == {"id": "f-1"}


def test_delete_already_gone_is_success() -> None:
    delete_or_gone("flow f-1", lambda: (_ for _ in ()).throw(missing("1101-404")), "nothing")
    with pytest.raises(NotFoundError):
        delete_or_gone("flow f-1", lambda: (_ for _ in ()).throw(missing(None)), "nothing")


def test_delete_in_use_says_what_to_delete_first_and_keeps_adobes_code() -> None:
    refused = ApiError("flows use it", status=400, code="1447-400", request_id="req-7")
    with pytest.raises(ConnectionInUseError) as info:
        delete_or_gone("source connection s-1", lambda: (_ for _ in ()).throw(refused), "dataflows")
    message = str(info.value)
    assert "source connection s-1" in message
    assert "dataflows still use it" in message
    assert "delete those first" in message
    assert (info.value.code, info.value.request_id) == ("1447-400", "req-7")


def test_created_since_requires_this_client_and_a_recent_time() -> None:
    assert created_since({"createdAt": NOW_MS, "createdClient": "me"}, "me", NOW_MS)
    assert not created_since({"createdAt": NOW_MS, "createdClient": "other"}, "me", NOW_MS)
    assert not created_since({"createdAt": NOW_MS - 1, "createdClient": "me"}, "me", NOW_MS)
    assert not created_since({"createdClient": "me"}, "me", NOW_MS)
    assert created_since({"created": NOW_MS}, None, NOW_MS, key="created")
