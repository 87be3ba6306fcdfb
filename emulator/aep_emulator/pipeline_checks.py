"""Validation of source connection, target connection and dataflow bodies (pipeline reference §3, §4, §6).

Plain functions that raise :class:`FlowError` with the documented Flow Service and Sources codes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aep_emulator import flowspecs
from aep_emulator.errors import FlowError, bad_request
from aep_emulator.explore import DELIMITER_ALIASES

if TYPE_CHECKING:
    from aep_emulator.backend import Caller
    from aep_emulator.siblings import Siblings

SOURCE_FORMATS = ("delimited", "json", "parquet", "parquet_xdm", "tabular")
TARGET_FORMATS = ("parquet_xdm", "delimited", "json", "parquet", "tabular")
FREQUENCIES = ("once", "minute", "hour", "day", "week")
#: Size limits (the emulator's choice; Adobe documents none): characters of a name and a description.
MAX_NAME = 256
MAX_DESCRIPTION = 4096
#: ``params.type`` of a source connection: one file, or a folder (or wildcard).
SOURCE_PATH_TYPES = ("file", "folder")


def _at_least(minimum: int) -> dict[str, Any]:
    """An integer of at least ``minimum`` (below 100), or its digits: what :func:`_integer` reads."""
    tens, ones = divmod(minimum, 10)
    two_digits = [f"{tens}[{ones}-9]"] + ([f"[{tens + 1}-9][0-9]"] if tens < 9 else [])
    spelled = ["[1-9][0-9]{2,}", *(two_digits if tens else ["[1-9][0-9]", f"[{ones}-9]"])]
    return {
        "anyOf": [
            {"type": "integer", "minimum": minimum},
            {"type": "string", "pattern": f"^0*({'|'.join(spelled)})$"},
        ]
    }


_START_TIME = {**_at_least(0), "description": "Epoch seconds"}
#: The ``scheduleParams`` :func:`schedule` accepts, as a JSON schema (the emulator's OpenAPI document shows it):
#: ``once`` without interval or backfill, else an interval of at least the frequency's minimum.
SCHEDULE_SCHEMA: dict[str, Any] = {
    "oneOf": [
        {
            "type": "object",
            "title": "once",
            "properties": {"startTime": _START_TIME, "frequency": {"const": "once"}, "interval": False,
                           "backfill": False},
            "required": ["startTime", "frequency"],
        },
        *(
            {
                "type": "object",
                "title": frequency,
                "properties": {
                    "startTime": _START_TIME,
                    "frequency": {"const": frequency},
                    "interval": _at_least(minimum),
                    "backfill": {"enum": [True, False, "true", "false"]},
                },
                "required": ["startTime", "frequency", "interval"],
            }
            for frequency, minimum in flowspecs.MIN_INTERVAL.items()
        ),
    ]
}  # fmt: skip


def body_object(body: Any) -> dict[str, Any]:
    """The request body as an object: 1405 when empty, 1100 when not an object."""
    if body in (None, {}, b""):
        raise bad_request("The request body is null or empty", 1405)
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object", 1100)
    return body


def name_and_description(body: dict[str, Any], required: bool = True) -> dict[str, Any]:
    """The ``name`` and optional ``description`` fields, with their size limits."""
    name = body.get("name")
    if name in (None, "") and required:
        raise bad_request("The mandatory field name is not provided", 1304)
    if name is not None and not isinstance(name, str):
        raise bad_request("The field name must be a string", 1100)
    if isinstance(name, str) and len(name) > MAX_NAME:
        raise bad_request(f"The field name is longer than {MAX_NAME} characters", 1100)
    fields: dict[str, Any] = {"name": name}
    description = body.get("description")
    if description is not None:
        if not isinstance(description, str):
            raise bad_request("The field description must be a string", 1100)
        if len(description) > MAX_DESCRIPTION:
            raise bad_request(f"The field description is longer than {MAX_DESCRIPTION} characters", 1100)
        fields["description"] = description
    return fields


def spec_ref(body: dict[str, Any], key: str, strict_version: bool) -> dict[str, Any]:
    """``connectionSpec`` / ``flowSpec`` as ``{id, version}`` (1304 without an id, 422 strict without version)."""
    ref = body.get(key)
    if not isinstance(ref, dict) or not isinstance(ref.get("id"), str) or not ref["id"]:
        raise bad_request(f"The mandatory field {key}.id is not provided", 1304)
    version = ref.get("version")
    if version is None and strict_version:
        raise FlowError(422, 422, f"{key}.version 'version' is required for spec info")
    return {"id": ref["id"], "version": "1.0" if version in (None, 1, "1", "1.0") else str(version)}


def source_data(body: dict[str, Any]) -> dict[str, Any]:
    """``data`` of a source connection: the format (1327) and a one-character delimiter (1331)."""
    data = body.get("data")
    if not isinstance(data, dict) or not data.get("format"):
        raise bad_request("The mandatory field data.format is not provided", 1304)
    if data["format"] not in SOURCE_FORMATS:
        raise bad_request(
            f"The source format supplied={data['format']} in SourceConnection is not supported. "
            f"The allowed values are: {', '.join(SOURCE_FORMATS)}",
            1327,
        )
    properties = data.get("properties")
    if properties is not None and not isinstance(properties, dict):
        raise bad_request("The field data.properties must be an object", 1100)
    delimiter = (properties or {}).get("columnDelimiter")
    delimiter = DELIMITER_ALIASES.get(delimiter, delimiter) if isinstance(delimiter, str) else delimiter
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
        raise bad_request(
            "Column Delimiter cannot be more than one character. Provide a valid delimiter", 1331
        )
    return {"format": data["format"], "schema": data.get("schema"), "properties": properties}


def source_params(body: dict[str, Any]) -> dict[str, Any]:
    """``params`` of a source connection: ``path`` is required (1304)."""
    params = body.get("params")
    if not isinstance(params, dict) or not isinstance(params.get("path"), str) or not params["path"]:
        raise bad_request("The mandatory field params.path is not provided", 1304)
    if params.get("type") not in (None, *SOURCE_PATH_TYPES):
        raise bad_request(f"Invalid params.type '{params['type']}': use file or folder", 1100)
    return params


def target_fields(body: dict[str, Any]) -> dict[str, Any]:
    """``data`` and ``params`` of a Data Lake target connection (1307 spec, 1325 dataSetId)."""
    if body["connectionSpec"]["id"] != flowspecs.DATA_LAKE_SPEC_ID:
        raise bad_request(
            f"The target connection spec ID is not valid={body['connectionSpec']['id']}. "
            f"The allowed value is: {flowspecs.DATA_LAKE_SPEC_ID}",
            1307,
        )
    params = body.get("params")
    if not isinstance(params, dict) or not params.get("dataSetId"):
        raise bad_request("The dataSetId param cannot be null or empty in target connection", 1325)
    data = body.get("data")
    if data is not None and not isinstance(data, dict):
        raise bad_request("The field data must be an object", 1100)
    data = dict(data or {})
    if data.get("format") not in (None, *TARGET_FORMATS):
        raise bad_request(f"The target format supplied={data['format']} is not supported", 1327)
    schema = data.get("schema")
    if schema is not None and (not isinstance(schema, dict) or not schema.get("id")):
        raise bad_request("The mandatory field data.schema.id is not provided", 1304)
    return {"data": data, "params": params}


def one_id(body: dict[str, Any], key: str, kind: str) -> str:
    """The single id of ``sourceConnectionIds`` / ``targetConnectionIds`` (1338 missing, 1321 not one)."""
    ids = body.get(key)
    if ids is None:
        raise bad_request(f"The {kind} connection ID can't be null in flowRequest", 1338)
    if not isinstance(ids, list) or len(ids) != 1 or not isinstance(ids[0], str):
        size = len(ids) if isinstance(ids, list) else 1
        raise bad_request(f"The length of {key} should be one, supplied size is {size}", 1321)
    return ids[0]


def _integer(value: Any, field: str) -> int:
    if isinstance(value, bool) or not (
        isinstance(value, int) or (isinstance(value, str) and value.isdigit())
    ):
        raise bad_request(f"The schedule param {field} must be an integer, got {value!r}", 1100)
    return int(value)


def schedule(params: Any) -> dict[str, Any]:
    """``scheduleParams`` (§6.2): 1317 empty, 1397 frequency, 1361/1364 with once, 1362/1363 interval."""
    if not isinstance(params, dict) or not params:
        raise bad_request("The provided schedule params are empty but should not be empty", 1317)
    _integer(params.get("startTime"), "startTime")
    frequency = params.get("frequency")
    if frequency not in FREQUENCIES:
        raise bad_request(f"Invalid frequency '{frequency}': use one of {', '.join(FREQUENCIES)}", 1397)
    if frequency == "once":
        if params.get("interval") is not None:
            raise bad_request("Interval is not allowed with one time ingestion", 1361)
        if params.get("backfill") is not None:
            raise bad_request("Backfill is not allowed with one time ingestion", 1364)
        return params
    if params.get("interval") is None:
        raise bad_request(f"Interval {None} is not allowed with frequency: {frequency}", 1363)
    interval = _integer(params["interval"], "interval")
    minimum = flowspecs.MIN_INTERVAL[str(frequency)]
    if interval < minimum:
        raise bad_request(f"Interval cannot be less than {minimum}", 1362)
    if params.get("backfill") not in (None, True, False, "true", "false"):
        raise bad_request(f"Invalid backfill '{params['backfill']}': use true or false", 1100)
    return params


def transformations(value: Any) -> list[dict[str, Any]]:
    """``transformations``: each ``{name, params}``; a ``Mapping`` needs ``mappingId`` (1370)."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(t, dict) and t.get("name") for t in value):
        raise bad_request("Every transformation needs a name and params", 1100)
    for item in value:
        if item["name"] == "Mapping" and not (item.get("params") or {}).get("mappingId"):
            raise bad_request(
                "The source columns could not be fetched for ingestion because the mapping "
                "transformation is missing",
                1370,
            )
    return value


