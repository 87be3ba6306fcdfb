"""Flow Service backend: base connections scoped by org and sandbox, plain Python with no HTTP imports.

Like a moto backend it holds all state, can be reset, and raises :mod:`aep_emulator.errors` errors that the
web layer renders. Every write calls ``on_change`` so persistence can save a snapshot.
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aep_emulator import patching, specs
from aep_emulator.config import EmulatorConfig
from aep_emulator.errors import EmulatorError, FlowError, bad_request, not_found
from aep_emulator.pipeline_checks import name_and_description
from aep_emulator.query import ListQuery, run_query

#: The mask Adobe's docs show in place of a secret param.
SECRET_MASK = "xxxx"  # noqa: S105 - a mask, not a secret


@dataclass(frozen=True)
class Caller:
    """Who makes a request: the gateway's verdict on the headers."""

    org_id: str
    sandbox_name: str
    sandbox_id: str
    client_id: str


def new_etag(now: float | None = None) -> str:
    """A Cosmos-DB-style quoted etag whose 8 hex digits before ``0000`` are the epoch seconds of the write."""
    seconds = int(now if now is not None else time.time())
    return f'"{secrets.token_hex(4)}-0000-0200-0000-{seconds:08x}0000"'


def _now_ms() -> int:
    return int(time.time() * 1000)


