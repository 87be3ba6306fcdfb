"""The emulator's injectable clock: wall-clock time, or a time set or advanced through the control plane.

Token expiry, entity timestamps and the synthesized runs of scheduled dataflows all read it, so a test
moves time forward instead of sleeping.
"""

from __future__ import annotations

import threading
import time


class Clock:
    """Epoch seconds: real time plus an offset, or a frozen instant."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._frozen: float | None = None
        self._date_lag = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """The current emulator time in epoch seconds."""
        frozen = self._frozen
        return frozen if frozen is not None else time.time() + self._offset

    def now_ms(self) -> int:
        """The current emulator time in epoch milliseconds (Flow Service timestamps)."""
        return int(self.now() * 1000)

    def date_now(self) -> float:
        """The instant the gateway's ``Date`` header says: the clock, less the configured lag."""
        return self.now() - self._date_lag

    def lag_date(self, seconds: float) -> None:
        """Make ``Date`` lag the clock by ``seconds`` (a gateway that caches its date header)."""
        with self._lock:
            self._date_lag = float(seconds)

    def set(self, now: float) -> None:
        """Freeze the clock at ``now`` (epoch seconds)."""
        with self._lock:
            self._frozen = float(now)

    def advance(self, seconds: float) -> None:
        """Move the clock forward (frozen or not)."""
        with self._lock:
            if self._frozen is not None:
                self._frozen += seconds
            else:
                self._offset += seconds

    def real(self) -> None:
        """Go back to wall-clock time, with a ``Date`` that does not lag."""
        with self._lock:
            self._frozen, self._offset, self._date_lag = None, 0.0, 0.0

    def state(self) -> dict[str, float | bool]:
        """``{"now": epoch_s, "frozen": bool, "date_lag_s": seconds}``."""
        return {"now": self.now(), "frozen": self._frozen is not None, "date_lag_s": self._date_lag}
