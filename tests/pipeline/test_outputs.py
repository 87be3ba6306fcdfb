"""API answers to outputs: ids, etags, states, the flow's last run; a refreshed state diffs as no change."""

from __future__ import annotations

from typing import Any

from pulumi_aep.pipeline import dataflow, dataset, runs, source_connection, target_connection

from .helpers import BASE_ID, DATASET_ID, MAPPING_ID, SCHEMA_ID, SOURCE_ID, START, TARGET_ID, props

ETAG = '"11004d97-0000-0200-0000-5f3c3b140000"'


def _source_item(**over: Any) -> dict[str, Any]:
    """§3.2's synthesized GET item, as the service echoes a created source connection."""
    item = {
        "id": SOURCE_ID,
        "createdAt": 1597784069368,
        "updatedAt": 1597784069368,
        "sandboxName": "prod",
        "name": "accounts",
        "baseConnectionId": BASE_ID,
        "state": "enabled",
        "data": {
            "format": "delimited",
            "schema": None,
            "properties": {"columnDelimiter": ",", "encoding": "UTF-8"},
        },
        "connectionSpec": {"id": "4c10e202-c428-4796-9208-5f1f5732b1cf", "version": "1.0"},
        "params": {"path": "/acme/summerCampaign/*.csv", "type": "folder"},
        "version": ETAG,
        "etag": ETAG,
    }
    return {**item, **over}


def _flow_item(**over: Any) -> dict[str, Any]:
    """A flow GET item echoing scheduleParams as strings, as UPD-FLOW shows."""
    item = {
        "id": "2edc08ac-4df5-4fe6-936f-81a19ce92f5c",
        "name": "accounts hourly",
        "flowSpec": {"id": "9753525b-82c7-4dce-8a9b-5ccfce2b9876", "version": "1.0"},
        "state": "enabled",
        "sourceConnectionIds": [SOURCE_ID],
        "targetConnectionIds": [TARGET_ID],
        "scheduleParams": {"startTime": str(START), "frequency": "hour", "interval": "1", "backfill": "true"},
        "etag": ETAG,
        "sandboxName": "prod",
    }
    return {**item, **over}


def _run(run_id: str, started: int, status: str, **records: int) -> dict[str, Any]:
    return {
        "id": run_id,
        "flowId": "2edc08ac-4df5-4fe6-936f-81a19ce92f5c",
        "metrics": {
            "durationSummary": {"startedAtUTC": started, "completedAtUTC": started + 60000},
            "recordSummary": records,
            "fileSummary": {"inputFileCount": 3},
            "statusSummary": {"status": status, "errors": [{"code": "CONNECTOR-2001-500", "message": "..."}]},
        },
    }


def test_source_outputs_carry_id_etag_state_and_the_echo() -> None:
    outs = source_connection.outputs(props("source"), _source_item(), "prod")
    assert (outs["source_connection_id"], outs["etag"], outs["state"]) == (SOURCE_ID, ETAG, "enabled")
    assert (outs["path_type"], outs["column_delimiter"], outs["created_at"]) == ("folder", ",", 1597784069368)


def test_refreshed_source_connection_shows_no_change() -> None:
    news = props("source")
    outs = source_connection.outputs(news, _source_item(), "prod")
    assert source_connection.diff(outs, news) == ([], [])


def test_out_of_band_source_path_change_is_drift_that_replaces() -> None:
    outs = source_connection.outputs(
        props("source"), _source_item(params={"path": "/other/", "type": "folder"}), "prod"
    )
    assert source_connection.diff(outs, props("source")) == (["path"], ["path"])


def test_source_recursive_string_echo_read_as_boolean() -> None:
    item = _source_item(params={"path": "/acme/", "type": "folder", "recursive": "true"})
    assert source_connection.outputs(props("source"), item, "prod")["recursive"] is True


def test_target_outputs_and_a_missing_format_echo() -> None:
    item = {
        "id": TARGET_ID,
        "etag": ETAG,
        "state": "enabled",
        "name": "accounts lake",
        "data": {"schema": {"id": SCHEMA_ID, "version": "application/vnd.adobe.xed-full+json;version=1"}},
        "params": {"dataSetId": DATASET_ID},
        "sandboxName": "prod",
    }
    news = props("target")
    outs = target_connection.outputs(news, item, "prod")
    assert (outs["target_connection_id"], outs["data_format"]) == (TARGET_ID, "parquet_xdm")
    assert target_connection.diff(outs, news) == ([], [])


def test_dataset_outputs_from_the_keyed_catalog_answer() -> None:
    answer = {DATASET_ID: {"name": "accounts", "schemaRef": {"id": SCHEMA_ID}, "created": 1, "updated": 2}}
    news = props("dataset")
    outs = dataset.outputs(news, answer, dataset_id=DATASET_ID, sandbox="prod")
    assert (outs["dataset_id"], outs["schema_id"], outs["updated_at"]) == (DATASET_ID, SCHEMA_ID, 2)
    assert dataset.diff(outs, news) == ([], [])


def test_refreshed_flow_with_string_echoes_shows_no_change() -> None:
    news = props("flow")
    outs = dataflow.outputs(news, _flow_item(), [], "prod")
    assert outs["schedule"] == {"frequency": "hour", "interval": 1, "start_time": START, "backfill": True}
    assert dataflow.diff(outs, news, now=0) == ([], [])


def test_flow_disabled_out_of_band_is_an_in_place_change_of_enabled() -> None:
    outs = dataflow.outputs(props("flow"), _flow_item(state="disabled"), [], "prod")
    assert outs["enabled"] is False
    assert dataflow.diff(outs, props("flow"), now=0) == (["enabled"], [])


def test_flow_mapping_echo_with_string_version() -> None:
    item = _flow_item(
        transformations=[{"name": "Mapping", "params": {"mappingId": MAPPING_ID, "mappingVersion": "0"}}]
    )
    news = props("flow", mapping_id=MAPPING_ID)
    outs = dataflow.outputs(news, item, [], "prod")
    assert (outs["mapping_id"], outs["mapping_version"]) == (MAPPING_ID, 0)
    assert dataflow.diff(outs, news, now=0) == ([], [])


def test_last_run_is_the_latest_started_with_its_counts() -> None:
    listing = {
        "items": [
            _run("old", 1_000, "failed", inputRecordCount=5),
            _run("new", 9_000, "Success", inputRecordCount=10, outputRecordCount=8, failedRecordCount=2),
        ],
        "_links": {},
    }
    outs = dataflow.outputs(props("flow"), _flow_item(), runs.runs_of(listing), "prod")
    assert outs["last_run_id"] == "new"
    assert outs["last_run_status"] == "success"
    assert (
        outs["last_run_records_read"],
        outs["last_run_records_written"],
        outs["last_run_records_failed"],
    ) == (10, 8, 2)
    assert (outs["last_run_files_read"], outs["last_run_started_at"], outs["last_run_completed_at"]) == (
        3,
        9000,
        69000,
    )
    assert outs["last_run_error_codes"] == "CONNECTOR-2001-500"


def test_no_runs_yet_gives_none_for_every_last_run_output() -> None:
    outs = runs.last_run(runs.runs_of({"items": []}))
    assert set(outs) == {o.name for o in runs.LAST_RUN_OUTPUTS}
    assert set(outs.values()) == {None}


def test_a_malformed_listing_gives_no_runs() -> None:
    assert runs.runs_of(["not", "a", "listing"]) == []
    assert runs.runs_of({"items": ["x", {"id": "r"}]}) == [{"id": "r"}]