def flow_request(body: dict[str, Any]) -> None:
    """Fields a create-flow request must not carry: ``state`` (1410) and ``mode`` (1368)."""
    if "state" in body:
        raise bad_request("State is not allowed in the create flow request", 1410)
    if "mode" in body:
        raise bad_request("Mode is not allowed in flow request", 1368)


def pairing(spec: dict[str, Any], source: dict[str, Any], target: dict[str, Any]) -> None:
    """The source and target connection specs are those the flow spec pairs (1413)."""
    for entity, allowed in ((source, "sourceConnectionSpecIds"), (target, "targetConnectionSpecIds")):
        if entity["connectionSpec"]["id"] not in spec[allowed]:
            raise bad_request(
                f"The connection spec {entity['connectionSpec']['id']} of {entity['id']} is not in the "
                f"{allowed} of flow spec {spec['name']}",
                1413,
            )


def mappings(siblings: Siblings, caller: Caller, items: list[dict[str, Any]], target: dict[str, Any]) -> None:
    """Each Mapping transformation names an existing mapping set, its version (1412), the dataset's schema (1425)."""
    dataset = siblings.dataset(caller, str(target["params"]["dataSetId"]))
    for item in items:
        if item["name"] != "Mapping":
            continue
        mapping = siblings.mapping(caller, str(item["params"]["mappingId"]))
        version = item["params"].get("mappingVersion", mapping["version"])
        if str(version) != str(mapping["version"]):
            raise bad_request(f"Invalid Mapping Version in request: {version}", 1412)
        if mapping["_schema"] != dataset["schemaRef"]["id"]:
            raise bad_request(
                f"Error while matching schema in target dataset {target['params']['dataSetId']} with "
                f"schema in mapping {mapping['id']}. Schema with same id and version must be used in "
                "both mapping and target dataset",
                1425,
            )
