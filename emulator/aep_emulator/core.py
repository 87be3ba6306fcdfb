"""The emulator's state in one object: config, IMS tokens, Flow Service backend, faults, log, persistence."""

from __future__ import annotations

from pathlib import Path

from aep_emulator.backend import FlowBackend
from aep_emulator.config import EmulatorConfig
from aep_emulator.explore import Explorer
from aep_emulator.faults import FaultPlan, RequestLog
from aep_emulator.gateway import Gateway
from aep_emulator.ims import TokenStore
from aep_emulator.inflight import InFlightGauge
from aep_emulator.persistence import StateFile


class Emulator:
    """Everything one running emulator holds; the web layer reaches it through ``app.state.emulator``."""

    def __init__(self, config: EmulatorConfig | None = None, state_file: str | Path | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.tokens = TokenStore(self.config)
        self.backend = FlowBackend(self.config)
        self.gateway = Gateway(self.config, self.tokens)
        self.explorer = Explorer()
        self.faults = FaultPlan()
        self.log = RequestLog()
        self.inflight = InFlightGauge()
        self.state_file = StateFile(state_file) if state_file is not None else None
        if self.state_file is not None:
            saved = self.state_file.load()
            if saved is not None:
                self.backend.load(saved.get("backend", {}))
                self.tokens.load(saved.get("tokens", []))
            self.backend.on_change = self.save
            self.tokens.on_change = self.save

    def save(self) -> None:
        """Write the state file, when there is one (atomically)."""
        if self.state_file is not None:
            self.state_file.save({"backend": self.backend.dump(), "tokens": self.tokens.dump()})

    def reset(self, tokens: bool = False) -> None:
        """Forget connections, flow marks, faults, the log, counters and in-flight marks (tokens if asked)."""
        self.backend.reset()
        self.faults.clear()
        self.log.clear()
        self.inflight.reset()
        if tokens:
            self.tokens.clear()
            self.save()
