"""Reconciling a create whose outcome is unknown: find the connection this attempt made, or nothing.

The rule: never adopt a connection this attempt did not create. A candidate must match what was
POSTed (name, spec id and version, auth type, non-secret params, API client) and have been created
by the server while the POST was in flight: not before it was sent, by the server's own clock (see
``pulumi_aep.created_window``: the ``Date`` header of the list answer minus the time elapsed since
the POST was sent; no upper bound), so a same-named connection made earlier (another stack's) falls
outside it. When more than one candidate remains, nobody can tell which is ours: stop and name them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from pulumi_aep.client import ConnectionRef, FlowServiceClient, Json
from pulumi_aep.created_window import (
    CLOCK_SLACK_MS,
    LOCAL_SKEW_MS,
    in_flight_window,
    listing_failed,
    look_until_found,
    several_candidates,
)
from pulumi_aep.errors import AepError, CreateOutcomeUnknownError
from pulumi_aep.model import AZURE_BLOB_SPEC_ID, SECRET_PARAMS, auth_from_spec_name

log = logging.getLogger(__name__)

#: The window's numbers (re-exported) live in ``pulumi_aep.created_window``, shared with the pipeline.
__all__ = [
    "CLOCK_SLACK_MS",
    "LOCAL_SKEW_MS",
    "Attempt",
    "ambiguous",
    "find_created",
    "looks_like",
    "may_exist",
    "reconcile",
]


@dataclass(frozen=True)
class Attempt:
    """One POST: what was sent, and when (``time.monotonic`` seconds, before sending)."""

    sandbox: str
    body: Json
    started: float
    #: When Flow Service finished handling the POST (``created_window.handled_at``), if it answered.
    handled_ms: int | None = None

    @property
    def name(self) -> str:
        return str(self.body["name"])

    def what(self) -> str:
        return f"creating connection {self.name!r} in sandbox {self.sandbox!r}"


def reconcile(
    client: FlowServiceClient, attempt: Attempt, clock: Callable[[], float] = time.monotonic
) -> ConnectionRef | None:
    """The connection ``attempt`` created, or None when none appeared within ``aep:reconcileSeconds``.

    Lists, and while nothing is found waits (the retry policy's backoff) and lists again, so a
    create the platform applies late is still found before anything is sent again.

    Raises:
        CreateOutcomeUnknownError: several candidates, or the last list failed: a connection may exist.
    """
    found = look_until_found(
        client.policy,
        lambda resend: find_created(client, attempt, clock, resend=resend),
        attempt.what(),
        lambda failure: may_exist(attempt, failure),
    )
    return _one(attempt, found) if found else None


def _one(attempt: Attempt, found: list[ConnectionRef]) -> ConnectionRef:
    if len(found) > 1:
        raise ambiguous(attempt, [r.id for r in found])
    log.warning("%s: adopting %s, created by the attempt whose answer was lost", attempt.what(), found[0].id)
    return found[0]


def find_created(
    client: FlowServiceClient,
    attempt: Attempt,
    clock: Callable[[], float] = time.monotonic,
    *,
    resend: bool = False,
) -> list[ConnectionRef]:
    """Connections matching ``attempt.body`` that the server created while it handled the POST."""
    name = attempt.name
    # A comma makes ``name==a, b`` mean "name is a or b": filter on the spec, compare names here.
    filters = {"connectionSpec.id": AZURE_BLOB_SPEC_ID} if "," in name else {"name": name}
    # Sent once by default: ``reconcile`` spaces its lists by the retry policy (budgets do not multiply).
    listing = client.list_connections_dated(attempt.sandbox, filters, resend=resend)
    window = in_flight_window(listing.server_ms, attempt.started, clock, handled_ms=attempt.handled_ms)
    return [
        ConnectionRef(id=str(c["id"]), etag=str(c.get("etag") or ""))
        for c in listing.items
        if c.get("id")
        and looks_like(c, attempt.body)
        and (client.client_id is None or c.get("createdClient") in (None, client.client_id))
        and window.holds(c)
    ]


def looks_like(connection: Json, body: Json) -> bool:
    """Same name, spec id and version, auth type and non-secret params as the POSTed body."""
    spec, want_spec = connection.get("connectionSpec") or {}, body["connectionSpec"]
    auth, want_auth = connection.get("auth") or {}, body["auth"]
    params = auth.get("params") or {}
    return (
        connection.get("name") == body["name"]
        and (spec.get("id"), spec.get("version")) == (want_spec["id"], want_spec["version"])
        and auth_from_spec_name(connection) == auth_from_spec_name(body)
        and all(params.get(k) == v for k, v in want_auth["params"].items() if k not in SECRET_PARAMS)
    )


def _find_hint(attempt: Attempt) -> str:
    return (
        f"find it with GET /connections?property=name=={attempt.name} in sandbox {attempt.sandbox!r} "
        "(or Sources > Accounts in the AEP UI)"
    )


def ambiguous(attempt: Attempt, ids: list[str]) -> CreateOutcomeUnknownError:
    """Several connections may be the one this attempt created."""
    return several_candidates(
        attempt.what(),
        "connections",
        ids,
        "Set adopt_existing_id to the one that is yours (the others belong to whoever else created them "
        "at the same time, or delete the extras)",
    )


def may_exist(attempt: Attempt, failure: AepError) -> CreateOutcomeUnknownError:
    """The create may have been applied and listing could not tell."""
    return listing_failed(
        attempt.what(),
        "connections",
        failure,
        _find_hint(attempt),
        "set adopt_existing_id to its id (or delete it)",
    )
