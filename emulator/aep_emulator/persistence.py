"""Optional state file: a JSON snapshot written atomically after every write, read back on start."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any


class StateFile:
    """A JSON state file; a save never leaves a half-written file behind (temp file, fsync, rename)."""

    VERSION = 1

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def load(self) -> dict[str, Any] | None:
        """Return the saved state, or None when there is no file yet.

        Raises:
            ValueError: when the file is not a state file of this version.
        """
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        if not isinstance(data, dict) or data.get("version") != self.VERSION:
            raise ValueError(f"{self.path} is not an aep-emulator state file (version {self.VERSION})")
        state: dict[str, Any] = data.get("state", {})
        return state

    def save(self, state: dict[str, Any]) -> None:
        """Replace the file with ``state``, atomically."""
        payload = json.dumps({"version": self.VERSION, "state": state}, indent=1).encode()
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(payload)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
