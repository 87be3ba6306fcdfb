"""bench.faces without the CLI: the YAML program it writes, the acceptance arithmetic, the table."""

from __future__ import annotations

import yaml

from bench import faces


def _row(setup: str, up_s: float, in_flight: int = 0) -> dict[str, object]:
    return {
        "setup": setup,
        "n": 32,
        "latency_ms": 500,
        "up_s": up_s,
        "destroy_s": 1.0,
        "in_flight": in_flight,
    }


def test_yaml_program_declares_n_plugin_connections() -> None:
    program = yaml.safe_load(faces.yaml_program(3))

    assert program["runtime"] == "yaml"
    assert sorted(program["resources"]) == ["c0", "c1", "c2"]
    assert {r["type"] for r in program["resources"].values()} == {"aep:index:AzureBlobConnection"}
    assert program["resources"]["c2"]["properties"]["folderPath"] == "/bench/2"


def test_acceptance_takes_the_engine_baseline_off_both_times() -> None:
    rows = [_row("dynamic", 14.0, 4), _row("plugin-yaml", 7.0, 32), _row("noop", 5.0)]

    result = faces.acceptance(rows)

    assert result["up_ratio"] == 0.5
    assert result["net_ratio"] == round(2.0 / 9.0, 3)
    assert result["met"] is True


def test_acceptance_is_missed_with_too_few_creates_in_flight() -> None:
    rows = [_row("dynamic", 14.0, 4), _row("plugin-yaml", 5.5, 8), _row("noop", 5.0)]

    assert faces.acceptance(rows)["met"] is False


def test_markdown_has_a_row_per_measurement_and_the_verdict() -> None:
    rows = [_row("dynamic", 14.0, 4), _row("plugin-yaml", 7.0, 32), _row("noop", 5.0)]
    result = {"rows": rows, "acceptance": faces.acceptance(rows)}

    text = faces.markdown(result)

    assert "| 500 ms | 32 | plugin-yaml | 7.0 | 1.0 | 32 |" in text
    assert "| 500 ms | 32 | noop | 5.0 | 1.0 | - |" in text
    assert "32 creates in flight" in text
    assert text.rstrip().endswith("met.")
