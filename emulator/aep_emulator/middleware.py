"""ASGI middleware: fault injection, the gateway's header checks, request ids, the request log and counters.

Pure ASGI (no BaseHTTPMiddleware) to keep the hot path lean.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import json
import socket
import struct
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute, Match

from aep_emulator import defaults, errors
from aep_emulator.errors import EmulatorError
from aep_emulator.faults import FaultRule
from aep_emulator.gateway import WRITE_METHODS

if TYPE_CHECKING:
    from aep_emulator.core import Emulator

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_FAULT_CODES = {400: 1100, 404: 1101, 500: 1102, 503: 1103, 504: 1104}
#: Late writes still pending (``apply_late``): referenced so the event loop does not drop them.
_LATE_WRITES: set[asyncio.Task[None]] = set()


def error_for_status(status: int, retry_after: int | None) -> EmulatorError:
    """The body an injected status answers with: the gateway's 429, else a Flow Service problem."""
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    if status == 429:
        return errors.too_many_requests(retry_after)
    code = _FAULT_CODES.get(status, 1102 if status >= 500 else 1100)
    return errors.FlowError(code, status, f"Injected fault: HTTP {status}", headers=headers)


async def send_json(
    send: Send, status: int, body: bytes, request_id: str, headers: dict[str, str] | None = None
) -> None:
    """Send a complete JSON response."""
    raw = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"x-request-id", request_id.encode()),
    ]
    raw.extend((k.lower().encode(), v.encode()) for k, v in (headers or {}).items())
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


async def send_error(send: Send, error: EmulatorError, request_id: str) -> None:
    """Send an emulator error as its JSON body."""
    body = json.dumps(error.body(request_id)).encode()
    await send_json(send, error.status, body, request_id, error.headers)


#: Scope key of the route a request matched (see :meth:`EmulatorMiddleware._match`).
_MATCHED = "aep_emulator.matched_route"
#: Scope key under which :class:`aep_emulator.app.EmulatorApp` keeps the server's own ``send``.
RAW_SEND = "aep_emulator.raw_send"


def abort_connection(scope: Scope) -> None:
    """Reset the client's TCP connection (RST), as a network failure would.

    uvicorn does not expose the transport in the ASGI scope; its ``send`` is a bound method of the
    request-response cycle, which holds it (both the httptools and h11 implementations).
    """
    cycle: Any = getattr(scope.get(RAW_SEND), "__self__", None)
    transport = getattr(cycle, "transport", None)
    if cycle is None or transport is None:
        raise RuntimeError("cannot reset the connection: the server does not expose its transport")
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    # Tell uvicorn the client is gone, so it does not log "returned without starting response".
    cycle.disconnected = True


