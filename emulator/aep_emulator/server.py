"""Run the emulator with uvicorn: in a background thread for tests (port 0 works), or in the foreground."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from aep_emulator import defaults
from aep_emulator.app import create_app
from aep_emulator.config import EmulatorConfig
from aep_emulator.control import ControlClient
from aep_emulator.core import Emulator

#: Seconds to wait for the server to accept connections; uvicorn starts in well under one.
STARTUP_TIMEOUT_S = 15.0


def _has(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


class _Server(uvicorn.Server):
    """uvicorn's server with a hook called once the sockets accept connections."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[_Server], None] | None = None) -> None:
        super().__init__(config)
        self.on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self.on_ready is not None:
            self.on_ready(self)

    def bound_port(self) -> int:
        """The port the first listening socket is bound to (the real one when asked for port 0)."""
        port: int = self.servers[0].sockets[0].getsockname()[1]
        return port


def uvicorn_config(app: Any, host: str, port: int, log_level: str = "warning") -> uvicorn.Config:
    """A lean uvicorn config: httptools and uvloop when installed, no access log, no lifespan."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        http="httptools" if _has("httptools") else "h11",
        loop="uvloop" if _has("uvloop") else "asyncio",
        timeout_keep_alive=30,
        date_header=False,  # the middleware stamps each answer from the emulator's clock
    )


def build_emulator(
    config: EmulatorConfig | str | Path | None = None,
    state_file: str | Path | None = None,
    token_lifetime_s: int | None = None,
) -> Emulator:
    """An :class:`Emulator` from a config object or file, a state file and a token lifetime override."""
    if config is None:
        cfg = EmulatorConfig()
    elif isinstance(config, EmulatorConfig):
        cfg = config
    else:
        cfg = EmulatorConfig.from_file(config)
    return Emulator(cfg.with_overrides(token_lifetime_s=token_lifetime_s), state_file=state_file)


class EmulatorServer:
    """The emulator on a loopback port in a background thread; a context manager.

    Example::

        with EmulatorServer() as server:
            requests.post(server.base_url + "/ims/token/v3", data=...)
            server.control.reset()
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        config: EmulatorConfig | str | Path | None = None,
        state_file: str | Path | None = None,
        token_lifetime_s: int | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.emulator = build_emulator(config, state_file, token_lifetime_s)
        self.app = create_app(self.emulator)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""
        self._control: ControlClient | None = None

    @property
    def flow_url(self) -> str:
        """Base URL of the Flow Service API."""
        return self.base_url + defaults.FLOW_SERVICE_PREFIX

    @property
    def ims_url(self) -> str:
        """URL of the IMS token endpoint."""
        return self.base_url + defaults.IMS_TOKEN_PATH

    @property
    def control(self) -> ControlClient:
        """A client of the control plane."""
        if self._control is None:
            raise RuntimeError("the emulator is not running: call start() first")
        return self._control

    def start(self) -> EmulatorServer:
        """Start serving and return once the port accepts connections.

        Raises:
            RuntimeError: when the server does not come up within :data:`STARTUP_TIMEOUT_S`.
        """
        if self._thread is not None:
            return self
        self._server = _Server(uvicorn_config(self.app, self.host, self.port))
        self._thread = threading.Thread(target=self._server.run, name="aep-emulator", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the emulator did not start on {self.host}:{self.port}")
            time.sleep(0.01)
        self.port = self._server.bound_port()
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.base_url = f"http://{host}:{self.port}"
        self._control = ControlClient(self.base_url)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=STARTUP_TIMEOUT_S)
        if self._control is not None:
            self._control.close()
        self._server, self._thread, self._control = None, None, None

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
