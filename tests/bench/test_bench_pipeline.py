"""bench.pipeline without the CLI: the YAML program, how emulator requests are counted per resource, the
creates' concurrency from the request log, and the report's tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from aep_emulator.app import create_app
from bench import pipeline, span

FLOW = "/data/foundation/flowservice"
CATALOG = "/data/foundation/catalog"


def _log(route: str, received: float, answered: float, method: str = "POST") -> dict[str, object]:
    return {"method": method, "route": route, "received": received, "time": answered}


def test_yaml_program_declares_four_chained_resources_per_flow_on_one_base_connection(tmp_path: Path) -> None:
    program = yaml.safe_load(pipeline.yaml_program(3, tmp_path))
    resources = program["resources"]

    assert program["runtime"] == "yaml"
    assert program["plugins"]["providers"][0]["path"] == str(tmp_path)  # versioned: its schema is cached
    assert len(resources) == pipeline.resources(3) == 13
    types = [r["type"] for r in resources.values()]
    assert types.count("aep:index:AzureBlobConnection") == 1
    for type_ in ("AzureBlobSourceConnection", "Dataset", "DataLakeTargetConnection", "Dataflow"):
        assert types.count(f"aep:index:{type_}") == 3
    flow = resources["flow2"]["properties"]
    assert flow["sourceConnectionId"] == "${source2.sourceConnectionId}"
    assert flow["targetConnectionId"] == "${target2.targetConnectionId}"
    assert flow["schedule"]["startTime"] == pipeline.START_TIME
    assert resources["target2"]["properties"]["datasetId"] == "${dataset2.datasetId}"
    assert {resources[f"source{i}"]["properties"]["baseConnectionId"] for i in range(3)} == {
        "${base.connectionId}"
    }
    assert len({resources[f"dataset{i}"]["properties"]["name"] for i in range(3)}) == 3


def _app_routes() -> set[str]:
    """``"METHOD /route/template"`` of every route the emulator documents, as its counters name them."""
    paths: dict[str, dict[str, Any]] = create_app().openapi()["paths"]
    return {f"{method.upper()} {path}" for path, ops in paths.items() for method in ops}


def test_every_create_route_is_a_post_the_emulator_serves() -> None:
    routes = _app_routes()

    assert {f"POST {route}" for route in pipeline.CREATE_ROUTES} <= routes


def test_the_emulator_routes_of_each_collection_are_named_by_what_they_do() -> None:
    kinds = {pipeline.call_kind(key) for key in _app_routes()}

    for collection in ("sourceConnections", "targetConnections", "flows"):
        for verb in ("create", "read", "list", "update", "delete", "action"):
            assert (verb, collection) in kinds, (verb, collection)
    assert {("create", "dataSets"), ("read", "dataSets"), ("delete", "dataSets")} <= kinds
    assert {("create", "connections"), ("read", "connections"), ("update", "connections")} <= kinds
    assert ("list", "runs") in kinds
    assert pipeline.call_kind("POST /ims/token/v3") == ("token", "ims")
    assert pipeline.call_kind(f"POST {FLOW}/flows/{{entity_id}}/action") == ("action", "flows")
    assert pipeline.call_kind(f"GET {CATALOG}/dataSets/{{dataset_id}}") == ("read", "dataSets")


def test_calls_per_resource_divides_each_type_by_how_many_the_stack_has() -> None:
    before = {f"POST {FLOW}/connections": 7, "POST /ims/token/v3": 3}
    after = {
        f"POST {FLOW}/connections": 8,  # the one base connection
        "POST /ims/token/v3": 5,
        f"POST {FLOW}/flows": 2,
        f"GET {FLOW}/flows/{{entity_id}}": 2,
        f"GET {FLOW}/runs": 2,
        f"POST {CATALOG}/dataSets": 4,  # two each: a resent create
        f"GET {FLOW}/flowSpecs": 1,
        f"DELETE {FLOW}/sourceConnections/{{entity_id}}": 0,
    }

    calls = pipeline.calls_per_resource(before, after, flows=2)

    assert calls["tokens"] == 2
    assert calls["calls"] == 1 + 2 + 2 + 2 + 4 + 1
    assert calls["per_resource"] == round(12 / 9, 2)
    assert calls["by_type"] == {
        "AzureBlobConnection": {"create": 1.0},
        "Dataset": {"create": 2.0},
        "Dataflow": {"create": 1.0, "read": 1.0, "list runs": 1.0},
    }
    assert list(calls["by_type"]["Dataflow"]) == ["create", "read", "list runs"]
    assert calls["other"] == {"list flowSpecs": 1}


def test_most_at_once_counts_overlapping_creates_on_the_given_routes_in_the_window() -> None:
    routes = pipeline.CREATE_ROUTES
    entries = [
        _log(f"{FLOW}/connections", 9.0, 9.5),  # before the window
        _log(f"{FLOW}/connections", 10.0, 11.0),
        _log(f"{CATALOG}/dataSets", 10.2, 10.6),
        _log(f"{FLOW}/sourceConnections", 10.5, 12.0),
        _log(f"{FLOW}/flows", 11.0, 11.4),  # received as the first is answered: no overlap with it
        _log(f"{FLOW}/flows/{{entity_id}}", 10.1, 10.9, method="GET"),  # not a create
    ]

    assert span.most_at_once(entries, 9.9, 20.0, routes) == 3
    assert span.most_at_once(entries, 10.9, 20.0, routes) == 1
    assert span.most_at_once(entries, 9.9, 20.0) == 1  # createConnection alone
    assert span.create_span(entries, 9.9, 20.0, routes) == 2.0
    assert span.most_at_once(entries, 30.0, 40.0, routes) == 0


def _section() -> dict[str, Any]:
    def row(face: str, up_s: float) -> dict[str, Any]:
        up = pipeline.calls_per_resource({}, {f"POST {FLOW}/flows": 2, "POST /ims/token/v3": 2}, flows=2)
        none = pipeline.calls_per_resource({}, {}, flows=2)
        return {
            "face": face,
            "up_s": up_s,
            "span_s": 0.5,
            "in_flight": 2,
            "preview_s": 3.0,
            "refresh_s": 4.0,
            "destroy_s": 5.0,
            "peak_rss_mib": 60.0,
            "provider_cpu_s": 1.5,
            "api_calls": {"up": up, "preview": none},
        }

    return {
        "flows": 2,
        "resources": 9,
        "latency_ms": 100,
        "rows": [row("dynamic", 9.5), row("plugin-yaml", 4.5)],
        "date": "2026-01-01T00:00:00Z",
        "load_average": {"start": [1.0, 1.0, 1.0], "end": [2.0, 2.0, 2.0]},
        "runtime_s": 40.0,
    }


def test_markdown_has_the_times_and_the_calls_per_resource_of_each_face() -> None:
    text = "\n".join(pipeline.markdown(_section()))

    assert "| plugin-yaml | 4.5 | 0.5 | 2 | 3.0 | 4.0 | 5.0 | 60.0 | 1.5 |" in text
    assert "| dynamic | `up` | 2 | 0.22 | 2 | - |" in text
    assert "| dynamic | Dataflow | 1 create | none |" in text
    assert "| dynamic | Dataset | none | none |" in text
    assert "2 flows (8 resources)" in text
    assert "load average at start 1.0, 1.0, 1.0" in text
    short = "\n".join(pipeline.markdown(_section(), with_calls=False))
    assert "| dynamic | 9.5 |" in short
    assert "per resource" not in short


def test_both_reports_carry_the_pipeline_section_when_the_results_have_one() -> None:
    from bench import faces, report
    from tests.bench.test_bench_smoke import synthetic_result

    result = synthetic_result()
    assert "ingestion pipeline" not in report.markdown(result, "chart.png")

    latest = report.markdown({**result, "pipeline": _section()}, "chart.png")
    faces_md = faces.markdown({"rows": [], "pipeline": _section()})

    assert "## The ingestion pipeline on each face: 2 flows (8 resources)" in latest
    assert "| plugin-yaml | Dataflow | 1 create | none |" in latest
    assert "| plugin-yaml | 4.5 | 0.5 | 2 |" in faces_md
    assert "[latest.md](latest.md)" in faces_md
