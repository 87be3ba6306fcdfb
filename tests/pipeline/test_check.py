"""check() of the four pipeline resources: each bad input named by property, with how to fix it."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_aep.model import UNKNOWN
from pulumi_aep.pipeline.facts import FLOW_SPEC_IDS

from .helpers import CHECK, DROP, VALID, failures, props, schedule

#: What the dynamic-provider server passes for a value unknown at preview (``keep_unknowns=True``).
PREVIEW_UNKNOWN = Unknown()  # type: ignore[no-untyped-call]

#: (resource, overrides, failing property, words of the reason). One bad input per row.
BAD_INPUTS: list[tuple[str, dict[str, Any], str, str]] = [
    # --- AzureBlobSourceConnection: ids and path
    ("source", {"base_connection_id": DROP}, "base_connection_id", "is required: pass an AzureBlobConnection"),
    ("source", {"base_connection_id": "conn-1"}, "base_connection_id", "must be a base connection id"),
    ("source", {"base_connection_id": "1F164D1B-DEBE-4B39-B4A9-DF767F7D6F7C"}, "base_connection_id", "a lowercase UUID"),
    ("source", {"path": DROP}, "path", "is required: the file, folder or wildcard"),
    # A trailing newline must not pass an anchored pattern ("$" matches before a final newline).
    ("source", {"base_connection_id": "1f164d1b-debe-4b39-b4a9-df767f7d6f7c\n"}, "base_connection_id", "a lowercase UUID"),
    ("target", {"dataset_id": "5f3c3cedb2805c194ff0b69a\n"}, "dataset_id", "24 lowercase hex characters"),
    ("target", {"schema_version": "1.0\n"}, "schema_version", "must be a schema version"),
    ("target", {"schema_version": "\u0661.\u0660"}, "schema_version", "must be a schema version"),
    ("source", {"path": ""}, "path", "must not be empty or blank"),
    ("source", {"path": "acme/accounts.csv"}, "path", "must start with '/'"),
    ("source", {"path": "/acme/*/accounts.csv"}, "path", "wildcards ('*') are documented only in the file name"),
    ("source", {"path": "/acme/*/"}, "path", "wildcards ('*') are documented only in the file name"),
    ("source", {"path": "/acme/../secret.csv"}, "path", "must not contain empty, '.' or '..' segments"),
    ("source", {"path": "/acme//accounts.csv"}, "path", "must not contain empty, '.' or '..' segments"),
    ("source", {"path": "/acme\\accounts.csv"}, "path", "use '/' as the separator"),
    ("source", {"path": "/acme/accounts\n.csv"}, "path", "contains a control character"),
    ("source", {"path": "/" + "a" * 1024}, "path", "is 1025 characters long; the limit is 1024"),
    ("source", {"path_type": "directory"}, "path_type", "must be one of file, folder"),
    ("source", {"path_type": "file"}, "path_type", "must be 'folder' for a wildcard or a path ending in '/'"),
    ("source", {"path": "/acme/a.csv", "recursive": True}, "recursive", "applies only to folders"),
    ("source", {"recursive": "true"}, "recursive", "must be true or false"),
    # --- data formats and their properties
    ("source", {"data_format": DROP}, "data_format", "is required: one of delimited, json, parquet"),
    ("source", {"data_format": "csv"}, "data_format", "must be one of delimited, json, parquet"),
    ("source", {"data_format": "JSON"}, "data_format", "did you mean 'json'?"),
    ("source", {"column_delimiter": ",,"}, "column_delimiter", "must be exactly one character (got 2)"),
    ("source", {"column_delimiter": "\n"}, "column_delimiter", "cannot be a line break"),
    ("source", {"column_delimiter": 9}, "column_delimiter", "must be a string"),
    ("source", {"data_format": "json", "column_delimiter": ";"}, "column_delimiter", "applies only to delimited files, not json"),
    ("source", {"data_format": "json", "encoding": "UTF-8"}, "encoding", "applies only to delimited files, not json"),
    ("source", {"data_format": "parquet", "compression_type": "gzip"}, "compression_type", "applies only to delimited or json files, not parquet"),
    ("source", {"compression_type": "zip"}, "compression_type", "must be one of bzip2, gzip, deflate, zipDeflate, tarGzip, tar"),
    ("source", {"compression_type": "GZIP"}, "compression_type", "did you mean 'gzip'?"),
    ("source", {"encoding": "utf-8"}, "encoding", "did you mean 'UTF-8'?"),
    ("source", {"encoding": "UTF-16"}, "encoding", "must be one of UTF-8, ISO-8859-1"),
    # --- names, descriptions, sandboxes (shared rules)
    ("source", {"name": DROP}, "name", "is required: pass name= or leave it out to name it after the resource"),
    ("source", {"name": "  "}, "name", "must not be empty or blank"),
    ("source", {"name": "n" * 257}, "name", "is 257 characters long; the limit is 256"),
    ("source", {"description": "d" * 1025}, "description", "is 1025 characters long; the limit is 1024"),
    ("source", {"sandbox_name": "Prod"}, "sandbox_name", "must be an existing sandbox's name"),
    # --- Dataset
    ("dataset", {"schema_id": DROP}, "schema_id", "is required: the XDM schema's $id"),
    ("dataset", {"schema_id": "_acme.schemas.995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4"}, "schema_id", "must be an XDM schema's $id"),
    ("dataset", {"schema_id": "http://ns.adobe.com/acme/schemas/995dabbea86d58e346ff91bd8aa741a9"}, "schema_id", "must be an XDM schema's $id"),
    ("dataset", {"name": "tab\tname"}, "name", "contains a control character"),
    # --- DataLakeTargetConnection
    ("target", {"dataset_id": DROP}, "dataset_id", "is required: pass a Dataset's dataset_id"),
    ("target", {"dataset_id": "5f3c3cedb2805c194ff0b69"}, "dataset_id", "24 lowercase hex characters"),
    ("target", {"dataset_id": "26b53912-1005-49f0-b539-12100559f0e2"}, "dataset_id", "must be a Catalog dataset id"),
    ("target", {"schema_id": DROP}, "schema_id", "is required: the dataset's XDM schema $id"),
    ("target", {"schema_version": "version=1"}, "schema_version", "must be a schema version"),
    ("target", {"schema_version": "application/json;version=1"}, "schema_version", "must be a schema version"),
    ("target", {"data_format": "csv"}, "data_format", "must be one of parquet_xdm, delimited, json, parquet"),
    # --- Dataflow: connections and flow spec pairing
    ("flow", {"source_connection_id": DROP}, "source_connection_id", "is required: pass an AzureBlobSourceConnection"),
    ("flow", {"target_connection_id": "tgt"}, "target_connection_id", "must be a target connection id"),
    ("flow", {"flow_spec_name": "RestStorageToAEP"}, "flow_spec_name", "does not take Azure Blob source connections: use CloudStorageToAEP"),
    ("flow", {"flow_spec_name": "CRMToAEP"}, "flow_spec_name", "does not take Azure Blob source connections"),
    ("flow", {"flow_spec_name": "cloudStorageToAEP"}, "flow_spec_name", "did you mean 'CloudStorageToAEP'?"),
    ("flow", {"flow_spec_id": FLOW_SPEC_IDS["RestStorageToAEP"]}, "flow_spec_id", f"is the id of RestStorageToAEP, not of CloudStorageToAEP: use {FLOW_SPEC_IDS['CloudStorageToAEP']}"),
    ("flow", {"flow_spec_id": "9753525b"}, "flow_spec_id", "must be a flow spec id"),
    # --- Dataflow: schedule (§6.2)
    ("flow", {"schedule": DROP}, "schedule", "is required: e.g. {frequency: hour"),
    ("flow", {"schedule": "hourly"}, "schedule", "must be an object"),
    ("flow", {"schedule": schedule(frequency=DROP)}, "schedule.frequency", "is required: one of once, minute, hour, day, week"),
    ("flow", {"schedule": schedule(frequency="hourly")}, "schedule.frequency", "must be one of once, minute, hour, day, week"),
    ("flow", {"schedule": schedule(frequency="Hour")}, "schedule.frequency", "did you mean 'hour'?"),
    ("flow", {"schedule": schedule(frequency="minute", interval=10)}, "schedule.interval", "must be at least 15 with frequency 'minute' (Adobe 1362); got 10"),
    ("flow", {"schedule": schedule(frequency="day", interval=0)}, "schedule.interval", "must be at least 1 with frequency 'day'"),
    ("flow", {"schedule": schedule(frequency="week", interval=DROP)}, "schedule.interval", "is required with frequency 'week'"),
    ("flow", {"schedule": schedule(interval=1.5)}, "schedule.interval", "must be a whole number"),
    ("flow", {"schedule": schedule(frequency="once", interval=1)}, "schedule.interval", "is not allowed with frequency 'once' (Adobe 1361)"),
    ("flow", {"schedule": schedule(frequency="once", interval=DROP, backfill=False)}, "schedule.backfill", "is not allowed with frequency 'once' (Adobe 1364)"),
    ("flow", {"schedule": schedule(backfill="true")}, "schedule.backfill", "must be true or false"),
    ("flow", {"schedule": schedule(start_time=DROP)}, "schedule.start_time", "is required: the first run's time in Unix epoch seconds"),
    ("flow", {"schedule": schedule(start_time=1597784298000)}, "schedule.start_time", "looks like milliseconds"),
    ("flow", {"schedule": schedule(start_time="1597784298")}, "schedule.start_time", "must be a whole number of Unix epoch seconds"),
    ("flow", {"schedule": schedule(start_time=-1)}, "schedule.start_time", "must be 0 or more"),
    ("flow", {"schedule": schedule(every=2)}, "schedule.every", "unknown field; allowed: frequency, interval, start_time, backfill"),
    # --- Dataflow: mapping and enabled
    ("flow", {"mapping_id": "bf5286a9-c1ad-4266-baca-76ba3adc9366"}, "mapping_id", "32 lowercase hex characters"),
    ("flow", {"mapping_version": 2}, "mapping_version", "needs mapping_id"),
    ("flow", {"mapping_id": "bf5286a9c1ad4266baca76ba3adc9366", "mapping_version": -1}, "mapping_version", "must be 0 or more"),
    ("flow", {"enabled": "yes"}, "enabled", "must be true or false"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("resource", "overrides", "prop", "reason"),
    BAD_INPUTS,
    ids=[f"{r}-{p}-{i}" for i, (r, _, p, _) in enumerate(BAD_INPUTS)],
)
def test_bad_input_named_with_its_fix(
    resource: str, overrides: dict[str, Any], prop: str, reason: str
) -> None:
    found = failures(resource, **overrides)
    assert list(found) == [prop], found
    assert reason in found[prop]


def test_enough_distinct_bad_inputs() -> None:
    distinct = {(r, repr(sorted(o.items())), p) for r, o, p, _ in BAD_INPUTS}
    assert len(distinct) == len(BAD_INPUTS) >= 30


@pytest.mark.parametrize("resource", sorted(VALID))
def test_valid_inputs_pass(resource: str) -> None:
    assert failures(resource) == {}


@pytest.mark.parametrize(
    "overrides",
    [
        {"path": "/acme/summerCampaign/account.csv"},
        {"path": "/acme/summerCampaign/", "recursive": True},
        {"path": "/acme/summerCampaign/*premium*.csv"},
        {"path": "/"},
        {"column_delimiter": "\t"},
        {"data_format": "json", "compression_type": "gzip"},
        {"data_format": "parquet"},
        {"encoding": "ISO-8859-1", "compression_type": "tarGzip"},
    ],
)
def test_documented_source_variants_pass(overrides: dict[str, Any]) -> None:
    assert failures("source", **overrides) == {}


@pytest.mark.parametrize(
    "sched",
    [
        {"frequency": "once", "start_time": 0},
        {"frequency": "once", "start_time": 1597784298},
        {"frequency": "minute", "interval": 15, "start_time": 1597784298},
        {"frequency": "minute", "interval": 1000, "start_time": 1597784298.0},
        {"frequency": "week", "interval": 15, "start_time": 1612310466, "backfill": False},
        {"frequency": "day", "interval": 1.0, "start_time": 1612310466},
    ],
)
def test_documented_schedules_pass(sched: dict[str, Any]) -> None:
    assert failures("flow", schedule=sched) == {}


@pytest.mark.parametrize("unknown", [UNKNOWN, PREVIEW_UNKNOWN], ids=["sentinel", "Unknown"])
@pytest.mark.parametrize("resource", sorted(VALID))
def test_unknown_values_are_not_checked(resource: str, unknown: Any) -> None:
    news = dict.fromkeys(VALID[resource], unknown)
    assert [f.property for f in CHECK[resource](props(resource, **news))] == []


def test_unknown_schedule_fields_are_not_checked() -> None:
    sched = {"frequency": UNKNOWN, "interval": PREVIEW_UNKNOWN, "start_time": UNKNOWN}
    assert failures("flow", schedule=sched) == {}


def test_interval_checked_against_a_known_frequency_even_when_start_time_is_unknown() -> None:
    sched = {"frequency": "minute", "interval": 5, "start_time": PREVIEW_UNKNOWN}
    assert list(failures("flow", schedule=sched)) == ["schedule.interval"]


def test_several_failures_reported_at_once() -> None:
    found = failures("source", base_connection_id="x", path="relative", data_format="xml")
    assert sorted(found) == ["base_connection_id", "data_format", "path"]
