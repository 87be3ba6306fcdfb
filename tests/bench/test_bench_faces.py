"""bench.faces without the CLI: the YAML program it writes, the acceptance arithmetic, the table."""

from __future__ import annotations

from concurrent import futures
from pathlib import Path

import pytest
import yaml

from bench import faces, noop, span
from pulumi_aep.schema import version


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


def test_yaml_program_declares_the_plugin_versioned_and_no_resources_for_the_baseline(tmp_path: Path) -> None:
    program = yaml.safe_load(faces.yaml_program(2, tmp_path))
    baseline = yaml.safe_load(faces.yaml_program(0, tmp_path))

    assert program["plugins"]["providers"] == [{"name": "aep", "path": str(tmp_path), "version": version()}]
    assert "resources" not in baseline
    assert baseline["config"] == program["config"]


def _at_acceptance() -> list[dict[str, object]]:
    return [
        _row("dynamic", 8.0, 4, 4.0),
        _row("plugin-yaml", 2.0, 32, 0.6),
        _row("noop", 4.0, 4),
        _row("noop-yaml", 1.2),
    ]


def test_acceptance_verdict_is_the_wall_ratio_with_span_and_net_beside() -> None:
    result = faces.acceptance(_at_acceptance())

    assert result["wall_ratio"] == 0.25
    assert result["span_ratio"] == 0.15
    assert result["net_ratio"] == round(0.8 / 4.0, 3)  # each net of its own language's no-op
    assert result["floor_ratio"] == round((1.2 + 0.5) / 8.0, 3)  # no resources + one round of creates
    assert result["met"] is True


def test_acceptance_is_missed_when_the_wall_time_is_over_a_quarter() -> None:
    # The span (0.6 / 4.0) and the net would pass: the verdict is the wall time's.
    rows = _at_acceptance()
    rows[1] = _row("plugin-yaml", 2.1, 32, 0.6)

    assert faces.acceptance(rows)["met"] is False


def test_acceptance_is_missed_with_too_few_creates_in_flight() -> None:
    rows = _at_acceptance()
    rows[1] = _row("plugin-yaml", 1.5, 8, 0.5)

    assert faces.acceptance(rows)["met"] is False


def test_repeated_runs_are_reported_by_their_median() -> None:
    runs = [_row("plugin-yaml", up, flight, 0.6) for up, flight in ((2.0, 32), (5.0, 30), (1.9, 32))]

    row = faces.median_row(runs)

    assert (row["up_s"], row["in_flight"], row["runs"], row["up_runs_s"]) == (2.0, 32, 3, [2.0, 5.0, 1.9])


def test_markdown_has_a_number_of_operations_in_flight_in_every_row_and_the_verdict() -> None:
    rows = [*_at_acceptance(), _row("script", 16.0, 1, 16.0)]
    result = {"rows": rows, "acceptance": faces.acceptance(rows)}

    text = faces.markdown(result)

    assert "| 500 ms | 32 | plugin-yaml | 1 | 2.0 | 0.8 | 0.6 | 1.0 | 32 |" in text  # net of noop-yaml
    assert "| 500 ms | 32 | dynamic | 1 | 8.0 | 4.0 | 4.0 | 1.0 | 4 |" in text  # net of noop
    assert "| 500 ms | 32 | noop | 1 | 4.0 | - | - | 1.0 | 4 |" in text
    assert "| 500 ms | 32 | noop-yaml | 1 | 1.2 | - | - | 1.0 | 0 |" in text
    assert "| 500 ms | 32 | script | 1 | 16.0 | - | 16.0 | 1.0 | 1 |" in text
    assert (
        "`up` took 2.0 s against the dynamic provider's 8.0 s of wall time: 25% (want <= 25%): met." in text
    )
    assert "the creates' span took 15% of the dynamic provider's" in text
    assert "one latency (every create at once), is 21% of the dynamic provider's" in text
    assert "32 creates in flight" in text


def test_noop_provider_records_the_most_creates_it_served_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gauge = tmp_path / "inflight"
    monkeypatch.setenv(noop.INFLIGHT_FILE_ENV, str(gauge))
    monkeypatch.setenv("BENCH_WAIT_MS", "300")
    provider = noop.WaitingNoopProvider()
    fresh = noop._Gauge()
    monkeypatch.setattr(noop, "_CREATES", fresh)

    with futures.ThreadPoolExecutor(max_workers=3) as pool:
        created = list(pool.map(lambda i: provider.create({"i": i}), range(3)))
    noop.NoopProvider().create({})

    assert len({c.id for c in created}) == 3
    assert gauge.read_text() == "3"
