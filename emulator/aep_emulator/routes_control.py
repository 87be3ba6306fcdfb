"""Control plane under ``/__emulator__``: health, reset, faults, request log, counters, in-flight gauge, state.

Not part of Adobe's API: plain JSON, no gateway checks.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from aep_emulator import defaults
from aep_emulator.core import Emulator
from aep_emulator.models import ClockRequest, FaultRequest, FlowMark

router = APIRouter(
    prefix=defaults.CONTROL_PREFIX,
    tags=["Emulator control plane"],
    responses={400: {"description": "The body is not valid JSON"}},
)


def _emu(request: Request) -> Emulator:
    emulator: Emulator = request.app.state.emulator
    return emulator


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    """Liveness: answers once the server accepts requests."""
    return {"status": "ok", "connections": len(_emu(request).backend.all_connections())}


@router.post("/reset")
async def reset(request: Request, tokens: bool = False) -> dict[str, Any]:
    """Forget connections, flow marks, faults, the log and counters (and tokens with ``?tokens=true``)."""
    _emu(request).reset(tokens=tokens)
    return {"reset": True}


_BAD_FAULT: dict[int | str, dict[str, Any]] = {400: {"description": "The fault does nothing or is invalid"}}
_NO_CONNECTION: dict[int | str, dict[str, Any]] = {404: {"description": "No connection has that id"}}


@router.post("/faults", status_code=201, responses=_BAD_FAULT)
async def inject_fault(request: Request, fault: FaultRequest) -> JSONResponse:
    """Inject a fault into the next ``count`` matching requests."""
    try:
        rule = _emu(request).faults.add(**fault.model_dump())
    except ValueError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    return JSONResponse({"id": rule.id, **fault.model_dump()}, status_code=201)


@router.get("/faults")
async def list_faults(request: Request) -> list[dict[str, Any]]:
    """The active fault rules and their remaining uses."""
    return _emu(request).faults.rules()


@router.delete("/faults")
async def clear_faults(request: Request) -> dict[str, Any]:
    """Remove every fault rule."""
    _emu(request).faults.clear()
    return {"cleared": True}


@router.get("/requests")
async def requests_log(request: Request) -> list[dict[str, Any]]:
    """The requests served (Flow Service and IMS), oldest first."""
    return _emu(request).log.entries()


@router.get("/counters")
async def counters(request: Request) -> dict[str, int]:
    """Requests served per ``"METHOD /route/template"``."""
    return _emu(request).log.counters()


@router.get("/inflight")
async def inflight(request: Request) -> dict[str, dict[str, int]]:
    """Requests being served now and the most served at once since the last reset, per operation."""
    return _emu(request).inflight.snapshot()


@router.post("/inflight/reset")
async def reset_inflight(request: Request) -> dict[str, Any]:
    """Forget the in-flight high-water marks (requests still being served stay counted)."""
    _emu(request).inflight.reset()
    return {"reset": True}


@router.get("/clock")
async def get_clock(request: Request) -> dict[str, Any]:
    """The emulator's clock: ``{"now": epoch_s, "frozen": bool}``."""
    return _emu(request).clock.state()


@router.put("/clock")
async def set_clock(request: Request, change: ClockRequest) -> dict[str, Any]:
    """Freeze the clock at ``now``, move it by ``advance_s``, go back to real time (``real``), or make
    the ``Date`` header lag it by ``date_lag_s``."""
    clock = _emu(request).clock
    if change.real:
        clock.real()
    if change.now is not None:
        clock.set(change.now)
    if change.advance_s is not None:
        clock.advance(change.advance_s)
    if change.date_lag_s is not None:
        clock.lag_date(change.date_lag_s)
    return clock.state()


@router.get("/connections")
async def all_connections(request: Request) -> list[dict[str, Any]]:
    """Every stored connection in every org and sandbox, params unmasked (for test assertions)."""
    return _emu(request).backend.all_connections()


@router.put("/connections/{connection_id}/flows", responses=_NO_CONNECTION)
async def mark_used_by_flows(request: Request, connection_id: str, mark: FlowMark) -> dict[str, Any]:
    """Mark a connection as used by dataflows, so its delete is refused with 1418."""
    _emu(request).backend.mark_used_by_flows(connection_id, mark.flow_ids)
    return {"id": connection_id, "flow_ids": mark.flow_ids}
