"""One Flow Service collection scoped by org and sandbox: audit fields, etags, find/list/delete (no HTTP).

Stored records may carry private keys starting with ``_`` (scheduling state, references); :meth:`view`
drops them, so they never reach a client.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from aep_emulator.backend import Caller, new_etag
from aep_emulator.clock import Clock
from aep_emulator.errors import FlowError, not_found


class Entities:
    """The records of one collection (``sourceConnections``, ``flows``, ...) across every org and sandbox."""

    def __init__(self, kind: str, clock: Clock) -> None:
        self.kind = kind
        self.clock = clock
        self.records: dict[str, dict[str, Any]] = {}

    def create(
        self, caller: Caller, fields: dict[str, Any], state: str = "enabled", entity_id: str | None = None
    ) -> dict[str, Any]:
        """Store a new record with the audit fields, a state and a fresh etag; return it."""
        now, etag = self.clock.now_ms(), new_etag(self.clock.now())
        record: dict[str, Any] = {
            "id": entity_id or str(uuid.uuid4()),
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
            "state": state,
            "version": etag,
            "etag": etag,
        }
        self.records[record["id"]] = record
        return record

    def find(self, caller: Caller, entity_id: str) -> dict[str, Any]:
        """The caller's record ``entity_id``.

        Raises:
            FlowError: 1101-404 ``<kind> not found with id = [<id>]``.
        """
        record = self.records.get(entity_id)
        if record is None or not visible(record, caller):
            raise not_found(entity_id, self.kind)
        return record

    def mine(self, caller: Caller) -> list[dict[str, Any]]:
        """The records of the caller's org and sandbox."""
        return [r for r in self.records.values() if visible(r, caller)]

    def touch(self, record: dict[str, Any], caller: Caller) -> str:
        """Record an update by ``caller``: new etag and ``updated*`` fields; return the etag."""
        etag = new_etag(self.clock.now())
        record.update(
            updatedAt=self.clock.now_ms(),
            updatedBy=caller.client_id,
            updatedClient=caller.client_id,
            version=etag,
            etag=etag,
        )
        return etag

    def dump(self) -> list[dict[str, Any]]:
        """Every record, JSON-ready."""
        return copy.deepcopy(list(self.records.values()))

    def load(self, records: list[dict[str, Any]]) -> None:
        """Replace the records with those of :meth:`dump`."""
        self.records = {r["id"]: r for r in records}


def visible(record: dict[str, Any], caller: Caller) -> bool:
    """Whether ``record`` belongs to the caller's org and sandbox."""
    return bool(record["imsOrgId"] == caller.org_id and record["sandboxName"] == caller.sandbox_name)


def view(record: dict[str, Any]) -> dict[str, Any]:
    """The record as the API shows it: private ``_`` keys dropped."""
    return {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}


def check_etag(record: dict[str, Any], if_match: str | None, strict: bool) -> None:
    """Optimistic concurrency of a PATCH.

    Raises:
        FlowError: 1403-400 without ``If-Match``, 1404-412 when it does not match (``*`` always matches;
            a bare etag matches its quoted form unless ``strict``).
    """
    if not if_match:
        raise FlowError(1403, 400, "The header 'If-Match' is missing in the request")
    current: str = record["etag"]
    supplied = if_match.strip()
    matches = supplied in ("*", current) or (not strict and f'"{supplied}"' == current)
    if not matches:
        raise FlowError(
            1404,
            412,
            f"Supplied version=[{supplied}] does not match the current version on entity=[{current}]",
            title="Precondition failed",
        )
