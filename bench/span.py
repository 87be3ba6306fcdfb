"""The span of the provider's API work, from the emulator's request log: the time "the same work" takes.

The span of an ``up`` runs from the first createConnection request the emulator received to the last one it
answered. It leaves out what every setup shares and no provider can shorten (CLI start, program run, plugin
start, state writes) and keeps what the provider decides: how many creates it sends at once, and how soon.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from aep_emulator import defaults

#: The request log's route for createConnection (POST).
CREATE_ROUTE = defaults.FLOW_SERVICE_PREFIX + "/connections"


def create_span(
    entries: list[dict[str, Any]], since: float, until: float, routes: Collection[str] = (CREATE_ROUTE,)
) -> float | None:
    """Seconds from the first create received to the last answered, among those within [since, until].

    ``entries`` is the emulator's request log (``received`` and ``time`` are epoch seconds); a create is a
    POST on one of ``routes`` (default createConnection). None when no create was served in the window
    (the no-ops make no call).
    """
    creates = _creates(entries, since, until, routes)
    if not creates:
        return None
    return float(max(e["time"] for e in creates) - min(e["received"] for e in creates))


def most_at_once(
    entries: list[dict[str, Any]], since: float, until: float, routes: Collection[str] = (CREATE_ROUTE,)
) -> int:
    """The most creates (as :func:`create_span` counts them) the emulator was serving at one time.

    A create is being served from ``received`` to ``time``; one answered as another is received
    does not overlap it.
    """
    edges = sorted(
        edge
        for e in _creates(entries, since, until, routes)
        for edge in ((e["received"], 1), (e["time"], -1))
    )
    most = now = 0
    for _, step in edges:  # at one instant the answer (-1) sorts before the next receipt (+1)
        now += step
        most = max(most, now)
    return most


def _creates(
    entries: list[dict[str, Any]], since: float, until: float, routes: Collection[str]
) -> list[dict[str, Any]]:
    return [
        e
        for e in entries
        if e["method"] == "POST" and e["route"] in routes and e["received"] >= since and e["time"] <= until
    ]
