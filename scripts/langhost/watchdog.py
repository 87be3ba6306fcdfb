"""Notice when the process that started us dies, so nothing we run outlives a killed CLI.

Standard library only: `run_module` and `exec_program` load it by path in the program's interpreter.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

# How often to look; a second is plenty for cleaning up after a crash.
_POLL_SECONDS = 1.0


def watch_parent(on_orphaned: Callable[[], None]) -> threading.Thread:
    """Call `on_orphaned` (from a daemon thread) once our parent process has exited.

    Args:
        on_orphaned: What to do then, e.g. stop serving or `os._exit`.

    Returns:
        The started watcher thread.
    """
    parent = os.getppid()

    def _watch() -> None:
        while os.getppid() == parent:
            time.sleep(_POLL_SECONDS)
        on_orphaned()

    thread = threading.Thread(target=_watch, name="parent-watchdog", daemon=True)
    thread.start()
    return thread
