"""diff: which changes PATCH in place and which replace (§11), with the clock injected for schedules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pulumi_aep.model import UNKNOWN
from pulumi_aep.pipeline import dataflow, dataset, source_connection, target_connection

from .helpers import MAPPING_ID, START, props, schedule

BEFORE_START, AFTER_START = START - 3600, START + 3600


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"name": "renamed"}, (["name"], [])),
        ({"description": "about"}, (["description"], [])),
        ({"path": "/acme/winterCampaign/*.csv"}, (["path"], ["path"])),
        (
            {"base_connection_id": "4cb0c374-d3bb-4557-b139-5712880adc55"},
            (["base_connection_id"], ["base_connection_id"]),
        ),
        (
            {"data_format": "json"},
            (
                ["data_format", "column_delimiter", "encoding"],
                ["data_format", "column_delimiter", "encoding"],
            ),
        ),
        ({"column_delimiter": ";"}, (["column_delimiter"], ["column_delimiter"])),
        ({"compression_type": "gzip"}, (["compression_type"], ["compression_type"])),
        ({"recursive": True}, (["recursive"], ["recursive"])),
        ({"sandbox_name": "dev"}, (["sandbox_name"], ["sandbox_name"])),
        ({"name": "renamed", "path": "/acme/x.csv"}, (["name", "path", "path_type"], ["path", "path_type"])),
    ],
)
def test_source_connection_content_replaces_name_and_description_in_place(
    overrides: dict[str, Any], expected: tuple[list[str], list[str]]
) -> None:
    assert source_connection.diff(props("source"), props("source", **overrides)) == expected


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"name": "renamed"}, (["name"], [])),
        ({"dataset_id": "5f3c3cedb2805c194ff0b69b"}, (["dataset_id"], ["dataset_id"])),
        ({"schema_version": "1.0"}, (["schema_version"], ["schema_version"])),
        ({"data_format": "delimited"}, (["data_format"], ["data_format"])),
    ],
)
def test_target_connection_rules(overrides: dict[str, Any], expected: tuple[list[str], list[str]]) -> None:
    assert target_connection.diff(props("target"), props("target", **overrides)) == expected


def test_dataset_schema_replaces_name_in_place() -> None:
    schema = "https://ns.adobe.com/acme/schemas/0123456789abcdef0123456789abcdef"
    assert dataset.diff(props("dataset"), props("dataset", name="n", schema_id=schema)) == (
        ["name", "schema_id"],
        ["schema_id"],
    )


@pytest.mark.parametrize(
    ("old", "new", "now", "replaces"),
    [
        ({}, {"frequency": "day"}, AFTER_START, False),
        ({}, {"interval": 6}, AFTER_START, False),
        ({}, {"frequency": "minute", "interval": 30}, AFTER_START, False),
        ({}, {"start_time": START + 7200}, BEFORE_START, False),
        ({}, {"start_time": START + 7200}, AFTER_START, True),
        ({}, {"backfill": False}, BEFORE_START, False),
        ({}, {"backfill": False}, AFTER_START, True),
        ({}, {"frequency": "once", "interval": None, "backfill": None}, BEFORE_START, True),
        ({"frequency": "once", "interval": None, "backfill": None}, {}, BEFORE_START, True),
    ],
)
def test_schedule_in_place_unless_adobe_refuses_the_patch(
    old: dict[str, Any], new: dict[str, Any], now: float, replaces: bool
) -> None:
    olds = props("flow", schedule={k: v for k, v in schedule(**old).items() if v is not None})
    news = props("flow", schedule={k: v for k, v in schedule(**new).items() if v is not None})
    assert dataflow.diff(olds, news, now) == (["schedule"], ["schedule"] if replaces else [])


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"name": "renamed", "description": "d"}, (["name", "description"], [])),
        ({"enabled": False}, (["enabled"], [])),
        (
            {"source_connection_id": "4cb0c374-d3bb-4557-b139-5712880adc55"},
            (["source_connection_id"], ["source_connection_id"]),
        ),
        (
            {"target_connection_id": "4cb0c374-d3bb-4557-b139-5712880adc55"},
            (["target_connection_id"], ["target_connection_id"]),
        ),
        ({"flow_spec_name": "CustomToAEP"}, (["flow_spec_name"], ["flow_spec_name"])),
        ({"mapping_id": MAPPING_ID}, (["mapping_id", "mapping_version"], ["mapping_id"])),
    ],
)
def test_dataflow_rules(overrides: dict[str, Any], expected: tuple[list[str], list[str]]) -> None:
    assert dataflow.diff(props("flow"), props("flow", **overrides), now=AFTER_START) == expected


def test_dataflow_mapping_version_change_in_place_and_removal_replaces() -> None:
    mapped = props("flow", mapping_id=MAPPING_ID)
    assert dataflow.diff(mapped, props("flow", mapping_id=MAPPING_ID, mapping_version=3), 0) == (
        ["mapping_version"],
        [],
    )
    assert dataflow.diff(mapped, props("flow"), 0) == (["mapping_id", "mapping_version"], ["mapping_id"])


def test_undeclared_flow_spec_id_is_resolved_not_a_change() -> None:
    olds = {
        **props("flow", flow_spec_name="CustomToAEP"),
        "flow_spec_id": "0f0d7a40-6a4f-4b4a-8e2a-0b6a1c1d2e3f",
    }
    assert dataflow.diff(olds, props("flow", flow_spec_name="CustomToAEP"), 0) == ([], [])


def test_unknown_value_counts_as_a_change_without_deciding_a_replacement() -> None:
    assert dataflow.diff(props("flow"), props("flow", schedule=UNKNOWN, name=UNKNOWN), 0) == (
        ["name", "schedule"],
        [],
    )
    assert source_connection.diff(props("source"), props("source", base_connection_id=UNKNOWN))[1] == [
        "base_connection_id"
    ]


def _flow_diff(olds: dict[str, Any], news: dict[str, Any]) -> tuple[list[str], list[str]]:
    return dataflow.diff(olds, news, now=0)


@pytest.mark.parametrize(
    ("resource", "differ"),
    [
        ("source", source_connection.diff),
        ("dataset", dataset.diff),
        ("target", target_connection.diff),
        ("flow", _flow_diff),
    ],
)
def test_no_change_no_diff(resource: str, differ: Callable[[Any, Any], tuple[list[str], list[str]]]) -> None:
    assert differ(props(resource), props(resource)) == ([], [])