class FlowBackend:
    """All base connections of every org and sandbox, plus the flows that use them."""

    def __init__(self, config: EmulatorConfig, on_change: Callable[[], None] | None = None) -> None:
        self.config = config
        self.on_change = on_change
        self._lock = threading.RLock()
        #: The lock every Flow Service collection shares (the pipeline takes it for its reference checks).
        self.lock = self._lock
        self._connections: dict[str, dict[str, Any]] = {}
        self._flows: dict[str, list[str]] = {}
        #: The flows and source connections using a base connection (set by the pipeline backend).
        self.references: Callable[[str], tuple[list[str], list[str]]] = lambda _id: ([], [])

    # --- lifecycle ------------------------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget every connection and flow mark."""
        with self._lock:
            self._connections.clear()
            self._flows.clear()
        self._changed()

    def dump(self) -> dict[str, Any]:
        """Return the whole state in a JSON-ready form."""
        with self._lock:
            return {
                "connections": copy.deepcopy(list(self._connections.values())),
                "flows": dict(self._flows),
            }

    def load(self, state: dict[str, Any]) -> None:
        """Replace the state with one saved by :meth:`dump`."""
        with self._lock:
            self._connections = {c["id"]: c for c in state.get("connections", [])}
            self._flows = {k: list(v) for k, v in state.get("flows", {}).items()}

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    # --- operations -----------------------------------------------------------------------------------------

    def create_connection(self, caller: Caller, body: Any) -> dict[str, Any]:
        """createConnection: validate ``body`` and store a new base connection.

        Returns:
            ``{"id", "etag"}`` of the new connection.

        Raises:
            FlowError: 1405, 1304, 1413, 1415 or 1100 (400), or 422 for a missing version in strict mode.
        """
        fields = self._validate_create(body)
        now, etag = _now_ms(), new_etag()
        record: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "createdAt": now,
            "updatedAt": now,
            "createdBy": caller.client_id,
            "updatedBy": caller.client_id,
            "createdClient": caller.client_id,
            "updatedClient": caller.client_id,
            "sandboxId": caller.sandbox_id,
            "sandboxName": caller.sandbox_name,
            "imsOrgId": caller.org_id,
            **fields,
            "state": "enabled",
            "version": etag,
            "etag": etag,
        }
        with self._lock:
            self._connections[record["id"]] = record
        self._changed()
        return {"id": record["id"], "etag": etag}

    def get_connection(self, caller: Caller, connection_id: str) -> dict[str, Any]:
        """getConnection: the connection as the API shows it, secrets masked.

        Raises:
            FlowError: 1101-404 when it does not exist in the caller's org and sandbox.
        """
        return _masked(self._find(caller, connection_id))

    def list_connections(self, caller: Caller, query: ListQuery) -> dict[str, Any]:
        """getConnections: filter, sort and page the caller's connections (see :mod:`aep_emulator.query`)."""
        with self._lock:
            mine = [c for c in self._connections.values() if _visible(c, caller)]
        return run_query(mine, query, _masked)

    def update_connection(
        self, caller: Caller, connection_id: str, if_match: str | None, ops: Any
    ) -> dict[str, Any]:
        """patchConnection: apply an RFC 6902 patch under optimistic concurrency.

        Raises:
            FlowError: 1403 (no If-Match), 1405 (empty body), 404, 1404-412 (stale etag),
                1434/1414/1455 (ops), 1304/1100 (the result no longer matches the auth spec).
        """
        if not if_match:
            raise bad_request("The header 'If-Match' is missing in the request", 1403)
        if ops in (None, [], {}):
            raise bad_request("The request body is null or empty", 1405)
        with self._lock:
            record = self._find(caller, connection_id)
            self._check_etag(record, if_match)
            updated = patching.apply(record, ops)
            self._revalidate(updated)
            etag = new_etag()
            updated.update(
                updatedAt=_now_ms(),
                updatedBy=caller.client_id,
                updatedClient=caller.client_id,
                version=etag,
                etag=etag,
            )
            self._connections[connection_id] = updated
        self._changed()
        return {"id": connection_id, "etag": etag}

    def delete_connection(self, caller: Caller, connection_id: str) -> None:
        """deleteConnection.

        Raises:
            FlowError: 404, or 1418-400 while flows use the connection (real flows or control-plane marks),
                or, with ``block_referenced_deletes``, while source connections use it.
        """
        with self._lock:
            self._find(caller, connection_id)
            real_flows, sources = self.references(connection_id)
            flows = [*self._flows.get(connection_id, []), *real_flows]
            if flows:
                raise bad_request(
                    f"The base connection with the ID {connection_id} cannot be deleted because the base "
                    f"connection is being used in one or more flows: {', '.join(flows)}. "
                    "Delete the flows before deleting the base connection.",
                    1418,
                )
            if sources and self.config.block_referenced_deletes:
                raise bad_request(
                    f"The base connection with the ID {connection_id} cannot be deleted because source "
                    f"connections use it: {', '.join(sources)}. Delete them first.",
                    1418,
                )
            del self._connections[connection_id]
        self._changed()

    def raw_connection(self, caller: Caller, connection_id: str) -> dict[str, Any]:
        """The stored connection with clear-text params (for explore and test, never returned to clients)."""
        return copy.deepcopy(self._find(caller, connection_id))

    def stored(self, connection_id: str) -> dict[str, Any] | None:
        """The stored connection ``connection_id`` in any org (for run synthesis; never returned as is)."""
        return self._connections.get(connection_id)

    # --- control plane --------------------------------------------------------------------------------------

    def all_connections(self) -> list[dict[str, Any]]:
        """Every stored connection across orgs and sandboxes, params unmasked."""
        with self._lock:
            return copy.deepcopy(list(self._connections.values()))

    def mark_used_by_flows(self, connection_id: str, flow_ids: list[str]) -> None:
        """Record that flows use a connection (an empty list clears the mark).

        Raises:
            FlowError: 404 when no connection has that id.
        """
        with self._lock:
            if connection_id not in self._connections:
                raise not_found(connection_id)
            if flow_ids:
                self._flows[connection_id] = list(flow_ids)
            else:
                self._flows.pop(connection_id, None)
        self._changed()

    # --- helpers --------------------------------------------------------------------------------------------

    def _find(self, caller: Caller, connection_id: str) -> dict[str, Any]:
        record = self._connections.get(connection_id)
        if record is None or not _visible(record, caller):
            raise not_found(connection_id)
        return record

    def _check_etag(self, record: dict[str, Any], if_match: str) -> None:
        current: str = record["etag"]
        supplied = if_match.strip()
        matches = supplied == current or (not self.config.strict_if_match and f'"{supplied}"' == current)
        if not matches and supplied != "*":
            raise FlowError(
                1404,
                412,
                f"Supplied version=[{supplied}] does not match the current version on entity=[{current}]",
                title="Precondition failed",
            )

    def _validate_create(self, body: Any) -> dict[str, Any]:
        if body is None or body == {} or body == b"":
            raise bad_request("The request body is null or empty", 1405)
        if not isinstance(body, dict):
            raise bad_request("The request body must be a JSON object", 1100)
        spec_info = body.get("connectionSpec")
        if not isinstance(spec_info, dict) or not spec_info.get("id"):
            raise bad_request("The mandatory field connectionSpec.id is not provided", 1304)
        spec_id = spec_info["id"]
        if not isinstance(spec_id, str) or specs.get_spec(spec_id) is None:
            raise bad_request("Please provide a valid spec id", 1413)
        version = spec_info.get("version")
        if version is None and self.config.strict_version:
            raise FlowError(422, 422, "connectionSpec.version 'version' is required for spec info")
        if version not in (None, "1.0"):
            raise bad_request(f"The version '{version}' of connection spec {spec_id} is not valid", 1413)
        fields: dict[str, Any] = {"name": body.get("name")}
        if "description" in body and body["description"] is not None:
            fields["description"] = body["description"]
        fields["connectionSpec"] = {"id": spec_id, "version": "1.0"}
        auth = body.get("auth")
        if not isinstance(auth, dict):
            raise bad_request("The mandatory field auth is not provided", 1304)
        fields["auth"] = {"specName": auth.get("specName"), "params": auth.get("params")}
        self._revalidate(fields)
        return fields

    def _revalidate(self, record: dict[str, Any]) -> None:
        """Check the user-settable fields of a connection (after create or patch)."""
        name_and_description(record)
        auth = record.get("auth")
        if not isinstance(auth, dict) or not auth.get("specName"):
            raise bad_request("The mandatory field auth.specName is not provided", 1304)
        if not isinstance(auth["specName"], str):
            raise bad_request("The field auth.specName must be a string", 1100)
        if auth.get("params") is None:
            raise bad_request("The mandatory field auth.params is not provided", 1304)
        specs.validate_params(record["connectionSpec"]["id"], auth["specName"], auth["params"])


def _visible(record: dict[str, Any], caller: Caller) -> bool:
    return bool(record["imsOrgId"] == caller.org_id and record["sandboxName"] == caller.sandbox_name)


def _masked(record: dict[str, Any]) -> dict[str, Any]:
    view = dict(record)
    auth = record["auth"]
    secret = specs.secret_fields(record["connectionSpec"]["id"], auth["specName"])
    view["auth"] = {
        "specName": auth["specName"],
        "params": {k: (SECRET_MASK if k in secret else v) for k, v in auth["params"].items()},
    }
    return view


__all__ = ["SECRET_MASK", "Caller", "EmulatorError", "FlowBackend", "new_etag"]
