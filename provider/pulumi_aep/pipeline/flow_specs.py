"""Flow spec choice and pairing: the spec must take the source's and the target's connection specs (§5)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import CheckFailure

from pulumi_aep.model import AZURE_BLOB_SPEC_ID
from pulumi_aep.pipeline.definition import Props
from pulumi_aep.pipeline.facts import (
    CLOUD_STORAGE_FLOW_SPEC,
    DATA_LAKE_SPEC_ID,
    FLOW_SPEC_IDS,
    FLOW_SPEC_SOURCES,
)
from pulumi_aep.validation import is_unknown

_NAMES_BY_ID = {spec_id: name for name, spec_id in FLOW_SPEC_IDS.items()}
#: The connection specs of the pipeline's two ends (§3.1, §4.1): ids a flow spec id is mistaken for.
_CONNECTION_SPECS = {AZURE_BLOB_SPEC_ID: "Azure Blob", DATA_LAKE_SPEC_ID: "Data Lake"}


def _known_str(value: Any) -> bool:
    return isinstance(value, str) and not is_unknown(value)


def spec_failures(inputs: Props) -> list[CheckFailure]:
    """Preview checks of ``flow_spec_name`` and ``flow_spec_id`` against the specs Adobe documents.

    A name Adobe documents must take Azure Blob sources; a misspelt one gets the right spelling; an
    undocumented name passes (it is looked up at create, then ``pairing_failures`` applies). An id
    Adobe documents must be the id of ``flow_spec_name``; a connection spec's id is no flow spec's (it
    would be sent as the flow's spec: no lookup checks a given id).
    """
    name, spec_id = inputs.get("flow_spec_name"), inputs.get("flow_spec_id")
    failures: list[CheckFailure] = []
    if _known_str(name):
        if name in FLOW_SPEC_SOURCES and AZURE_BLOB_SPEC_ID not in FLOW_SPEC_SOURCES[name]:
            failures.append(
                CheckFailure(
                    "flow_spec_name",
                    f"{name} does not take Azure Blob source connections: use {CLOUD_STORAGE_FLOW_SPEC}",
                )
            )
        spelling = next((n for n in FLOW_SPEC_IDS if n.lower() == str(name).lower() and n != name), None)
        if spelling:
            failures.append(CheckFailure("flow_spec_name", f"unknown flow spec; did you mean {spelling!r}?"))
    if _known_str(spec_id) and spec_id in _CONNECTION_SPECS:
        failures.append(
            CheckFailure(
                "flow_spec_id",
                f"is the {_CONNECTION_SPECS[spec_id]} connection spec's id, not a flow spec's: use "
                f"{FLOW_SPEC_IDS[CLOUD_STORAGE_FLOW_SPEC]} ({CLOUD_STORAGE_FLOW_SPEC}) or remove flow_spec_id",
            )
        )
    owner = _NAMES_BY_ID.get(str(spec_id)) if _known_str(spec_id) else None
    if owner is not None and _known_str(name) and owner != name and not failures:
        expected = FLOW_SPEC_IDS.get(str(name))
        fix = f"use {expected}" if expected else "remove flow_spec_id to look the spec up by name"
        failures.append(CheckFailure("flow_spec_id", f"is the id of {owner}, not of {name}: {fix}"))
    return failures


def resolved_id(props: Props) -> str | None:
    """The flow spec id to create with, when known without a lookup."""
    if props.get("flow_spec_id") is not None:
        return str(props["flow_spec_id"])
    return FLOW_SPEC_IDS.get(str(props.get("flow_spec_name")))


def lookup_params(name: str) -> dict[str, str]:
    """Query parameters of ``GET /flowSpecs`` that find a spec by name (§5.1)."""
    return {"property": f"name=={name}"}


def pairing_failures(
    spec: Mapping[str, Any], *, source_spec_id: str, target_spec_id: str
) -> list[CheckFailure]:
    """At create: the looked-up spec must list the source's and the target's connection specs (§5.2)."""
    name = spec.get("name") or spec.get("id")
    failures: list[CheckFailure] = []
    if source_spec_id not in (spec.get("sourceConnectionSpecIds") or []):
        failures.append(
            CheckFailure(
                "source_connection_id",
                f"uses connection spec {source_spec_id}, which flow spec {name} does not take "
                f"(an Azure Blob source needs {CLOUD_STORAGE_FLOW_SPEC})",
            )
        )
    if target_spec_id not in (spec.get("targetConnectionSpecIds") or []):
        failures.append(
            CheckFailure(
                "target_connection_id",
                f"uses connection spec {target_spec_id}, which flow spec {name} does not take",
            )
        )
    return failures
