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
(``pulumi_aep.pipeline_lifecycle``) share it, and the one create loop that applies it
(``create_reconciled``), each with its own ``Lookup``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar

from pulumi_aep.client import Json, Listing
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
#: A safety stop on the number of lists one reconcile sends (the time budget ends it long before).
MAX_LOOKS: Final = 1_000
#: ``Date`` has whole seconds: an answer dated ``T`` was given before ``T`` + 1 s.
DATE_RESOLUTION_MS: Final = 1_000
#: Answers from Flow Service that it gives once it has finished handling the request (internal
#: error, service unavailable). 502 and 504 come from gateways that stopped waiting for it.
HANDLED_STATUSES: Final = frozenset({500, 503})

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


@dataclass(frozen=True)
class Lookup(Generic[_T]):
    """How to find what a create whose answer was lost may have made.

    Attributes:
        listing: lists the entities of the POSTed name with the server's clock; ``listing(False)``
            sends each page once, ``listing(True)`` with a read's retries.
        candidate: the entity as the create would have answered it when the listed item is what the
            POSTed body creates (name, references, parameters), else None; time and client are checked here.
        client_id: the API client (``createdClient``); None when unknown.
        hint: where a person finds it (the list request, or the AEP UI page).
        created_key: the item's creation time (epoch ms): ``createdAt`` (Flow Service), ``created`` (Catalog).
        kind: what is listed, in messages ("entities", "connections").
        pick: how the user picks theirs among several candidates (ends before ", then run ...").
        if_there: what the user does with one that may exist (ends before ", then run again").
    """

    listing: Callable[[bool], Listing]
    candidate: Callable[[Json], _T | None]
    client_id: str | None
    hint: str
    created_key: str = "createdAt"
    kind: str = "entities"
    pick: str = "Delete the extras (or import the one that is yours with `pulumi import`)"
    if_there: str = "delete it (or import it with `pulumi import`)"

    def found(
        self, resend: bool, started: float, clock: Callable[[], float], handled_ms: int | None = None
    ) -> list[_T]:
        """The candidates the server created while it handled the POST sent at ``started``.

        ``handled_ms``: when Flow Service finished handling it (``handled_at``), if known.
        """
        listing = self.listing(resend)
        window = in_flight_window(listing.server_ms, started, clock, handled_ms=handled_ms)
        return [
            ref
            for item in listing.items
            if window.holds(item, self.created_key)
            and (self.client_id is None or item.get("createdClient") in (None, self.client_id))
            and (ref := self.candidate(item)) is not None
        ]


def create_reconciled(
    policy: RetryPolicy,
    label: str,
    post: Callable[[], _T],
    lookup: Lookup[_T],
    clock: Callable[[], float] = time.monotonic,
) -> _T:
    """``post()``; when its outcome is unknown (no answer after sending, or 5xx), reconcile by ``lookup``
    instead of posting again: one found is adopted, none means it is sent again, several (or a failing
    last list) stop with an error naming what may exist. A 429 or a connection never established was
    not processed: it is sent again after the policy's wait. At most ``policy.attempts`` POSTs in all.

    Raises:
        AepError: the create failed (the last error), or failed before sending.
        CreateOutcomeUnknownError: several candidates exist (named), or the last list failed.
    """
    what = f"creating {label}"
    for n in range(policy.attempts):
        started = clock()
        try:
            return post()
        except (RateLimitedError, TransportError, ServerError) as exc:
            last = n + 1 >= policy.attempts
            if exc.before_request or (last and not_processed(exc)):
                raise
            if not_processed(exc):
                retry_after = exc.retry_after if isinstance(exc, RateLimitedError) else None
                cause = exc.kind if isinstance(exc, TransportError) else "throttled (429)"
                policy.pause(n, what, cause, retry_after)
                continue
            log.warning("%s: outcome unknown (%s); reconciling", what, type(exc).__name__)
            handled = handled_at(exc)
            found = look_until_found(
                policy,
                lambda resend: lookup.found(resend, started, clock, handled),  # noqa: B023 - called at once
                what,
                lambda failure: listing_failed(what, lookup.kind, failure, lookup.hint, lookup.if_there),
            )
            if len(found) > 1:
                raise several_candidates(what, lookup.kind, [_ident(f) for f in found], lookup.pick) from exc
            if found:
                log.warning(
                    "%s: adopting %s, created by the attempt whose answer was lost", what, _ident(found[0])
                )
                return found[0]
            if last:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


def _ident(found: object) -> str:
    return str(getattr(found, "id", found))
