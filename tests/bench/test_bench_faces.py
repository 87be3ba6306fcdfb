"""bench.faces without the CLI: the YAML program it writes, the acceptance arithmetic, the table."""

from __future__ import annotations

import yaml

from bench import faces, span


def _row(setup: str, up_s: float, in_flight: int = 0, span_s: float | None = None) -> dict[str, object]:
    return {
        "setup": setup,
        "n": 32,
        "latency_ms": 500,
        "up_s": up_s,
        "destroy_s": 1.0,
        "in_flight": in_flight,
        "span_s": span_s,
    }


def _log(route: str, received: float, answered: float, method: str = "POST") -> dict[str, object]:
    return {"method": method, "route": route, "received": received, "time": answered}


def test_yaml_program_declares_n_plugin_connections() -> None:
    program = yaml.safe_load(faces.yaml_program(3))

    assert program["runtime"] == "yaml"
    assert sorted(program["resources"]) == ["c0", "c1", "c2"]
    assert {r["type"] for r in program["resources"].values()} == {"aep:index:AzureBlobConnection"}
    assert program["resources"]["c2"]["properties"]["folderPath"] == "/bench/2"


def test_create_span_runs_from_first_create_received_to_last_answered_in_the_window() -> None:
    create = span.CREATE_ROUTE
    entries = [
        _log(create, 90.0, 95.0),  # an earlier measurement
        _log("/ims/token/v3", 100.0, 100.2),
        _log(create, 100.5, 101.0),
        _log(create, 100.7, 103.5),
        _log(create + "/{connectionId}", 100.8, 104.0, method="GET"),
    ]

    assert span.create_span(entries, 99.0, 110.0) == 3.0
    assert span.create_span(entries, 105.0, 110.0) is None


def test_acceptance_compares_the_spans_and_reports_wall_and_net_beside() -> None:
    rows = [_row("dynamic", 14.0, 4, 4.0), _row("plugin-yaml", 7.0, 32, 0.9), _row("noop", 5.0)]

    result = faces.acceptance(rows)

    assert result["span_ratio"] == 0.225
    assert result["up_ratio"] == 0.5
    assert result["net_ratio"] == round(2.0 / 9.0, 3)
    assert result["met"] is True


def test_acceptance_is_missed_when_the_span_is_over_a_quarter() -> None:
    # Net of the no-op this would pass (1/9): the verdict is the span's.
    rows = [_row("dynamic", 14.0, 4, 4.0), _row("plugin-yaml", 6.0, 32, 1.2), _row("noop", 5.0)]

    assert faces.acceptance(rows)["met"] is False


def test_acceptance_is_missed_with_too_few_creates_in_flight() -> None:
    rows = [_row("dynamic", 14.0, 4, 4.0), _row("plugin-yaml", 5.5, 8, 0.5), _row("noop", 5.0)]

    assert faces.acceptance(rows)["met"] is False


def test_markdown_has_a_row_per_measurement_and_the_verdict() -> None:
    rows = [_row("dynamic", 14.0, 4, 4.0), _row("plugin-yaml", 7.0, 32, 0.9), _row("noop", 5.0)]
    result = {"rows": rows, "acceptance": faces.acceptance(rows)}

    text = faces.markdown(result)

    assert "| 500 ms | 32 | plugin-yaml | 7.0 | 2.0 | 0.9 | 1.0 | 32 |" in text
    assert "| 500 ms | 32 | noop | 5.0 | - | - | 1.0 | - |" in text
    assert "span took 22% of the dynamic provider's" in text
    assert "32 creates in flight" in text
    assert "(want <= 25%): met." in text
