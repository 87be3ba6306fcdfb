"""``Dataflow``: a scheduled CloudStorageToAEP flow from a source connection to a target connection (§6)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal

from pulumi.dynamic import CheckFailure

from pulumi_aep.pipeline import common, rules, schedule
from pulumi_aep.pipeline.definition import (
    Output,
    Property,
    Props,
    ResourceDefinition,
    as_integer,
    diff_properties,
)
from pulumi_aep.pipeline.facts import (
    CLOUD_STORAGE_FLOW_SPEC,
    FLOW_SPEC_IDS,
    MAPPING_TRANSFORMATION,
    SPEC_VERSION,
)
from pulumi_aep.pipeline.flow_specs import spec_failures
from pulumi_aep.pipeline.patching import (
    NAME_AND_DESCRIPTION,
    field_ops,
    with_description,
)
from pulumi_aep.pipeline.runs import LAST_RUN_OUTPUTS, last_run
from pulumi_aep.validation import is_unknown

Action = Literal["enable", "disable"]
_KIND: Final = "dataflow"
#: Name, description, schedule and mapping are PATCHed; ``enabled`` goes through the action endpoint (§11).
DEFINITION: Final = ResourceDefinition(
    name="Dataflow",
    description="A Flow Service dataflow that ingests a Blob source connection into a Data Lake target.",
    inputs=(
        common.name(_KIND),
        common.description(_KIND),
        Property(
            "source_connection_id",
            "string",
            "The source connection to read (an AzureBlobSourceConnection's source_connection_id).",
            required=True,
            replaces=True,
            required_hint="pass an AzureBlobSourceConnection's source_connection_id",
            rule=rules.flow_service_id("a source connection"),
        ),
        Property(
            "target_connection_id",
            "string",
            "The target connection to write to (a DataLakeTargetConnection's target_connection_id).",
            required=True,
            replaces=True,
            required_hint="pass a DataLakeTargetConnection's target_connection_id",
            rule=rules.flow_service_id("a target connection"),
        ),
        Property(
            "flow_spec_name",
            "string",
            f"The flow spec, looked up by name unless flow_spec_id is set (default {CLOUD_STORAGE_FLOW_SPEC}).",
            replaces=True,
            default=CLOUD_STORAGE_FLOW_SPEC,
            rule=rules.flow_spec_name,
        ),
        Property(
            "flow_spec_id",
            "string",
            "The flow spec's id, to skip the lookup by name; it must be flow_spec_name's id.",
            replaces=True,
            rule=rules.flow_service_id("a flow spec"),
        ),
        Property(
            "schedule",
            "object",
            "When the flow runs: frequency, interval, start_time (epoch seconds), backfill.",
            required=True,
            required_hint="e.g. {frequency: hour, interval: 1, start_time: <epoch seconds>}",
            fields=schedule.FIELDS,
        ),
        Property("mapping_id", "string", "A Data Prep mapping set to apply (32 hex).", rule=rules.mapping_id),
        Property(
            "mapping_version",
            "integer",
            "The mapping set's version (default 0 when mapping_id is set).",
            rule=rules.non_negative,
        ),
        Property(
            "enabled", "boolean", "Whether the flow runs (default true); changed in place.", default=True
        ),
        common.SANDBOX_NAME,
    ),
    outputs=(
        Output("flow_id", "string", "The dataflow's id."),
        Output("etag", "string", "The current version, sent as If-Match on updates."),
        Output("state", "string", "enabled, disabled, draft, ... as Flow Service reports it."),
        Output("created_at", "integer", "Creation time, epoch milliseconds."),
        Output("updated_at", "integer", "Last update time, epoch milliseconds."),
        *LAST_RUN_OUTPUTS,
    ),
)


def normalize(news: Props, default_sandbox: str) -> dict[str, Any]:
    """Defaults applied: sandbox, flow spec (and its id when known), ``enabled``, backfill, mapping version."""
    inputs = DEFINITION.normalize(news, default_sandbox)
    name = inputs.get("flow_spec_name")
    if inputs.get("flow_spec_id") is None and isinstance(name, str) and name in FLOW_SPEC_IDS:
        inputs["flow_spec_id"] = FLOW_SPEC_IDS[name]
    sched = inputs.get("schedule")
    if isinstance(sched, Mapping) and not is_unknown(sched.get("frequency")):
        inputs["schedule"] = schedule.with_defaults(sched)
    if inputs.get("mapping_id") is not None and inputs.get("mapping_version") is None:
        inputs["mapping_version"] = 0
    return inputs


def check(inputs: Props) -> list[CheckFailure]:
    """Every rule, each failure naming its property; unknown values are skipped."""
    failures = DEFINITION.check(inputs) + spec_failures(inputs) + _connection_failures(inputs)
    if isinstance(inputs.get("schedule"), Mapping):  # not an object: check_properties said so
        failures += schedule.check_schedule(inputs["schedule"])
    if inputs.get("mapping_version") is not None and inputs.get("mapping_id") is None:
        failures.append(
            CheckFailure("mapping_version", "needs mapping_id: set both, or remove mapping_version")
        )
    return failures


def _connection_failures(inputs: Props) -> list[CheckFailure]:
    source, target = inputs.get("source_connection_id"), inputs.get("target_connection_id")
    if not isinstance(source, str) or is_unknown(source) or source != target:
        return []
    return [
        CheckFailure(
            "target_connection_id",
            "is the same id as source_connection_id: a flow reads a source connection and writes another, "
            "a target; pass a DataLakeTargetConnection's target_connection_id",
        )
    ]


def _mapping(props: Props) -> dict[str, Any] | None:
    if props.get("mapping_id") is None:
        return None
    params = {
        "mappingId": props["mapping_id"],
        "mappingVersion": as_integer(props.get("mapping_version")) or 0,
    }
    return {"name": MAPPING_TRANSFORMATION, "params": params}


def create_body(props: Props, flow_spec_id: str) -> dict[str, Any]:
    """The ``POST /flows`` body (§6.1); ``state`` is never sent (1410): ``enabled`` is applied by an action."""
    body: dict[str, Any] = {
        "name": props["name"],
        "flowSpec": {"id": flow_spec_id, "version": SPEC_VERSION},
        "sourceConnectionIds": [props["source_connection_id"]],
        "targetConnectionIds": [props["target_connection_id"]],
        "scheduleParams": schedule.schedule_params(props["schedule"]),
    }
    mapping = _mapping(props)
    if mapping is not None:
        body["transformations"] = [mapping]
    return with_description(body, props)


def patch_ops(current: Props, desired: Props) -> list[dict[str, Any]]:
    """JSON Patch for name, description, schedule and a changed mapping (the flow's only transformation)."""
    ops = field_ops(current, desired, NAME_AND_DESCRIPTION)
    ops += schedule.patch_ops(current.get("schedule"), desired["schedule"])
    old, new = _mapping(current), _mapping(desired)
    if old is not None and new is not None and old != new:
        ops.append({"op": "replace", "path": "/transformations/0", "value": new})
    return ops


def action(current_enabled: bool | None, desired_enabled: bool | None) -> Action | None:
    """The ``POST /flows/{id}/action?op=`` call that takes the flow to ``desired_enabled``, if any.

    A new flow starts enabled (§6.1), so after a create pass ``current_enabled=True``.
    """
    desired = desired_enabled is not False
    if current_enabled is desired:
        return None
    return "enable" if desired else "disable"


def diff(olds: Props, news: Props, now: float) -> tuple[list[str], list[str]]:
    """``(changed keys, replaces)``; ``now`` (epoch seconds) decides whether a schedule change can be PATCHed.

    An undeclared ``flow_spec_id`` is resolved from the name and never a change of its own. Adding or
    removing the mapping replaces the flow (Adobe documents only replacing ``/transformations/<i>``).
    """
    keys, replaces = diff_properties(DEFINITION, olds, news)
    if news.get("flow_spec_id") is None:
        keys = [k for k in keys if k != "flow_spec_id"]
        replaces = [k for k in replaces if k != "flow_spec_id"]
    if "schedule" in keys and _schedule_replaces(olds.get("schedule"), news.get("schedule"), now):
        replaces.append("schedule")
    if "mapping_id" in keys and (olds.get("mapping_id") is None) != (news.get("mapping_id") is None):
        replaces.append("mapping_id")
    return keys, [k for k in keys if k in replaces]


def _schedule_replaces(old: Any, new: Any, now: float) -> bool:
    if not isinstance(new, Mapping) or is_unknown(new):
        return False
    return schedule.change(old if isinstance(old, Mapping) else None, new, now) == "replace"


def outputs(
    props: Props, flow: Mapping[str, Any], runs: Sequence[Mapping[str, Any]], sandbox: str
) -> dict[str, Any]:
    """Outputs from a ``GET /flows/{id}`` item and the flow's runs, over the declared inputs."""
    mapping = next(
        (t for t in flow.get("transformations") or [] if t.get("name") == MAPPING_TRANSFORMATION), None
    )
    params = (mapping or {}).get("params") or {}
    version = params.get("mappingVersion")
    state = flow.get("state")
    outs: dict[str, Any] = {k: props.get(k) for k in DEFINITION.input_names if props.get(k) is not None}
    outs.update(
        name=flow.get("name", props.get("name")),
        description=flow.get("description"),
        source_connection_id=next(iter(flow.get("sourceConnectionIds") or []), None),
        target_connection_id=next(iter(flow.get("targetConnectionIds") or []), None),
        flow_spec_id=(flow.get("flowSpec") or {}).get("id", props.get("flow_spec_id")),
        schedule=schedule.from_schedule_params(flow.get("scheduleParams") or {}),
        mapping_id=params.get("mappingId"),
        mapping_version=int(version) if isinstance(version, str) and version.isdigit() else version,
        enabled=state == "enabled" if state in ("enabled", "disabled") else props.get("enabled"),
        sandbox_name=flow.get("sandboxName") or sandbox,
        flow_id=flow.get("id"),
        etag=flow.get("etag"),
        state=state,
        created_at=flow.get("createdAt"),
        updated_at=flow.get("updatedAt"),
        **last_run(runs),
    )
    if outs.get("flow_spec_name") is None:  # after `pulumi import`: named from the documented spec id
        names = {spec_id: name for name, spec_id in FLOW_SPEC_IDS.items()}
        outs["flow_spec_name"] = names.get(str(outs.get("flow_spec_id")))
    return outs


def inputs_from_outputs(outs: Props) -> dict[str, Any]:
    """The input view of a refreshed state, so the next preview diffs against reality."""
    return {k: outs[k] for k in DEFINITION.input_names if outs.get(k) is not None}
