"""In-flight gauge of the control plane: requests being served now, and the high-water mark, per operation.

Plain Python, no HTTP. The middleware enters the gauge before any injected latency is waited, so a request
sleeping in an injected delay counts as in flight.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class InFlightGauge:
    """Per-operation counts of the requests being served and the most served at once since the last reset."""

    def __init__(self) -> None:
        self._current: dict[str, int] = {}
        self._max: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def serving(self, operation: str) -> Iterator[None]:
        """Count one request of ``operation`` as in flight for the duration of the ``with`` block."""
        with self._lock:
            now = self._current.get(operation, 0) + 1
            self._current[operation] = now
            self._max[operation] = max(self._max.get(operation, 0), now)
        try:
            yield
        finally:
            with self._lock:
                self._current[operation] -= 1

    def snapshot(self) -> dict[str, dict[str, int]]:
        """``{operation: {"current": n, "max": m}}`` for every operation seen since the last reset."""
        with self._lock:
            return {op: {"current": self._current.get(op, 0), "max": m} for op, m in self._max.items()}

    def reset(self) -> None:
        """Forget the high-water marks; requests still being served stay counted."""
        with self._lock:
            self._current = {op: n for op, n in self._current.items() if n > 0}
            self._max = dict(self._current)
