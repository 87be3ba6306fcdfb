"""Operations of Adobe's Flow Service OpenAPI document the emulator does not serve: each answers 501.

FLOW-9501-501 names the route, so a client never mistakes a missing feature for a deleted entity (a 404).
Any other path below ``/data/foundation/`` that no route serves gets the same answer (see ``app.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request

from aep_emulator import defaults
from aep_emulator.errors import not_emulated
from aep_emulator.models import ProblemBody
from aep_emulator.routes_flow import _ERRORS

#: The OpenAPI tag of these routes (the operations table counts them as not emulated).
TAG = "Not emulated"
router = APIRouter(
    prefix=defaults.FLOW_SERVICE_PREFIX,
    tags=[TAG],
    responses={
        **_ERRORS,
        501: {"model": ProblemBody, "description": "FLOW-9501-501: the operation is not emulated"},
    },
)

#: (method, path) of each operation not emulated, and why (listed in emulator/README.md).
NOT_EMULATED: dict[tuple[str, str], str] = {
    ("POST", "/connections/search"): "the search query language is not emulated; use GET with property=",
    ("GET", "/connections/{connection_id}/configs"): "connector configs are not part of base connections",
    ("POST", "/connections/{connection_id}/action"): "enable/disable of base connections is not emulated",
    ("POST", "/connectionSpecs"): "authoring connection specs is the Sources SDK's partner workflow",
    ("PUT", "/connectionSpecs/{spec_id}"): "authoring connection specs (Sources SDK)",
    ("GET", "/connectionSpecs/{spec_id}/explore"): "spec-level explore needs inline credentials",
    ("GET", "/connectionSpecs/{spec_id}/configs"): "connector configs are not part of base connections",
    ("POST", "/flows/search"): "the search query language is not emulated; use GET /flows with property=",
    ("POST", "/flowSpecs"): "authoring flow specs is the Sources SDK's partner workflow",
    ("PUT", "/flowSpecs/{spec_id}"): "authoring flow specs (Sources SDK)",
    ("POST", "/flowSpecs/search"): "the search query language is not emulated",
    ("POST", "/runs"): "on-demand runs are not emulated; runs are synthesized from the schedule",
    ("PUT", "/runs/{entity_id}"): "run updates are a provider (connector) call",
    ("POST", "/runs/{entity_id}/action"): "re-triggering runs is not emulated",
}


async def _plain(request: Request) -> None:
    raise not_emulated(request.method, request.url.path)


async def _on_connection(request: Request, connection_id: str) -> None:
    raise not_emulated(request.method, request.url.path)


async def _on_spec(request: Request, spec_id: str) -> None:
    raise not_emulated(request.method, request.url.path)


async def _on_entity(request: Request, entity_id: str) -> None:
    raise not_emulated(request.method, request.url.path)


_HANDLERS = {"{connection_id}": _on_connection, "{spec_id}": _on_spec, "{entity_id}": _on_entity}


def _handler(path: str) -> Callable[..., Awaitable[None]]:
    return next((h for param, h in _HANDLERS.items() if param in path), _plain)


for (_method, _path), _why in NOT_EMULATED.items():
    router.add_api_route(
        _path,
        _handler(_path),
        methods=[_method],
        status_code=501,
        # The search paths also match /connections/{connection_id}, /flows/{entity_id} and /flowSpecs/{spec_id}: documenting them
        # would make those templates' Allow headers disagree with the document.
        include_in_schema=not _path.endswith("/search"),
        description=_why,
        name="notEmulated",
        operation_id=f"notEmulated_{_method.lower()}_{_path.strip('/').replace('/', '_').strip('{}')}",
    )
