"""The known fields of every list collection and their JSON types: what ``orderby`` and comparisons go by.

A list query is judged by the collection's fields, never by the items it holds, so the same request gets the
same answer on an empty and on a filled collection (see :mod:`aep_emulator.query`):

- a comparison (``<``, ``>``, ``<=``, ``>=``) on a known field that is not a number, or on any path through an
  array, is ``1448``; on a path not listed here it is allowed and matches the items holding a number there;
- ``orderby`` takes a known scalar field (a string, number or boolean, not inside an array); else ``1433``.

Paths are dotted, without the ``[]`` markers (``sourceConnectionIds`` is an ``array``,
``transformations.name`` a ``string`` inside one). The types come from the models where there is one: the auth
specs' and the flow spec's JSON schemas, a synthesized run, the spec documents themselves; the audit and
reference fields the emulator stores are listed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aep_emulator import flowspecs, runs, specs

STRING, NUMBER, BOOLEAN, OBJECT, ARRAY = "string", "number", "boolean", "object", "array"
SCALARS = frozenset({STRING, NUMBER, BOOLEAN})
#: JSON schema ``type`` -> the type a filter sees.
_SCHEMA_TYPES = {"integer": NUMBER, "number": NUMBER, "string": STRING, "boolean": BOOLEAN,
                 "object": OBJECT, "array": ARRAY}  # fmt: skip

FieldTypes = Mapping[str, str]


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def types_of(document: Any, prefix: str = "") -> dict[str, str]:
    """The field types of a JSON document (the first type seen wins where array items differ)."""
    found: dict[str, str] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            if path:
                found.setdefault(path, OBJECT)
            for key, item in value.items():
                walk(item, _join(path, key))
        elif isinstance(value, list):
            found.setdefault(path, ARRAY)
            for item in value:
                walk(item, path)
        elif isinstance(value, bool):
            found.setdefault(path, BOOLEAN)
        elif isinstance(value, int | float):
            found.setdefault(path, NUMBER)
        elif isinstance(value, str):
            found.setdefault(path, STRING)

    walk(document, prefix)
    return found


def schema_types(schema: Mapping[str, Any], prefix: str) -> dict[str, str]:
    """The field types a JSON schema's ``properties`` declare, below ``prefix`` (nested objects too)."""
    found = {prefix: OBJECT}
    for name, prop in schema.get("properties", {}).items():
        path = _join(prefix, name)
        kind = _SCHEMA_TYPES.get(str(prop.get("type")))
        if kind == OBJECT:
            found.update(schema_types(prop, path))
        elif kind is not None:
            found[path] = kind
    return found


