"""The span of the provider's API work, from the emulator's request log: the time "the same work" takes.

The span of an ``up`` runs from the first createConnection request the emulator received to the last one it
answered. It leaves out what every setup shares and no provider can shorten (CLI start, program run, plugin
start, state writes) and keeps what the provider decides: how many creates it sends at once, and how soon.
"""

from __future__ import annotations

from typing import Any

from aep_emulator import defaults

#: The request log's route for createConnection (POST).
CREATE_ROUTE = defaults.FLOW_SERVICE_PREFIX + "/connections"


def create_span(entries: list[dict[str, Any]], since: float, until: float) -> float | None:
    """Seconds from the first create received to the last answered, among those within [since, until].

    ``entries`` is the emulator's request log (``received`` and ``time`` are epoch seconds); None when no
    create was served in the window (the no-ops make no call).
    """
    creates = [
        e
        for e in entries
        if e["method"] == "POST"
        and e["route"] == CREATE_ROUTE
        and e["received"] >= since
        and e["time"] <= until
    ]
    if not creates:
        return None
    return float(max(e["time"] for e in creates) - min(e["received"] for e in creates))
