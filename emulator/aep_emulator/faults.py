"""Fault rules, the request log and per-route counters of the control plane (plain Python, no HTTP)."""

from __future__ import annotations

import fnmatch
import itertools
import random
import threading
import time
from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from typing import Any

from aep_emulator import defaults

#: ``reset``: TCP reset, nothing applied. ``drop_response``: applied, then reset. ``apply_late``: the
#: write is applied ``latency_ms`` after it arrived while the client sees ``status`` at once (e.g. a
#: gateway 504) or, without a status, no answer (its read timeout fires first), then a reset.
ACTIONS = frozenset({"reset", "drop_response", "apply_late"})
#: How many requests the log keeps; older entries fall off.
LOG_SIZE = 10_000


@dataclass
class FaultRule:
    """Inject a fault into the next ``remaining`` requests matching ``method`` and ``path_pattern``.

    With ``probability`` below 1 each matching request gets the fault with that probability (drawn
    from a ``random.Random(seed)`` of its own, so a seeded rule gives the same sequence of draws).

    ``path_pattern`` is a glob matched against the full path and against the path below the Flow Service
    prefix, so ``/connections/*`` and ``/data/foundation/flowservice/connections/*`` both work.
    """

    id: int
    method: str
    path_pattern: str
    remaining: int
    status: int | None = None
    retry_after: int | None = None
    latency_ms: int | None = None
    action: str | None = None
    probability: float = 1.0
    seed: int | None = None
    _rng: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)  # noqa: S311 - fault injection, not cryptography

    def fires(self) -> bool:
        """Whether this matching request gets the fault (always, unless ``probability`` is below 1)."""
        return self.probability >= 1.0 or self._rng.random() < self.probability

    def matches(self, method: str, path: str) -> bool:
        """Whether the rule applies to a request."""
        if self.method not in ("*", method):
            return False
        short = path.removeprefix(defaults.FLOW_SERVICE_PREFIX) or "/"
        return fnmatch.fnmatchcase(path, self.path_pattern) or fnmatch.fnmatchcase(short, self.path_pattern)


class FaultPlan:
    """The active fault rules; each matching request consumes one use of the first matching rule."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(
        self,
        method: str,
        path_pattern: str,
        count: int,
        status: int | None = None,
        retry_after: int | None = None,
        latency_ms: int | None = None,
        action: str | None = None,
        probability: float = 1.0,
        seed: int | None = None,
    ) -> FaultRule:
        """Add a rule.

        Raises:
            ValueError: for a count below 1, an unknown action, a probability outside (0, 1], or a rule
                that does nothing.
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        if action is not None and action not in ACTIONS:
            raise ValueError(f"action must be one of {sorted(ACTIONS)}")
        if status is None and latency_ms is None and action is None:
            raise ValueError("a fault needs a status, a latency_ms or an action")
        if action == "apply_late" and not latency_ms:
            raise ValueError("apply_late needs latency_ms: how long after arriving the write is applied")
        if status is not None and not 100 <= status <= 599:
            raise ValueError("status must be an HTTP status code")
        if not 0.0 < probability <= 1.0:
            raise ValueError("probability must be above 0 and at most 1")
        rule = FaultRule(
            next(self._ids),
            method.upper(),
            path_pattern,
            count,
            status,
            retry_after,
            latency_ms,
            action,
            probability,
            seed,
        )
        with self._lock:
            self._rules.append(rule)
        return rule

    def take(self, method: str, path: str) -> FaultRule | None:
        """Consume and return the first rule matching the request, or None."""
        if not self._rules:
            return None
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path) and rule.fires():
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        self._rules.remove(rule)
                    return rule
        return None

    def rules(self) -> list[dict[str, Any]]:
        """The active rules, JSON-ready."""
        with self._lock:
            return [{k: v for k, v in asdict(r).items() if k != "_rng"} for r in self._rules]

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()


class RequestLog:
    """A bounded log of the requests served, and how many each route served."""

    def __init__(self) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=LOG_SIZE)
        self._counters: Counter[str] = Counter()

    def record(
        self, method: str, path: str, query: str, route: str, status: int, started: float, fault: int | None
    ) -> None:
        """Add one served request."""
        self._counters[f"{method} {route}"] += 1
        now, elapsed = time.time(), time.perf_counter() - started
        self._entries.append(
            {
                "time": now,
                "received": now - elapsed,
                "method": method,
                "path": path,
                "query": query,
                "route": route,
                "status": status,
                "duration_ms": round(elapsed * 1000, 3),
                "fault": fault,
            }
        )

    def entries(self) -> list[dict[str, Any]]:
        """The logged requests, oldest first."""
        return list(self._entries)

    def counters(self) -> dict[str, int]:
        """Requests served per ``"METHOD /route/{template}"``."""
        return dict(self._counters)

    def clear(self) -> None:
        """Empty the log and the counters."""
        self._entries.clear()
        self._counters.clear()
