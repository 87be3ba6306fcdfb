"""The lifecycle steps every pipeline entity shares: create with reconcile-not-repeat, read, patch, delete.

Flow Service entities (source and target connections, flows) and Catalog datasets alike:
- a create whose outcome is unknown (no answer after sending, or 5xx) is reconciled by the base
  connection's rule (``pulumi_aep.created_window``): list what matches the POSTed body, made by this
  API client while the POST was in flight by the server's clock, again and again up to
  ``aep:reconcileSeconds``; one is adopted, none means the POST did not land and it is sent again,
  several is an error naming them, a failing last list an error saying how to find what may exist;
  a 429 or a connection never established is resent after the policy's wait (it was not processed);
- a 404 means "gone" only with a code saying the entity itself does not exist (``is_missing_connection``);
- a delete refused because something still uses the entity (1418, 1447) says what to delete first.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

from pulumi_aep.client import Json, Listing
from pulumi_aep.created_window import (
    handled_at,
    in_flight_window,
    listing_failed,
    look_until_found,
    not_processed,
    several_candidates,
)
from pulumi_aep.errors import (
    AepError,
    CreateOutcomeUnknownError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
)
from pulumi_aep.operations import is_missing_connection
from pulumi_aep.retry import RetryPolicy

log = logging.getLogger(__name__)

#: Adobe's codes for "something still uses this entity": a flow uses a base connection (1418), a flow
#: uses a source/target connection or a target connection writes to a dataset (1447).
IN_USE_CODES: Final = ("1418", "1447")

_T = TypeVar("_T")


@dataclass(frozen=True)
class Lookup(Generic[_T]):
    """How to find what a create whose answer was lost may have made.

    Attributes:
        listing: lists the entities of the POSTed name with the server's clock; ``listing(False)``
            sends each page once, ``listing(True)`` with a read's retries.
        candidate: the entity as the create would have answered it when the listed item is what the
            POSTed body creates (name, references, parameters), else None; time and client are checked here.
        client_id: the API client (``createdClient``); None when unknown.
        created_key: the item's creation time (epoch ms): ``createdAt`` (Flow Service), ``created`` (Catalog).
        hint: where a person finds it (the list request, or the AEP UI page).
    """

    listing: Callable[[bool], Listing]
    candidate: Callable[[Json], _T | None]
    client_id: str | None
    hint: str
    created_key: str = "createdAt"

    def found(
        self, resend: bool, started: float, clock: Callable[[], float], handled_ms: int | None = None
    ) -> list[_T]:
        """The candidates the server created while it handled the POST sent at ``started``.

        ``handled_ms``: when Flow Service finished handling it (``created_window.handled_at``), if known.
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
    """``post()``; when its outcome is unknown, reconcile by ``lookup`` instead of posting again.

    At most ``policy.attempts`` POSTs in all; every wait is the policy's.

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
                lambda failure: may_exist(label, lookup, failure),
            )
            if len(found) > 1:
                raise ambiguous(label, [_ident(f) for f in found]) from exc
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


def ambiguous(label: str, ids: list[str]) -> CreateOutcomeUnknownError:
    """Several entities may be the one this attempt created."""
    return several_candidates(
        f"creating {label}",
        "entities",
        ids,
        "Delete the extras (or import the one that is yours with `pulumi import`)",
    )


def may_exist(label: str, lookup: Lookup[_T], failure: AepError) -> CreateOutcomeUnknownError:
    """The create may have been applied and listing could not tell."""
    return listing_failed(
        f"creating {label}",
        "the collection",
        failure,
        lookup.hint,
        "delete it (or import it with `pulumi import`)",
    )


def read_or_gone(label: str, get: Callable[[], _T]) -> _T | None:
    """``get()``, or None when a 404 says the entity itself is gone (any other 404 is raised)."""
    try:
        return get()
    except NotFoundError as exc:
        if not is_missing_connection(exc):
            raise
        log.info("%s is gone", label)
        return None
