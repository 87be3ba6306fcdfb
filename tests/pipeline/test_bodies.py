"""Request bodies: the POST bodies match Adobe's documented examples; PATCH ops and flow actions."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_aep.pipeline import dataflow, dataset, flow_specs, source_connection, target_connection
from pulumi_aep.pipeline.facts import FLOW_SPEC_IDS

from .helpers import BASE_ID, DATASET_ID, MAPPING_ID, SCHEMA_ID, SOURCE_ID, TARGET_ID, props, schedule


def test_source_connection_body_is_collects_example() -> None:
    news = props(
        "source",
        name="Cloud Storage source connection",
        description="Source connection for a cloud storage source",
        path="/acme/summerCampaign/account.csv",
        compression_type="gzip",
    )
    assert source_connection.create_body(news) == {
        "name": "Cloud Storage source connection",
        "description": "Source connection for a cloud storage source",
        "baseConnectionId": BASE_ID,
        "data": {
            "format": "delimited",
            "properties": {"columnDelimiter": ",", "encoding": "UTF-8", "compressionType": "gzip"},
        },
        "params": {"path": "/acme/summerCampaign/account.csv", "type": "file"},
        "connectionSpec": {"id": "4c10e202-c428-4796-9208-5f1f5732b1cf", "version": "1.0"},
    }


def test_source_connection_body_wildcard_folder_recursive_parquet() -> None:
    body = source_connection.create_body(props("source", data_format="parquet", recursive=True))
    assert body["data"] == {"format": "parquet"}
    assert body["params"] == {"path": "/acme/summerCampaign/*.csv", "type": "folder", "recursive": True}
    assert "description" not in body


def test_source_connection_tab_delimiter_sent_as_is() -> None:
    body = source_connection.create_body(props("source", column_delimiter="\t"))
    assert body["data"]["properties"]["columnDelimiter"] == "\t"


def test_target_connection_body_is_the_documented_example() -> None:
    news = props(
        "target",
        name="Target Connection for a Cloud Storage connector",
        description="Target Connection for a Cloud Storage connector",
    )
    assert target_connection.create_body(news) == {
        "name": "Target Connection for a Cloud Storage connector",
        "description": "Target Connection for a Cloud Storage connector",
        "data": {
            "format": "parquet_xdm",
            "schema": {"id": SCHEMA_ID, "version": "application/vnd.adobe.xed-full+json;version=1"},
        },
        "params": {"dataSetId": DATASET_ID},
        "connectionSpec": {"id": "c604ff05-7f1a-43c0-8e18-33bf874cb11c", "version": "1.0"},
    }


def test_dataset_body_is_cat_ds() -> None:
    assert dataset.create_body(props("dataset", description="Accounts")) == {
        "name": "accounts",
        "description": "Accounts",
        "schemaRef": {"id": SCHEMA_ID, "contentType": "application/vnd.adobe.xed+json;version=1"},
    }


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (["@/dataSets/5c8c3c555033b814b69f947f"], "5c8c3c555033b814b69f947f"),
        (["@/dataSets/"], None),
        (["/dataSets/5c8c3c555033b814b69f947f"], None),
        ({"id": "5c8c3c555033b814b69f947f"}, None),
        (["@/dataSets/a", "@/dataSets/b"], None),
        ([], None),
    ],
)
def test_dataset_id_from_catalogs_create_answer(answer: Any, expected: str | None) -> None:
    assert dataset.dataset_id_from_create(answer) == expected


def test_flow_body_is_collects_example_with_integers() -> None:
    news = props(
        "flow",
        name="Cloud Storage flow to Platform",
        description="Cloud Storage flow to Platform",
        mapping_id=MAPPING_ID,
        schedule={"frequency": "minute", "interval": 30, "start_time": 1597784298},
    )
    assert dataflow.create_body(news, flow_specs.resolved_id(news) or "") == {
        "name": "Cloud Storage flow to Platform",
        "description": "Cloud Storage flow to Platform",
        "flowSpec": {"id": "9753525b-82c7-4dce-8a9b-5ccfce2b9876", "version": "1.0"},
        "sourceConnectionIds": [SOURCE_ID],
        "targetConnectionIds": [TARGET_ID],
        "transformations": [{"name": "Mapping", "params": {"mappingId": MAPPING_ID, "mappingVersion": 0}}],
        "scheduleParams": {"startTime": 1597784298, "frequency": "minute", "interval": 30, "backfill": True},
    }


def test_flow_body_once_has_no_interval_backfill_or_state() -> None:
    news = props("flow", schedule={"frequency": "once", "start_time": 1597784298.0}, enabled=False)
    body = dataflow.create_body(news, FLOW_SPEC_IDS["CloudStorageToAEP"])
    assert body["scheduleParams"] == {"frequency": "once", "startTime": 1597784298}
    assert "state" not in body
    assert "transformations" not in body


def test_flow_rename_and_frequency_ops_are_upd_flows_example() -> None:
    old = props("flow", schedule=schedule(frequency="hour"))
    new = props("flow", name="Database Dataflow Feb2021", schedule=schedule(frequency="day"))
    assert dataflow.patch_ops(old, new) == [
        {"op": "replace", "path": "/name", "value": "Database Dataflow Feb2021"},
        {"op": "replace", "path": "/scheduleParams/frequency", "value": "day"},
    ]


def test_flow_mapping_version_op_replaces_the_transformation() -> None:
    old = props("flow", mapping_id=MAPPING_ID)
    new = props("flow", mapping_id=MAPPING_ID, mapping_version=2)
    assert dataflow.patch_ops(old, new) == [
        {
            "op": "replace",
            "path": "/transformations/0",
            "value": {"name": "Mapping", "params": {"mappingId": MAPPING_ID, "mappingVersion": 2}},
        }
    ]


def test_flow_interval_and_start_time_ops() -> None:
    old = props("flow", schedule=schedule(interval=1))
    new = props("flow", schedule=schedule(interval=4, start_time=1700000000))
    assert dataflow.patch_ops(old, new) == [
        {"op": "replace", "path": "/scheduleParams/interval", "value": 4},
        {"op": "replace", "path": "/scheduleParams/startTime", "value": 1700000000},
    ]


def test_dataset_patch_sends_the_changed_fields() -> None:
    bare, described = props("dataset"), props("dataset", name="renamed", description="d")
    assert dataset.patch_body(bare, described) == {"name": "renamed", "description": "d"}
    assert dataset.patch_body(described, props("dataset", name="renamed")) == {"description": ""}
    assert dataset.patch_body(described, described) == {}


@pytest.mark.parametrize("module", [source_connection, target_connection])
def test_description_added_and_removed(module: Any) -> None:
    resource = {source_connection: "source", target_connection: "target"}[module]
    bare, described = props(resource), props(resource, description="d")
    assert module.patch_ops(bare, described) == [{"op": "add", "path": "/description", "value": "d"}]
    assert module.patch_ops(described, bare) == [{"op": "remove", "path": "/description"}]
    assert module.patch_ops(described, described) == []


@pytest.mark.parametrize(
    ("current", "desired", "expected"),
    [
        (True, False, "disable"),
        (False, True, "enable"),
        (False, None, "enable"),
        (True, True, None),
        (False, False, None),
    ],
)
def test_enabled_goes_through_the_action_endpoint(
    current: bool, desired: bool | None, expected: str | None
) -> None:
    assert dataflow.action(current, desired) == expected


def test_flow_spec_lookup_by_name_unless_known() -> None:
    assert flow_specs.resolved_id(props("flow")) == "9753525b-82c7-4dce-8a9b-5ccfce2b9876"
    assert flow_specs.resolved_id(props("flow", flow_spec_name="CustomToAEP")) is None
    assert flow_specs.lookup_params("CustomToAEP") == {"property": "name==CustomToAEP"}


def test_pairing_refused_when_the_spec_does_not_take_the_connections() -> None:
    spec = {"name": "RestStorageToAEP", "sourceConnectionSpecIds": ["x"], "targetConnectionSpecIds": ["y"]}
    found = flow_specs.pairing_failures(
        spec,
        source_spec_id="4c10e202-c428-4796-9208-5f1f5732b1cf",
        target_spec_id="c604ff05-7f1a-43c0-8e18-33bf874cb11c",
    )
    assert [f.property for f in found] == ["source_connection_id", "target_connection_id"]
    assert "which flow spec RestStorageToAEP does not take" in found[0].reason


def test_pairing_accepted_for_cloud_storage_to_aep() -> None:
    spec = {
        "name": "CloudStorageToAEP",
        "sourceConnectionSpecIds": [
            "b3ba5556-48be-44b7-8b85-ff2b69b46dc4",
            "4c10e202-c428-4796-9208-5f1f5732b1cf",
        ],
        "targetConnectionSpecIds": ["c604ff05-7f1a-43c0-8e18-33bf874cb11c"],
    }
    found = flow_specs.pairing_failures(
        spec,
        source_spec_id="4c10e202-c428-4796-9208-5f1f5732b1cf",
        target_spec_id="c604ff05-7f1a-43c0-8e18-33bf874cb11c",
    )
    assert found == []
