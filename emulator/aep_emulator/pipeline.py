"""Flow Service pipeline backend: source and target connections, dataflows and runs (no HTTP imports).

Shares the base-connection backend's lock, so a reference check and the write it guards are atomic; the
base connection backend asks :meth:`Pipeline.base_connection_users` before a delete (1418).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

from aep_emulator import flowspecs, patching, runs
from aep_emulator import pipeline_checks as checks
from aep_emulator.backend import Caller, FlowBackend
from aep_emulator.clock import Clock
from aep_emulator.config import EmulatorConfig
from aep_emulator.entities import Entities, check_etag, view
from aep_emulator.errors import bad_request
from aep_emulator.query import ListQuery, run_query
from aep_emulator.siblings import Siblings

#: ``providerRefId`` of the cloud-storage entities (the provider id of the Blob and CloudStorageToAEP specs).
PROVIDER_ID = flowspecs.CLOUD_STORAGE_TO_AEP["providerId"]
KINDS = ("sourceConnections", "targetConnections", "flows", "runs")
_CONNECTION_PATCH = (("/name", "/description", "/params", "/data/properties"),
                     ("/connectionSpec", "/baseConnectionId", "/data/format", "/params/dataSetId", "/data/schema"))  # fmt: skip
_FLOW_PATCH = (("/name", "/description", "/scheduleParams", "/transformations", "/policy", "/options"),
               ("/flowSpec", "/sourceConnectionIds", "/targetConnectionIds", "/state", "/inheritedAttributes"))  # fmt: skip
#: The actions (``POST /{kind}/{id}/action?op=``) of each collection, in lowercase.
ACTIONS = {
    "sourceConnections": ("publish",),
    "targetConnections": ("publish",),
    "flows": ("enable", "disable", "publish"),
}
_TRANSITIONS = {
    ("enable", "disabled"): "enabled",
    ("disable", "enabled"): "disabled",
    ("publish", "draft"): "enabled",
}


class Pipeline:
    """Every source connection, target connection, dataflow and run of every org and sandbox."""

    def __init__(
        self, config: EmulatorConfig, clock: Clock, connections: FlowBackend, siblings: Siblings
    ) -> None:
        self.config = config
        self.clock = clock
        self.connections = connections
        self.siblings = siblings
        self.lock = connections.lock
        self._sync_lock = threading.Lock()
        self.on_change: Callable[[], None] | None = None
        self.stores = {kind: Entities(kind, clock) for kind in KINDS}
        connections.references = self.base_connection_users
        siblings.references = self.dataset_users

    # --- create ---------------------------------------------------------------------------------------------

    def create_source(self, caller: Caller, body: Any, draft: bool = False) -> dict[str, Any]:
        """createSourceConnection: 201 ``{id, etag}``; the base connection must exist with the same spec."""
        body = checks.body_object(body)
        fields = checks.name_and_description(body)
        spec = checks.spec_ref(body, "connectionSpec", self.config.strict_version)
        fields.update(data=checks.source_data(body), params=checks.source_params(body), connectionSpec=spec)
        with self.lock:
            base_id = body.get("baseConnectionId")
            if not isinstance(base_id, str) or not base_id:
                raise bad_request("The mandatory field baseConnectionId is not provided", 1304)
            base = self.connections.raw_connection(caller, base_id)
            if base["connectionSpec"]["id"] != spec["id"]:
                raise bad_request(
                    f"The connection spec {spec['id']} does not match the spec {base['connectionSpec']['id']} "
                    f"of base connection {base_id}",
                    1413,
                )
            inherited = {"baseConnection": {"id": base_id, "connectionSpec": base["connectionSpec"]}}
            fields.update(baseConnectionId=base_id, inheritedAttributes=inherited, providerRefId=PROVIDER_ID)
            return self._store("sourceConnections", caller, fields, draft)

    def create_target(self, caller: Caller, body: Any, draft: bool = False) -> dict[str, Any]:
        """createTargetConnection (Data Lake): 201 ``{id, etag}``; the dataset must exist (schema must match)."""
        body = checks.body_object(body)
        fields = checks.name_and_description(body, required=False)
        fields["connectionSpec"] = checks.spec_ref(body, "connectionSpec", self.config.strict_version)
        fields.update(checks.target_fields({**body, **fields}))
        with self.lock:
            dataset = self.siblings.dataset(caller, str(fields["params"]["dataSetId"]))
            schema = (fields["data"].get("schema") or {}).get("id")
            if schema is not None and schema != dataset["schemaRef"]["id"]:
                raise bad_request(
                    f"The schema {schema} of the target connection is not the schema "
                    f"{dataset['schemaRef']['id']} of dataset {fields['params']['dataSetId']}",
                    1425,
                )
            fields.update(providerRefId=PROVIDER_ID, inheritedAttributes={})
            return self._store("targetConnections", caller, fields, draft)

    def create_flow(self, caller: Caller, body: Any, draft: bool = False) -> dict[str, Any]:
        """createFlow: 201 ``{id, etag}`` after the schedule, spec pairing and reference checks."""
        body = checks.body_object(body)
        checks.flow_request(body)
        fields = checks.name_and_description(body)
        fields["flowSpec"] = checks.spec_ref(body, "flowSpec", False)
        spec = flowspecs.get_flow_spec(fields["flowSpec"]["id"])
        if spec is None:
            raise bad_request(f"Please provide a valid flow spec id: {fields['flowSpec']['id']}", 1413)
        source_id = checks.one_id(body, "sourceConnectionIds", "source")
        target_id = checks.one_id(body, "targetConnectionIds", "target")
        schedule = (
            checks.schedule(body.get("scheduleParams")) if not draft or "scheduleParams" in body else None
        )
        transformations = checks.transformations(body.get("transformations"))
        with self.lock:
            source = self.stores["sourceConnections"].find(caller, source_id)
            target = self.stores["targetConnections"].find(caller, target_id)
            checks.pairing(spec, source, target)
            checks.mappings(self.siblings, caller, transformations, target)
            fields.update(
                sourceConnectionIds=[source_id],
                targetConnectionIds=[target_id],
                transformations=transformations,
                scheduleParams=schedule,
                options=body.get("options") or {},
                inheritedAttributes=_inherited(source, target),
                labels=[],
                _nextRunAt=float(schedule["startTime"]) if schedule else None,
            )
            created = self._store("flows", caller, fields, draft)
            flow = self.stores["flows"].records[created["id"]]
            flow["runs"] = f"/runs?property=flowId=={flow['id']}"
            flow["lastOperation"] = {"started": flow["createdAt"], "updated": 0, "operation": "create"}
            return created

    def _store(self, kind: str, caller: Caller, fields: dict[str, Any], draft: bool) -> dict[str, Any]:
        record = self.stores[kind].create(caller, fields, "draft" if draft else "enabled")
        self._changed()
        return {"id": record["id"], "etag": record["etag"]}

    # --- read, update, delete -------------------------------------------------------------------------------

    def get(self, kind: str, caller: Caller, entity_id: str) -> dict[str, Any]:
        """The ``{"items": [entity]}`` answer of a get-by-id (for runs, call :meth:`sync_runs` first)."""
        with self.lock:
            return {"items": [view(self.stores[kind].find(caller, entity_id))]}

    def list_of(self, kind: str, caller: Caller, query: ListQuery) -> dict[str, Any]:
        """A list answer (see :mod:`aep_emulator.query`; for runs, call :meth:`sync_runs` first)."""
        with self.lock:
            return run_query(self.stores[kind].mine(caller), query, view)

    def patch(
        self, kind: str, caller: Caller, entity_id: str, if_match: str | None, ops: Any
    ) -> dict[str, Any]:
        """PATCH under If-Match (1403/1404) on the documented paths (1414 immutable, 1455 unknown)."""
        patchable, immutable = _FLOW_PATCH if kind == "flows" else _CONNECTION_PATCH
        with self.lock:
            store = self.stores[kind]
            record = store.find(caller, entity_id)
            check_etag(record, if_match, self.config.strict_if_match)
            if ops in (None, [], {}):
                raise bad_request("The request body is null or empty", 1405)
            updated = patching.apply(record, ops, patching.path_checker(patchable, immutable, kind))
            checks.name_and_description(updated)
            if kind == "flows":
                self._revalidate_flow(updated, ops)
            store.records[entity_id] = updated
            etag = store.touch(updated, caller)
        self._changed()
        return {"id": entity_id, "etag": etag}

    def _revalidate_flow(self, flow: dict[str, Any], ops: Any) -> None:
        if flow.get("scheduleParams") is not None:
            checks.schedule(flow["scheduleParams"])
        checks.transformations(flow.get("transformations"))
        now = self.clock.now_ms()
        flow["lastOperation"] = {"started": now, "updated": now, "operation": "update", "ops": ops}
        if flow.get("scheduleParams"):
            flow["_nextRunAt"] = runs.next_slot_after(flow["scheduleParams"], self.clock.now())

    def action(self, kind: str, caller: Caller, entity_id: str, op: str) -> dict[str, Any]:
        """``POST /{kind}/{id}/action?op=``: enable, disable (flows) and publish; 1422 when it does not fit."""
        name = op.lower()
        with self.lock:
            store = self.stores[kind]
            record = store.find(caller, entity_id)
            allowed = name in ACTIONS.get(kind, ())
            new_state = _TRANSITIONS.get((name, record["state"])) if allowed else None
            if new_state is None:
                raise bad_request(
                    f"The action {op} cannot be applied on the current state {record['state']}", 1422
                )
            record["state"] = new_state
            if kind == "flows" and new_state == "enabled" and record.get("scheduleParams"):
                schedule = record["scheduleParams"]
                due = float(schedule["startTime"]) if name == "publish" else None
                record["_nextRunAt"] = due or runs.next_slot_after(schedule, self.clock.now())
            etag = store.touch(record, caller)
        self._changed()
        return {"id": entity_id, "etag": etag}

    def delete(self, kind: str, caller: Caller, entity_id: str) -> None:
        """Delete; a source or target connection a flow uses is refused with 1447 (no cascade)."""
        with self.lock:
            store = self.stores[kind]
            store.find(caller, entity_id)
            key = {
                "sourceConnections": "sourceConnectionIds",
                "targetConnections": "targetConnectionIds",
            }.get(kind)
            users = [f["id"] for f in self.stores["flows"].records.values() if key and entity_id in f[key]]
            if users:
                raise bad_request(
                    f"Found active flows containing id {entity_id}: {', '.join(users)}. "
                    "Delete the flows first.",
                    1447,
                )
            del store.records[entity_id]
            if kind == "flows":
                for run_id in [
                    r["id"] for r in self.stores["runs"].records.values() if r["flowId"] == entity_id
                ]:
                    del self.stores["runs"].records[run_id]
        self._changed()

    # --- runs and references --------------------------------------------------------------------------------

    def sync_runs(self, caller: Caller) -> None:
        """Create the runs that are due for the caller's enabled scheduled flows; keep each flow's newest runs.

        Blocking: counting a run's files may read real storage (Azurite), so the routes call this in a worker
        thread. The reads happen outside :attr:`lock` (other requests go on meanwhile); one sync at a time
        claims the due slots, counts, then stores the runs, so a concurrent listing waits for them.
        """
        with self._sync_lock:
            with self.lock:
                due = [(flow, slots, self._storage_of(flow)) for flow, slots in self._claim_due_slots(caller)]
            counted = [
                (flow, slots, runs.count_files(*where) if where else (0, 0)) for flow, slots, where in due
            ]
            if not counted:
                return
            with self.lock:
                for flow, slots, (files, size) in counted:
                    self._store_runs(caller, flow["id"], slots, files, size)
            self._changed()

    def _claim_due_slots(self, caller: Caller) -> list[tuple[dict[str, Any], list[float]]]:
        now, limit = self.clock.now(), self.config.max_runs_per_flow
        claimed = [(flow, runs.due_slots(flow, now, limit)) for flow in self.stores["flows"].mine(caller)]
        return [(flow, slots) for flow, slots in claimed if slots]

    def _storage_of(self, flow: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The base connection's and the source connection's params of ``flow`` (copies), if both exist."""
        source = self.stores["sourceConnections"].records.get(flow["sourceConnectionIds"][0])
        base = self.connections.stored(source["baseConnectionId"]) if source else None
        if source is None or base is None:
            return None
        return copy.deepcopy(base["auth"]["params"]), copy.deepcopy(source["params"])

    def _store_runs(self, caller: Caller, flow_id: str, slots: list[float], files: int, size: int) -> None:
        """Store the runs of ``slots`` for a flow that still exists, then drop its oldest beyond the cap."""
        flow = self.stores["flows"].records.get(flow_id)
        if flow is None:  # deleted while its files were counted
            return
        store = self.stores["runs"]
        for slot in slots:
            run = runs.new_run(flow, slot, files, size)
            stored = store.create(caller, run, "success", entity_id=run["id"])
            stored["createdAt"] = stored["updatedAt"] = int(slot * 1000)  # a run is created as it starts
            stored["eTag"] = stored["etag"]  # OAS-S spells it eTag, the monitoring docs etag: both served
        flow["lastRunDetails"] = {"id": run["id"], "state": "success",
                                  "startedAtUTC": int(slots[-1] * 1000), "completedAtUTC": int(slots[-1] * 1000) + 1000}  # fmt: skip
        mine = sorted(
            (r for r in store.records.values() if r["flowId"] == flow_id),
            key=lambda r: (r["createdAt"], r["id"]),
        )
        for old in mine[: max(0, len(mine) - self.config.max_runs_per_flow)]:
            del store.records[old["id"]]

    def base_connection_users(self, base_id: str) -> tuple[list[str], list[str]]:
        """The flows and the source connections that use base connection ``base_id``."""
        sources = [
            s["id"]
            for s in self.stores["sourceConnections"].records.values()
            if s["baseConnectionId"] == base_id
        ]
        flows = [
            f["id"]
            for f in self.stores["flows"].records.values()
            if set(f["sourceConnectionIds"]) & set(sources)
        ]
        return flows, sources

    def dataset_users(self, dataset_id: str) -> list[str]:
        """The target connections that write to dataset ``dataset_id``."""
        targets = self.stores["targetConnections"].records.values()
        return [t["id"] for t in targets if t["params"].get("dataSetId") == dataset_id]

    def dump(self) -> dict[str, Any]:
        """Every collection, JSON-ready."""
        with self.lock:
            return {kind: store.dump() for kind, store in self.stores.items()}

    def load(self, state: dict[str, Any]) -> None:
        """Replace the state with one of :meth:`dump`."""
        with self.lock:
            for kind, store in self.stores.items():
                store.load(state.get(kind, []))

    def reset(self) -> None:
        """Forget everything."""
        self.load({})

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()


def _inherited(source: dict[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    return {
        "properties": {"isSourceFlow": True},
        "sourceConnections": [
            {"id": source["id"], "connectionSpec": source["connectionSpec"],
             "baseConnection": source["inheritedAttributes"]["baseConnection"]}
        ],
        "targetConnections": [{"id": target["id"], "connectionSpec": target["connectionSpec"]}],
    }  # fmt: skip
