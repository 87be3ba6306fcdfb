"""Sibling services a dataflow references by id (pipeline reference §8), plain Python with no HTTP.

- Catalog datasets: create (201 ``["@/dataSets/<id>"]``), get (keyed by id), list (``limit``/``start``
  pages), delete (200 array).
- Schema Registry: a few seeded tenant XDM schemas, get by ``meta:altId`` or ``$id``, list.
- Data Prep mapping sets: create (200), get, list (``data`` + ``_page``).

Every record is scoped by org and sandbox like the Flow Service entities.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from aep_emulator.backend import Caller
from aep_emulator.clock import Clock
from aep_emulator.errors import FlowError, bad_request
from aep_emulator.pipeline_checks import MAX_NAME

#: Catalog's page size when a list names no ``limit`` (its documented default).
DATASET_PAGE_DEFAULT = 50

#: The tenant namespace of the seeded schemas (``https://ns.adobe.com/<tenant>/schemas/...``).
TENANT = "aepemulator"
SEEDED_SCHEMAS = (
    ("Customer Profile", "https://ns.adobe.com/xdm/context/profile"),
    ("Order Events", "https://ns.adobe.com/xdm/context/experienceevent"),
    ("Loyalty Accounts", "https://ns.adobe.com/xdm/context/profile"),
)


def _schema(title: str, xdm_class: str) -> dict[str, Any]:
    digest = hashlib.sha256(title.encode()).hexdigest()[:48]
    return {
        "$id": f"https://ns.adobe.com/{TENANT}/schemas/{digest}",
        "meta:altId": f"_{TENANT}.schemas.{digest}",
        "meta:resourceType": "schemas",
        "version": "1.0",
        "title": title,
        "type": "object",
        "description": f"Seeded emulator schema: {title}",
        "allOf": [{"$ref": xdm_class}],
        "meta:class": xdm_class,
        "meta:containerId": "tenant",
        "meta:tenantNamespace": f"_{TENANT}",
        "meta:registryMetadata": {"repo:createdDate": 0, "repo:lastModifiedDate": 0, "eTag": digest[:16]},
    }


SCHEMAS: tuple[dict[str, Any], ...] = tuple(_schema(title, cls) for title, cls in SEEDED_SCHEMAS)


def not_found(kind: str, entity_id: str) -> FlowError:
    """The 404 of a sibling service, in the problem shape the emulator uses everywhere."""
    return FlowError(
        1101, 404, f"{kind} not found with id = [{entity_id}]", resource_id=entity_id, resource_type=kind
    )


def _mine(records: dict[str, dict[str, Any]], caller: Caller) -> list[dict[str, Any]]:
    return [
        r for r in records.values() if r["_org"] == caller.org_id and r["_sandbox"] == caller.sandbox_name
    ]


def public(record: dict[str, Any]) -> dict[str, Any]:
    """A stored record without its scoping keys."""
    return {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}


class Siblings:
    """Datasets and mapping sets of every org and sandbox, and the seeded schema registry."""

    def __init__(self, clock: Clock, block_referenced_deletes: bool = True) -> None:
        self.clock = clock
        self.block_referenced_deletes = block_referenced_deletes
        #: The target connections writing to a dataset (set by the pipeline backend).
        self.references: Callable[[str], list[str]] = lambda _id: []
        self.datasets: dict[str, dict[str, Any]] = {}
        self.mappings: dict[str, dict[str, Any]] = {}

    def schema(self, schema_id: str) -> dict[str, Any]:
        """A seeded schema by ``meta:altId`` or ``$id``."""
        for schema in SCHEMAS:
            if schema_id in (schema["$id"], schema["meta:altId"]):
                return copy.deepcopy(schema)
        raise not_found("schemas", schema_id)

    def schemas(self) -> list[dict[str, Any]]:
        """Every seeded schema."""
        return [copy.deepcopy(s) for s in SCHEMAS]

    def create_dataset(self, caller: Caller, body: Any) -> str:
        """Catalog createDataset; returns the new 24-hex id."""
        if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not body["name"]:
            raise bad_request("The mandatory field name is not provided", 1304)
        if len(body["name"]) > MAX_NAME:
            raise bad_request(f"The field name is longer than {MAX_NAME} characters", 1100)
        ref = body.get("schemaRef")
        if not isinstance(ref, dict) or not ref.get("id"):
            raise bad_request("The mandatory field schemaRef.id is not provided", 1304)
        self.schema(str(ref["id"]))
        dataset_id, now = secrets.token_hex(12), self.clock.now_ms()
        self.datasets[dataset_id] = {
            **copy.deepcopy(body),
            "imsOrg": caller.org_id,
            "sandboxId": caller.sandbox_id,
            "created": now,
            "updated": now,
            "createdClient": caller.client_id,
            "version": "1.0.0",
            "tags": body.get("tags") or {},
            "files": f"@/dataSetFiles?dataSetId={dataset_id}",
            "_org": caller.org_id,
            "_sandbox": caller.sandbox_name,
        }
        return dataset_id

    def dataset(self, caller: Caller, dataset_id: str) -> dict[str, Any]:
        """A dataset of the caller (stored form)."""
        record = self.datasets.get(dataset_id)
        if record is None or record not in _mine(self.datasets, caller):
            raise not_found("dataSets", dataset_id)
        return record

    def list_datasets(self, caller: Caller, start: int = 0, limit: int | None = None) -> dict[str, Any]:
        """Catalog list: an object keyed by dataset id, ``limit`` (default 50) from offset ``start``.

        Oldest first (``created``, then id), so consecutive pages neither repeat nor skip one.
        """
        ordered = sorted(
            (
                (k, v)
                for k, v in self.datasets.items()
                if v["_org"] == caller.org_id and v["_sandbox"] == caller.sandbox_name
            ),
            key=lambda kv: (kv[1]["created"], kv[0]),
        )
        size = DATASET_PAGE_DEFAULT if limit is None else limit
        return {k: public(v) for k, v in ordered[start : start + size]}

    def delete_dataset(self, caller: Caller, dataset_id: str) -> None:
        """Catalog deleteDataset."""
        self.dataset(caller, dataset_id)
        users = self.references(dataset_id)
        if users and self.block_referenced_deletes:
            raise bad_request(
                f"Found active target connections containing id {dataset_id}: {', '.join(users)}. "
                "Delete them first.",
                1447,
            )
        del self.datasets[dataset_id]

    def create_mapping(self, caller: Caller, body: Any) -> dict[str, Any]:
        """Data Prep createMappingSet: 200 ``{id, version, createdDate, modifiedDate, createdBy, modifiedBy}``."""
        if not isinstance(body, dict) or not isinstance(body.get("mappings"), list):
            raise bad_request("The mandatory field mappings is not provided", 1304)
        schema = (body.get("outputSchema") or {}).get("schemaRef", {}).get("id") or body.get("xdmSchema")
        if not schema:
            raise bad_request("The mandatory field outputSchema.schemaRef.id is not provided", 1304)
        self.schema(str(schema))
        mapping_id, now = secrets.token_hex(16), self.clock.now_ms()
        created = {
            "id": mapping_id,
            "version": 0,
            "createdDate": now,
            "modifiedDate": now,
            "createdBy": caller.client_id,
            "modifiedBy": caller.client_id,
        }
        self.mappings[mapping_id] = {
            **copy.deepcopy(body),
            **created,
            "_schema": str(schema),
            "_org": caller.org_id,
            "_sandbox": caller.sandbox_name,
        }
        return created

    def mapping(self, caller: Caller, mapping_id: str) -> dict[str, Any]:
        """A mapping set of the caller (stored form)."""
        record = self.mappings.get(mapping_id)
        if record is None or record not in _mine(self.mappings, caller):
            raise not_found("mappingSets", mapping_id)
        return record

    def list_mappings(self, caller: Caller, limit: int, start: int) -> dict[str, Any]:
        """Data Prep list: ``{"data": [...], "_page": {"count", "limit"}}``."""
        mine = [public(m) for m in _mine(self.mappings, caller)]
        page = mine[start : start + limit]
        return {"data": page, "_page": {"count": len(page), "limit": limit}}

    def dump(self) -> dict[str, Any]:
        """Datasets and mapping sets, JSON-ready."""
        return {"datasets": copy.deepcopy(self.datasets), "mappings": copy.deepcopy(self.mappings)}

    def load(self, state: dict[str, Any]) -> None:
        """Replace the state with one of :meth:`dump`."""
        self.datasets = dict(state.get("datasets", {}))
        self.mappings = dict(state.get("mappings", {}))
