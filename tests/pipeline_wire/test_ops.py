"""The shared lifecycle steps: reconcile-not-repeat on a lost create, 404 -> gone, in-use deletes.

``create_reconciled`` takes the POST and the lookup as functions, a retry policy whose sleep records
and an injected monotonic clock, so each outcome of a lost answer is driven exactly; the errors are
the ones the client raises. The window is the base connection's: the list answer's ``Date`` minus the
time elapsed since the POST was sent.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pulumi_aep.client import Json, Listing
from pulumi_aep.config import RetrySettings
from pulumi_aep.created_window import CLOCK_SLACK_MS, Lookup, create_reconciled
from pulumi_aep.errors import (
    ApiError,
    CreateOutcomeUnknownError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
)
from pulumi_aep.pipeline_ops import read_or_gone
from pulumi_aep.retry import RetryPolicy

#: The server's clock when it answers the list (``Date``), epoch ms.
SERVER_MS = 1_700_000_000_000
#: Seconds between sending the POST and the list's answer, on the injected monotonic clock.
IN_FLIGHT_S = 3.0


class Clock:
    """A monotonic clock that moves only when told (or by what the policy sleeps)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def posts(clock: Clock, *outcomes: Exception | str) -> tuple[Callable[[], str], list[int]]:
    """A POST that raises or returns each outcome in turn (taking ``IN_FLIGHT_S``), and its call count."""
    calls: list[int] = []

    def post() -> str:
        calls.append(1)
        clock.now += IN_FLIGHT_S
        outcome = outcomes[len(calls) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return post, calls


def item(id_: str, created_ms: int, client: str = "me", name: str = "f") -> Json:
    return {"id": id_, "name": name, "createdAt": created_ms, "createdClient": client}


def lookup(
    *listings: list[Json] | Exception, server_ms: int | None = SERVER_MS
) -> tuple[Lookup[str], list[bool]]:
    """A lookup answering each listing in turn (the last one repeats); records each ``resend`` flag."""
    sent: list[bool] = []

    def listing(resend: bool) -> Listing:
        sent.append(resend)
        answer = listings[min(len(sent), len(listings)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return Listing(list(answer), server_ms)

    def candidate(entry: Json) -> str | None:
        return str(entry["id"]) if entry.get("name") == "f" else None

    return Lookup(listing, candidate, "me", "find it with GET /flows?property=name==f"), sent


def reconcile(
    clock: Clock, post: Callable[[], str], find: Lookup[str], reconcile_s: float = 0.0, total: int = 4
) -> str:
    settings = RetrySettings(total=total, jitter=0.0, reconcile=reconcile_s)
    policy = RetryPolicy(settings, sleep=clock.sleep, jitter_source=lambda: 0.0)
    return create_reconciled(policy, "dataflow 'f'", post, find, clock=clock)


def lost() -> TransportError:
    return TransportError("reset", request_sent=None, kind="lost the connection before the answer")


def test_lost_answer_adopts_the_one_created_and_never_posts_again() -> None:
    clock = Clock()
    post, calls = posts(clock, lost(), "unused")
    find, sent = lookup([item("flow-1", SERVER_MS - 1000)])
    assert (reconcile(clock, post, find), len(calls), sent) == ("flow-1", 1, [False])


def test_a_same_named_entity_created_before_the_post_is_never_adopted() -> None:
    """Another stack's flow, made just before this POST was sent (by the server's clock), is not ours."""
    clock = Clock()
    post, calls = posts(clock, lost(), "flow-new")
    before = SERVER_MS - int(IN_FLIGHT_S * 1000) - CLOCK_SLACK_MS - 1
    find, _ = lookup([item("theirs", before)])
    assert reconcile(clock, post, find) == "flow-new"
    assert len(calls) == 2


def test_an_entity_stamped_after_a_lagging_date_is_still_found() -> None:
    """``Date`` has whole seconds and may be cached by the gateway: what the list shows was created
    before it was answered, however late its ``createdAt`` looks next to ``Date``. No second POST."""
    clock = Clock()
    post, calls = posts(clock, lost(), "unused")
    find, _ = lookup([item("flow-1", SERVER_MS + 3000)])
    assert reconcile(clock, post, find) == "flow-1"
    assert len(calls) == 1


def test_another_api_client_and_another_body_are_not_candidates() -> None:
    clock = Clock()
    post, calls = posts(clock, lost(), "flow-new")
    find, _ = lookup(
        [item("other-client", SERVER_MS, client="them"), item("other-name", SERVER_MS, name="g")]
    )
    assert reconcile(clock, post, find) == "flow-new"
    assert len(calls) == 2


def test_without_a_date_header_this_machines_clock_decides_loosely() -> None:
    clock = Clock()
    post, _ = posts(clock, lost(), "unused")
    import time

    find, _ = lookup([item("flow-1", int(time.time() * 1000) - 60_000)], server_ms=None)
    assert reconcile(clock, post, find) == "flow-1"


def test_a_create_applied_late_is_found_by_listing_again_within_the_budget() -> None:
    clock = Clock()
    post, calls = posts(clock, ServerError("gateway timeout", status=504), "unused")
    find, sent = lookup([], [], [item("late", SERVER_MS)])
    assert reconcile(clock, post, find, reconcile_s=10.0) == "late"
    assert (len(calls), sent, clock.sleeps) == (1, [False, False, False], [0.5, 1.0])


def test_5xx_with_nothing_created_lists_until_the_budget_then_posts_again() -> None:
    clock = Clock()
    post, calls = posts(clock, ServerError("boom", status=502), "flow-2")
    find, sent = lookup([])
    assert reconcile(clock, post, find, reconcile_s=4.0) == "flow-2"
    assert len(calls) == 2
    assert clock.sleeps == [0.5, 1.0, 2.0]  # the next wait (4 s) would pass the 4 s budget
    assert sent == [False, False, False, False]


def test_a_failed_list_is_looked_at_again_and_the_last_gets_a_reads_retries() -> None:
    clock = Clock()
    post, _ = posts(clock, lost(), "flow-2")
    find, sent = lookup(ServerError("list 503", status=503), [item("flow-1", SERVER_MS)])
    assert reconcile(clock, post, find) == "flow-1"
    assert sent == [False, True]


def test_the_last_list_failing_says_it_may_exist_and_how_to_find_it() -> None:
    clock = Clock()
    post, calls = posts(clock, lost())
    find, _ = lookup(ServerError("list 503", status=503, request_id="req-5"))
    with pytest.raises(CreateOutcomeUnknownError) as info:
        reconcile(clock, post, find)
    message = str(info.value)
    assert "creating dataflow 'f'" in message
    assert "may exist" in message
    assert "GET /flows?property=name==f" in message
    assert "list 503" in message
    assert isinstance(info.value.__cause__, ServerError)
    assert len(calls) == 1


def test_request_never_sent_posts_again_without_a_lookup() -> None:
    clock = Clock()
    post, calls = posts(clock, TransportError("refused", request_sent=False, kind="could not connect"), "f-3")
    find, sent = lookup(AssertionError("nothing was sent: no lookup"))
    assert reconcile(clock, post, find) == "f-3"
    assert (len(calls), sent, clock.sleeps) == (2, [], [0.5])


def test_throttled_create_waits_retry_after_then_posts_again() -> None:
    clock = Clock()
    throttled = RateLimitedError("slow down", status=429)
    throttled.retry_after = 7.0
    post, calls = posts(clock, throttled, "flow-4")
    find, sent = lookup(AssertionError("a 429 was not processed: no lookup"))
    assert reconcile(clock, post, find) == "flow-4"
    assert (clock.sleeps, len(calls), sent) == ([7.0], 2, [])


def test_several_candidates_is_an_error_naming_them() -> None:
    clock = Clock()
    post, calls = posts(clock, ServerError("boom", status=500))
    find, _ = lookup([item("a-1", SERVER_MS - 10), item("a-2", SERVER_MS)])
    with pytest.raises(CreateOutcomeUnknownError) as info:
        reconcile(clock, post, find)
    assert "a-1, a-2" in str(info.value)
    assert "adopted none" in str(info.value)
    assert info.value.candidate_ids == ("a-1", "a-2")
    assert len(calls) == 1


def test_lost_every_time_raises_the_last_error() -> None:
    clock = Clock()
    post, calls = posts(clock, *(ServerError(f"boom {i}", status=503) for i in range(10)))
    find, _ = lookup([])
    with pytest.raises(ServerError, match="boom 2"):
        reconcile(clock, post, find, total=2)
    assert len(calls) == 3


def test_a_client_error_is_never_reconciled() -> None:
    clock = Clock()
    post, calls = posts(clock, ApiError("bad body", status=400, code="1331-400"))
    find, sent = lookup([item("x", SERVER_MS)])
    with pytest.raises(ApiError, match="1331-400"):
        reconcile(clock, post, find)
    assert (len(calls), sent) == (1, [])


def test_a_failure_before_sending_is_raised_at_once() -> None:
    clock = Clock()
    unsent = lost()
    unsent.before_request = True
    post, calls = posts(clock, unsent)
    find, sent = lookup([item("x", SERVER_MS)])
    with pytest.raises(TransportError):
        reconcile(clock, post, find)
    assert (len(calls), sent) == (1, [])


def missing(code: str | None) -> NotFoundError:
    return NotFoundError("reading flow f-1", status=404, code=code, request_id="req-9")


def test_read_or_gone_only_for_a_404_about_the_entity() -> None:
    assert read_or_gone("flow f-1", lambda: (_ for _ in ()).throw(missing("1101-404"))) is None
    with pytest.raises(NotFoundError):  # a 404 of the gateway (wrong URL, sandbox) is not "gone"
        read_or_gone("flow f-1", lambda: (_ for _ in ()).throw(missing(None)))
    assert read_or_gone("flow f-1", lambda: {"id": "f-1"}) == {"id": "f-1"}
