"""Smoke tests of the benchmark harness: the in-process part with few iterations, and the report's schema.

Speed targets are measured by ``make bench``, never asserted here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import inprocess, report
from bench.emulator_throughput import emulator_process

pytestmark = [pytest.mark.emulator]

RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results"
METHOD_KEYS = {"iterations", "median_ms", "p95_ms", "cpu_median_ms", "cpu_mean_ms"}
TOP_KEYS = {
    "schema",
    "machine",
    "settings",
    "emulator_throughput",
    "inprocess",
    "import_ms",
    "runs",
    "api_calls",
    "memory",
    "profile",
    "summary",
    "api_calls_per_resource",
    "targets",
    "runtime_s",
}


def test_inprocess_times_each_method() -> None:
    with emulator_process() as base_url:
        measured = inprocess.measure(base_url, quick=True)
    assert set(measured) == {"check", "diff", "create", "read"}
    for stats in measured.values():
        assert set(stats) == METHOD_KEYS
        assert stats["iterations"] > 0
        assert 0 < stats["median_ms"] <= stats["p95_ms"]


def synthetic_result() -> dict[str, Any]:
    runs = [
        {"variant": v, "op": op, "n": n, "rep": 0, "seconds": n * (0.05 if v == "aep" else 0.02) + 3}
        for v in ("aep", "noop")
        for op in ("up", "preview", "update", "refresh", "destroy")
        for n in (1, 8)
    ]
    kinds = {"up": "create", "update": "update", "refresh": "read", "destroy": "delete"}
    api_calls = [
        {"op": op, "n": n, "calls": ({kinds[op]: n, "token": 1} if op in kinds else {})}
        for op in ("up", "preview", "update", "refresh", "destroy")
        for n in (1, 8)
    ]
    stats = {"iterations": 1, "median_ms": 0.1, "p95_ms": 0.2, "cpu_median_ms": 0.1, "cpu_mean_ms": 0.1}
    result: dict[str, Any] = {
        "schema": 1,
        "machine": {
            "cpu": "test",
            "cores": 2,
            "ram_gib": 1.0,
            "os": "Linux",
            "python": "3.11",
            "pulumi": "v3",
            "load_average_start": [0.0, 0.0, 0.0],
            "load_average_end": [0.0, 0.0, 0.0],
            "date": "2026-01-01T00:00:00Z",
        },
        "settings": {
            "command": "python -m bench",
            "quick": True,
            "sizes": [1, 8],
            "reps": [1, 1],
            "latency_ms": 100,
        },
        "emulator_throughput": {"requests_per_s": 2000.0, "client": "wrk", "meets_target": True},
        "inprocess": {m: dict(stats) for m in ("check", "diff", "create", "read")},
        "import_ms": {"pulumi_aep_ms": 200.0, "noop_ms": 5.0},
        "runs": runs,
        "api_calls": api_calls,
        "memory": {"aep": {"n": 8, "peak_rss_mib": 60.0, "provider_cpu_s": 1.0, "processes": 1}},
        "profile": None,
        "summary": report.summarize(runs, 100),
        "api_calls_per_resource": report.calls_per_resource(api_calls),
        "runtime_s": 1.0,
    }
    result["targets"] = report.targets(result)
    return result


def test_report_targets_markdown_and_chart(tmp_path: Path) -> None:
    result = synthetic_result()
    assert set(result) == TOP_KEYS
    met = {t["target"]: t["met"] for t in result["targets"]}
    assert met["one API call per create"] is True
    assert met["one token request per `pulumi up`"] is True
    # 8 resources: 0.24 s over the no-op against a floor of 0.2 s -> 1.2 x, missed.
    assert met["`up` N=8: provider - no-op <= 1.15 x floor (0.20 s)"] is False
    report.chart(result, tmp_path / "chart.png")
    text = report.markdown(result, "chart.png")
    assert (tmp_path / "chart.png").stat().st_size > 0
    assert "| `up` | 8 | 3.40 | 3.16 | +0.24 | 0.20 | 1.20 |" in text


@pytest.mark.skipif(not (RESULTS / "latest.json").exists(), reason="no committed bench results yet")
def test_committed_results_have_the_schema() -> None:
    result = json.loads((RESULTS / "latest.json").read_text())
    assert set(result) >= TOP_KEYS
    assert {"cpu", "cores", "ram_gib", "python", "pulumi", "date"} <= set(result["machine"])
    assert (RESULTS / "latest.md").exists()
    assert (RESULTS / "latest.png").exists()