def _merged(*parts: Mapping[str, str]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for part in parts:
        merged.update(part)
    return merged


def _documents(documents: Iterable[Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for document in documents:
        for path, kind in types_of(document).items():
            found.setdefault(path, kind)
    return found


def _spec_ref(key: str) -> dict[str, str]:
    return {key: OBJECT, f"{key}.id": STRING, f"{key}.version": STRING}


#: Set on every stored entity (``backend.py``, ``entities.py``).
_AUDIT = {
    "id": STRING, "createdAt": NUMBER, "updatedAt": NUMBER, "createdBy": STRING, "updatedBy": STRING,
    "createdClient": STRING, "updatedClient": STRING, "sandboxId": STRING, "sandboxName": STRING,
    "imsOrgId": STRING, "state": STRING, "version": STRING, "etag": STRING,
}  # fmt: skip
_NAMED = {"name": STRING, "description": STRING}
_AUTH_PARAMS = _merged(
    *(
        schema_types(entry["spec"], "auth.params")
        for spec in specs.SPECS.values()
        for entry in spec["authSpec"]
    )
)
_SOURCE_PARAMS = _merged(
    *(
        schema_types(spec["sourceSpec"]["spec"], "params")
        for spec in specs.SPECS.values()
        if "sourceSpec" in spec
    )
)
_FLOW_SPEC = flowspecs.CLOUD_STORAGE_TO_AEP
_RUN = runs.new_run({"id": "", "flowSpec": {"id": "", "version": ""}}, 0.0, 0, 0)

_SOURCE = {
    "baseConnectionId": STRING, "providerRefId": STRING, "data": OBJECT, "data.format": STRING,
    "data.schema": OBJECT, "data.properties": OBJECT, "data.properties.columnDelimiter": STRING,
    "params.type": STRING, "inheritedAttributes": OBJECT, "inheritedAttributes.baseConnection": OBJECT,
    "inheritedAttributes.baseConnection.id": STRING,
}  # fmt: skip
_TARGET = {
    "providerRefId": STRING, "data": OBJECT, "data.format": STRING, "params": OBJECT, "params.dataSetId": STRING,
    "inheritedAttributes": OBJECT,
}  # fmt: skip
_FLOW = {
    "sourceConnectionIds": ARRAY, "targetConnectionIds": ARRAY, "transformations": ARRAY,
    "transformations.name": STRING, "transformations.params": OBJECT, "transformations.params.mappingId": STRING,
    "runs": STRING, "labels": ARRAY, "lastOperation": OBJECT, "lastOperation.started": NUMBER,
    "lastOperation.updated": NUMBER, "lastOperation.operation": STRING, "lastRunDetails": OBJECT,
    "lastRunDetails.id": STRING, "lastRunDetails.state": STRING, "lastRunDetails.startedAtUTC": NUMBER,
    "lastRunDetails.completedAtUTC": NUMBER, "inheritedAttributes": OBJECT,
    "inheritedAttributes.sourceConnections": ARRAY, "inheritedAttributes.sourceConnections.id": STRING,
    "inheritedAttributes.sourceConnections.baseConnection.id": STRING,
    "inheritedAttributes.targetConnections": ARRAY, "inheritedAttributes.targetConnections.id": STRING,
}  # fmt: skip

#: collection name -> its known fields.
FIELDS: dict[str, FieldTypes] = {
    "connections": _merged(
        _AUDIT, _NAMED, _spec_ref("connectionSpec"), {"auth": OBJECT, "auth.specName": STRING}, _AUTH_PARAMS
    ),
    "sourceConnections": _merged(
        _AUDIT,
        _NAMED,
        _spec_ref("connectionSpec"),
        _SOURCE,
        _spec_ref("inheritedAttributes.baseConnection.connectionSpec"),
        _SOURCE_PARAMS,
    ),
    "targetConnections": _merged(
        _AUDIT, _NAMED, _spec_ref("connectionSpec"), _TARGET, _spec_ref("data.schema")
    ),
    "flows": _merged(
        _AUDIT,
        _NAMED,
        _spec_ref("flowSpec"),
        _FLOW,
        schema_types(_FLOW_SPEC["scheduleSpec"]["spec"], "scheduleParams"),
        schema_types(_FLOW_SPEC["optionSpec"]["spec"], "options"),
    ),
    "runs": _merged(_AUDIT, {"eTag": STRING}, types_of(_RUN)),
    "connectionSpecs": _documents(specs.SPECS.values()),
    "flowSpecs": _documents(flowspecs.FLOW_SPECS.values()),
}


def through_array(types: FieldTypes, path: str) -> bool:
    """Whether ``path`` (``[]`` markers or not) runs through an array of the collection."""
    if "[]" in path:
        return True
    parts = path.split(".")
    return any(types.get(".".join(parts[:i])) == ARRAY for i in range(1, len(parts)))


def field_type(types: FieldTypes, path: str) -> str | None:
    """The known type at ``path`` (``[]`` markers dropped), or None for a path the collection does not list."""
    return types.get(path.replace("[]", ""))


def sortable(types: FieldTypes, path: str) -> bool:
    """Whether ``orderby`` may name ``path``: a known scalar field outside any array."""
    return field_type(types, path) in SCALARS and not through_array(types, path)
