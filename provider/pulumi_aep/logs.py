"""Logging of a provider process at the engine's verbosity (both faces).

``pulumi up -v=9 --logtostderr --logflow`` starts every provider plugin with ``--logtostderr -v=9``
(without ``--logflow`` a plugin gets neither flag). The engine shows what a plugin writes to stderr as
diagnostics, so these logs are in the CLI's output. From :data:`DEBUG_VERBOSITY` on (the level at which
the engine logs its own gRPC calls) the provider logs each call it serves and urllib3 each HTTP request;
below, information and warnings only. Nothing logged here may hold a secret: messages name resources,
URLs and statuses, never property values (the secret scans of ``tests/faces`` read them).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

#: ``-v`` from which calls and HTTP requests are logged (the engine's own gRPC call logs start at 7).
DEBUG_VERBOSITY: Final = 7


@dataclass(frozen=True)
class Verbosity:
    """The logging flags the engine passed: ``--logtostderr`` and ``-v=N`` (glog's spellings)."""

    to_stderr: bool = False
    level: int = 0

    @classmethod
    def parse(cls, argv: Sequence[str]) -> Verbosity:
        """Read ``--logtostderr`` and ``-v=N``/``--v=N``/``-v N`` from ``argv``; other arguments are ignored."""
        to_stderr, level = False, 0
        for i, arg in enumerate(argv):
            name, _, value = arg.lstrip("-").partition("=")
            if not arg.startswith("-"):
                continue
            if name == "logtostderr":
                to_stderr = value.lower() not in {"false", "0"}
            elif name in {"v", "verbose"}:
                if not value and i + 1 < len(argv):
                    value = argv[i + 1]
                level = int(value) if value.isdigit() else level
        return cls(to_stderr, level)

    @property
    def python_level(self) -> int:
        """The ``logging`` level these flags ask for."""
        return logging.DEBUG if self.level >= DEBUG_VERBOSITY else logging.INFO


def configure(argv: Sequence[str]) -> Verbosity:
    """Send this process's logs to stderr at the verbosity in ``argv``, once (later calls do nothing).

    Without ``--logtostderr`` nothing is configured: only warnings reach stderr (Python's default).
    """
    verbosity = Verbosity.parse(argv)
    root = logging.getLogger()
    if verbosity.to_stderr and not any(getattr(h, _OURS, False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        setattr(handler, _OURS, True)
        root.addHandler(handler)
        root.setLevel(verbosity.python_level)
    return verbosity


_OURS: Final = "_pulumi_aep_handler"
