"""The rule every reconcile of a lost create follows: when the server created something, and how long to look.

A create whose answer was lost is reconciled by listing what matches the POSTed body. A candidate
must have been created by the server while the POST was being handled: the window comes from the
server's own clock (the ``Date`` header of the list answer, minus the time elapsed since the POST
was sent, plus slack), never from this machine's clock, so a same-named entity made earlier
(another stack's) falls outside it.

The window's end depends on how the POST failed. When Flow Service itself answered 500 or 503, it
had finished handling the request: an entity it made is stamped no later than that answer's
``Date`` (whole seconds, so one second more, plus slack), and a same-named entity made after it
(another stack creating at the same moment) is not this attempt's. When no answer came, or a
gateway gave up (502, 504, a timeout), the platform may still apply the POST later, so the window
stays open: a bound there would hide the very entity being looked for and send the create again
(the chaos run found that duplicate). Names keep the open case safe: a resource declared without a
``name`` gets ``<resource name>-<suffix>`` (``pulumi_aep.naming``), so another stack's entities do
not match it. Lists are spaced by the one retry policy's waits for up to ``aep:reconcileSeconds``,
so a create the platform applies late is still found before anything is sent again; the last list
gets a read's full retry budget. Base connections (``pulumi_aep.reconcile``) and pipeline entities
(``pulumi_aep.pipeline_ops``) share it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from pulumi_aep.errors import (
    AepError,
    CreateOutcomeUnknownError,
    RateLimitedError,
    ServerError,
    TransportError,
)
from pulumi_aep.retry import RetryPolicy

log = logging.getLogger(__name__)

#: Allowance between the gateway's clock (``Date``) and the clock that stamps ``createdAt``.
CLOCK_SLACK_MS: Final = 500
#: Without a ``Date`` header (not Adobe's gateway) fall back to this machine's clock, this loosely.
LOCAL_SKEW_MS: Final = 120_000
#: ``Date`` has whole seconds: an answer dated ``T`` was given before ``T`` + 1 s.
DATE_RESOLUTION_MS: Final = 1_000
#: Answers from Flow Service that it gives once it has finished handling the request (internal
#: error, service unavailable). 502 and 504 come from gateways that stopped waiting for it.
HANDLED_STATUSES: Final = frozenset({500, 503})
#: A safety stop on the number of lists one reconcile sends (the time budget ends it long before).
MAX_LOOKS: Final = 1_000

_T = TypeVar("_T")


@dataclass(frozen=True)
class Window:
    """Creation times (epoch ms) an entity made by the lost POST can have: ``low`` to ``high`` (None: open)."""

    low: int
    high: int | None = None

    def holds(self, item: Mapping[str, Any], key: str = "createdAt") -> bool:
        """``item[key]`` is a time within the window (a missing or bad time is not)."""
        try:
            created = int(item.get(key) or 0)
        except (TypeError, ValueError):
            return False
        return created >= self.low and (self.high is None or created <= self.high)


def handled_at(failure: AepError | None) -> int | None:
    """When Flow Service finished handling a failed POST (its answer's ``Date``), or None if unknown.

    Known only for a 500 or 503 that carried a ``Date``; any other failure may still be applied later.
    """
    if isinstance(failure, ServerError) and failure.status in HANDLED_STATUSES:
        return failure.answered_ms
    return None


def in_flight_window(
    server_ms: int | None,
    started: float,
    clock: Callable[[], float] = time.monotonic,
    wall_ms: Callable[[], int] = lambda: int(time.time() * 1000),
    *,
    handled_ms: int | None = None,
) -> Window:
    """The window of a POST sent at ``started`` (``clock`` seconds), seen by a list answered at ``server_ms``.

    Args:
        server_ms: the list answer's ``Date`` (epoch ms), or None without one.
        started: ``clock()`` just before the POST was sent.
        clock: the monotonic clock ``started`` was read from.
        wall_ms: this machine's clock, used (loosely) only without a ``Date``.
        handled_ms: when Flow Service finished handling the POST (``handled_at``), closing the window.
    """
    elapsed_ms = int((clock() - started) * 1000)
    high = None if handled_ms is None else handled_ms + DATE_RESOLUTION_MS + CLOCK_SLACK_MS
    if server_ms is None:
        return Window(wall_ms() - elapsed_ms - LOCAL_SKEW_MS, high)
    return Window(server_ms - elapsed_ms - CLOCK_SLACK_MS, high)


def look_until_found(
    policy: RetryPolicy,
    look: Callable[[bool], list[_T]],
    what: str,
    may_exist: Callable[[AepError], AepError],
) -> list[_T]:
    """The candidates ``look`` finds, listing again (the policy's waits) while none appear.

    ``look(resend)`` lists once (``resend=False``: this loop spaces the lists, so budgets do not
    multiply) or with a read's retries (``resend=True``, the last look). A failing list is logged
    and looked at again; when the last look fails too, ``may_exist(error)`` is raised.

    Returns:
        what the last successful look found (empty: nothing was created within the budget).
    """
    waited, found = 0.0, None
    for n in range(MAX_LOOKS):
        try:
            found = look(False)
        except AepError as exc:
            log.warning("%s: reconciling failed to list (%s)", what, type(exc).__name__)
            found = None
        if found:
            return found
        wait = policy.wait_seconds(n)
        if waited + wait > policy.settings.reconcile:
            break
        policy.sleep(wait)
        waited += wait
    if found is not None:
        return found
    # The last look decides: give it the full retry budget of a read, so one failed list is not fatal.
    try:
        return look(True)
    except AepError as exc:
        raise may_exist(exc) from exc


def not_processed(exc: AepError) -> bool:
    """A 429, or a connection that was never established: the POST certainly was not applied."""
    return isinstance(exc, RateLimitedError) or (
        isinstance(exc, TransportError) and exc.request_sent is False
    )


def several_candidates(what: str, kind: str, ids: list[str], way_out: str) -> CreateOutcomeUnknownError:
    """Several ``kind`` were created while the POST was in flight: any may be this attempt's, so none is
    adopted. ``way_out`` says how the user picks theirs (it ends before ", then run again")."""
    return CreateOutcomeUnknownError(
        f"{what}: the answer was lost and {len(ids)} matching {kind} were created while it was in flight "
        f"({', '.join(ids)}); Pulumi cannot tell which one is this resource's, so it adopted none. "
        f"{way_out}, then run `pulumi up` again",
        candidate_ids=tuple(ids),
    )


def listing_failed(
    what: str, kind: str, failure: AepError, hint: str, way_out: str
) -> CreateOutcomeUnknownError:
    """The create may have been applied and listing ``kind`` could not tell: say how to find it
    (``hint``) and what to do if it is there (``way_out``)."""
    return CreateOutcomeUnknownError(
        f"{what}: the answer was lost and listing {kind} to find it failed too ({failure}), so it may "
        f"exist: {hint}; if it is there, {way_out}, then run again; running again without doing so may "
        "create a second one"
    )
