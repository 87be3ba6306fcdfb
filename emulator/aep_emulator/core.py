"""The emulator's state in one object: config, clock, IMS tokens, Flow Service backends, faults, persistence."""

from __future__ import annotations

from pathlib import Path

from aep_emulator.backend import FlowBackend
from aep_emulator.clock import Clock
from aep_emulator.config import EmulatorConfig
from aep_emulator.explore import Explorer
from aep_emulator.faults import FaultPlan, RequestLog
from aep_emulator.gateway import Gateway
from aep_emulator.ims import TokenStore
from aep_emulator.inflight import InFlightGauge
from aep_emulator.persistence import StateFile
from aep_emulator.pipeline import Pipeline
from aep_emulator.siblings import Siblings


class Emulator:
    """Everything one running emulator holds; the web layer reaches it through ``app.state.emulator``."""

    def __init__(self, config: EmulatorConfig | None = None, state_file: str | Path | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.clock = Clock()
        self.tokens = TokenStore(self.config, clock=self.clock.now)
        self.backend = FlowBackend(self.config)
        self.siblings = Siblings(self.clock, self.config.block_referenced_deletes)
        self.pipeline = Pipeline(self.config, self.clock, self.backend, self.siblings)
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
                self.pipeline.load(saved.get("pipeline", {}))
                self.siblings.load(saved.get("siblings", {}))
                self.tokens.load(saved.get("tokens", []))
            self.backend.on_change = self.save
            self.pipeline.on_change = self.save
            self.tokens.on_change = self.save

    def save(self) -> None:
        """Write the state file, when there is one (atomically)."""
        if self.state_file is not None:
            with self.pipeline.lock:
                state = {
                    "backend": self.backend.dump(),
                    "pipeline": self.pipeline.dump(),
                    "siblings": self.siblings.dump(),
                    "tokens": self.tokens.dump(),
                }
            self.state_file.save(state)

    def reset(self, tokens: bool = False) -> None:
        """Forget every entity, flow marks, faults, the log, counters, in-flight marks, clock changes (tokens too if asked)."""
        with self.pipeline.lock:
            self.pipeline.reset()
            self.siblings.load({})
            self.backend.reset()
        self.faults.clear()
        self.log.clear()
        self.inflight.reset()
        self.clock.real()
        if tokens:
            self.tokens.clear()
            self.save()