class EmulatorMiddleware:
    """Wraps the FastAPI app; the control plane and the docs bypass faults, gateway and log."""

    def __init__(self, app: ASGIApp, emulator: Emulator, routes: Sequence[BaseRoute] = ()) -> None:
        self.app = app
        self.emulator = emulator
        self.routes = routes

    def _match(self, scope: Scope) -> tuple[BaseRoute | None, bool]:
        """The route serving this method and path (else the first with this path) and whether it is full.

        Matched once per request and kept in the scope: the gauge, the gateway and the counters all ask.
        """
        cached = scope.get(_MATCHED)
        if cached is None:
            partial = None
            for route in self.routes:
                kind = route.matches(scope)[0]
                if kind == Match.FULL:
                    cached = (route, True)
                    break
                if kind == Match.PARTIAL and partial is None:
                    partial = route
            else:
                cached = (partial, False)
            scope[_MATCHED] = cached
        return cached

    def _routable(self, scope: Scope) -> bool:
        """Whether a route serves this method and path (a write to no route gets 405, not a 400)."""
        route, full = self._match(scope)
        return full and getattr(route, "name", "") != "notEmulated"

    def _operation(self, scope: Scope) -> str:
        """The operation a request targets (its ``operationId``, else the route name), for the in-flight gauge."""
        route, _ = self._match(scope)
        return str(getattr(route, "operation_id", None) or getattr(route, "name", None) or scope["path"])

    def _template(self, scope: Scope) -> str:
        """The route template a request was (or would have been) served by, for the per-route counters."""
        route = getattr(scope.get("route"), "path", None) or getattr(self._match(scope)[0], "path", None)
        return str(route or scope["path"])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(defaults.CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = request_id
        status = [500]
        rule = self.emulator.faults.take(scope["method"], path)
        try:
            with self.emulator.inflight.serving(self._operation(scope)):
                await self._handle(scope, receive, self._dated(send), rule, request_id, status)
        finally:
            query = scope.get("query_string", b"").decode()
            fault_id = rule.id if rule else None
            self.emulator.log.record(
                scope["method"], path, query, self._template(scope), status[0], started, fault_id
            )

    def _dated(self, send: Send) -> Send:
        """``send`` adding the gateway's ``Date`` header, from the emulator's clock, to every answer.

        uvicorn's own (``date_header=False`` in :mod:`aep_emulator.server`) is refreshed once a second
        from the wall clock; Adobe's gateway stamps each answer, and a moved clock must move it too.
        """
        clock = self.emulator.clock

        async def dated(message: Message) -> None:
            if message["type"] == "http.response.start":
                date = email.utils.formatdate(clock.date_now(), usegmt=True).encode()
                message["headers"] = [*message.get("headers", []), (b"date", date)]
            await send(message)

        return dated

    async def _handle(
        self, scope: Scope, receive: Receive, send: Send, rule: FaultRule | None, rid: str, status: list[int]
    ) -> None:
        """Faults, then the gateway, then the app; ``status`` receives the status answered (0: reset)."""
        method: str = scope["method"]
        path: str = scope["path"]
        if rule is not None and rule.latency_ms and rule.action != "apply_late":
            await asyncio.sleep(rule.latency_ms / 1000)
        if rule is not None and rule.action == "reset":
            status[0] = 0
            abort_connection(scope)
            return
        if rule is not None and rule.status is not None and rule.action != "apply_late":
            error = error_for_status(rule.status, rule.retry_after)
            status[0] = error.status
            await send_error(send, error, rid)
            return
        if path.startswith(defaults.PLATFORM_PREFIX):
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            routable = method not in WRITE_METHODS or self._routable(scope)
            try:
                scope["state"]["caller"] = self.emulator.gateway.check(method, headers, routable)
            except EmulatorError as exc:
                status[0] = exc.status
                await send_error(send, exc, rid)
                return
        if rule is not None and rule.action == "drop_response":
            await self._drop_response(scope, receive, send, status)
            return
        if rule is not None and rule.action == "apply_late":
            await self._apply_late(scope, receive, send, rule, rid, status)
            return

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        await self.app(scope, receive, send_with_id)

    async def _drop_response(self, scope: Scope, receive: Receive, send: Send, status: list[int]) -> None:
        """Let the app apply the request, discard its answer, then reset the connection."""

        async def discard(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]

        await self.app(scope, receive, discard)
        abort_connection(scope)

    async def _apply_late(
        self, scope: Scope, receive: Receive, send: Send, rule: FaultRule, rid: str, status: list[int]
    ) -> None:
        """Apply the request ``rule.latency_ms`` after it arrived; the client never learns the outcome.

        With ``rule.status`` the client gets that error at once (a gateway 504 while the backend goes
        on); without, the connection stays silent until the write is applied, then is reset.
        """
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def discard(message: Message) -> None:
            return None

        async def apply() -> None:
            await asyncio.sleep((rule.latency_ms or 0) / 1000)
            await self.app(scope, replay, discard)

        if rule.status is None:
            status[0] = 0
            await apply()
            with contextlib.suppress(OSError, RuntimeError, ValueError):  # the client may be gone
                abort_connection(scope)
            return
        error = error_for_status(rule.status, rule.retry_after)
        status[0] = error.status
        await send_error(send, error, rid)
        task = asyncio.get_running_loop().create_task(apply())
        _LATE_WRITES.add(task)
        task.add_done_callback(_LATE_WRITES.discard)
