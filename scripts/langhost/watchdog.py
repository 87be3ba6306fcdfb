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


def watch_parent(
    on_orphaned: Callable[[], None],
    *,
    getppid: Callable[[], int] = os.getppid,
    sleep: Callable[[float], None] = time.sleep,
) -> threading.Thread:
    """Call `on_orphaned` (from a daemon thread) once our parent process has exited.

    Args:
        on_orphaned: What to do then, e.g. stop serving or `os._exit`.
        getppid: Our parent's pid now (injected by tests, as is `sleep`).
        sleep: Waits between two looks.

    Returns:
        The started watcher thread.
    """
    parent = getppid()

    def _watch() -> None:
        while getppid() == parent:
            sleep(_POLL_SECONDS)
        on_orphaned()

    thread = threading.Thread(target=_watch, name="parent-watchdog", daemon=True)
    thread.start()
    return thread
