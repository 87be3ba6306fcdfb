"""Summaries, targets, the markdown table and the chart from one benchmark run's raw results."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from bench import pipeline
from bench.lifecycle import OPERATIONS, floor_s

#: What each CLI operation should spend, per resource, and nothing else (token requests apart).
EXPECTED_CALLS = {"up": "create", "update": "update", "refresh": "read", "destroy": "delete"}


def summarize(runs: list[dict[str, Any]], latency_ms: int) -> list[dict[str, Any]]:
    """Median seconds per (op, N) for provider and no-op, their difference and the floor."""
    rows = []
    sizes = sorted({r["n"] for r in runs})
    for op in OPERATIONS:
        for n in sizes:
            times = {
                v: [r["seconds"] for r in runs if r["op"] == op and r["n"] == n and r["variant"] == v]
                for v in ("aep", "noop")
            }
            if not times["aep"] or not times["noop"]:
                continue
            aep, noop = statistics.median(times["aep"]), statistics.median(times["noop"])
            floor = floor_s(n, latency_ms) if op != "preview" else 0.0
            rows.append(
                {
                    "op": op,
                    "n": n,
                    "aep_s": round(aep, 3),
                    "noop_s": round(noop, 3),
                    "overhead_s": round(aep - noop, 3),
                    "floor_s": floor,
                    "overhead_per_floor": round((aep - noop) / floor, 2) if floor else None,
                    "samples": len(times["aep"]),
                }
            )
    return rows


def calls_per_resource(api_calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """API calls per resource, by kind, for each operation and N (first lifecycle of each N)."""
    rows, seen = [], set()
    for entry in api_calls:
        key = (entry["op"], entry["n"])
        if key in seen:
            continue
        seen.add(key)
        calls = dict(entry["calls"])
        tokens = calls.pop("token", 0)
        per = {kind: round(count / entry["n"], 2) for kind, count in calls.items()}
        rows.append({"op": entry["op"], "n": entry["n"], "per_resource": per, "tokens": tokens})
    return rows


def _exactly_one(rows: list[dict[str, Any]], kind: str) -> tuple[bool, str]:
    op = next(o for o, k in EXPECTED_CALLS.items() if k == kind)
    found = [r for r in rows if r["op"] == op]
    ok = bool(found) and all(r["per_resource"] == {kind: 1.0} for r in found)
    shown = "; ".join(f"N={r['n']}: {_calls_text(r['per_resource'])}" for r in found)
    return ok, f"`{op}`: {shown}"


def _calls_text(per: dict[str, float]) -> str:
    return ", ".join(f"{v:g} {k}" for k, v in sorted(per.items())) or "none"


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each with what was measured and whether it was met."""
    rows = {(r["op"], r["n"]): r for r in result["summary"]}
    out: list[dict[str, Any]] = []
    big = max(r["n"] for r in result["summary"])
    up = rows.get(("up", big))
    if up:
        out.append(
            {
                "target": f"`up` N={big}: provider - no-op <= 1.15 x floor ({up['floor_s']:.2f} s)",
                "measured": f"{up['overhead_s']:.2f} s = {up['overhead_per_floor']:.2f} x floor",
                "met": up["overhead_per_floor"] is not None and up["overhead_per_floor"] <= 1.15,
            }
        )
    calls = result["api_calls_per_resource"]
    for kind in ("create", "read", "update", "delete"):
        ok, shown = _exactly_one(calls, kind)
        out.append({"target": f"one API call per {kind}", "measured": shown, "met": ok})
    ups = [r for r in calls if r["op"] in ("up", "update")]
    out.append(
        {
            "target": "one token request per `pulumi up`",
            "measured": ", ".join(f"{r['op']} N={r['n']}: {r['tokens']}" for r in ups),
            "met": bool(ups) and all(r["tokens"] == 1 for r in ups),
        }
    )
    for method in ("check", "diff"):
        stats = result["inprocess"][method]
        out.append(
            {
                "target": f"`{method}` <= 2 ms median in-process",
                "measured": f"{stats['median_ms']:.3f} ms (p95 {stats['p95_ms']:.3f} ms)",
                "met": stats["median_ms"] <= 2.0,
            }
        )
    preview = rows.get(("preview", big))
    if preview:
        ratio = preview["aep_s"] / preview["noop_s"]
        out.append(
            {
                "target": f"no-change `preview` N={big} <= 1.1 x no-op",
                "measured": f"{preview['aep_s']:.2f} s vs {preview['noop_s']:.2f} s = {ratio:.2f} x",
                "met": ratio <= 1.1,
            }
        )
    throughput = result.get("emulator_throughput") or {}
    if "requests_per_s" in throughput:
        out.append(
            {
                "target": "emulator ≥ 1,000 GET /connections/{id}/s, 16 clients",
                "measured": f"{throughput['requests_per_s']:.0f} req/s ({throughput.get('client')})",
                "met": bool(throughput.get("meets_target")),
            }
        )
    return out


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def markdown(result: dict[str, Any], chart: str) -> str:
    """The report: machine, targets, the CLI table, API calls, in-process cost, memory, throughput."""
    m, s = result["machine"], result["settings"]
    parts = [
        "# pulumi-aep benchmark results",
        "",
        f"{m['date']} on {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['os']}; "
        f"Python {m['python']}, pulumi {m['pulumi']}. Load average at start "
        f"{', '.join(map(str, m['load_average_start']))}, at end {', '.join(map(str, m['load_average_end']))}. "
        f"`{s['command']}` took {result['runtime_s']:.0f} s"
        f"{' (quick smoke run)' if s['quick'] else ''}.",
        "",
        "## Targets",
        "",
        _table(
            ["target", "measured", "met"],
            [[t["target"], t["measured"], "yes" if t["met"] else "**no**"] for t in result["targets"]],
        ),
        "",
        f"## CLI operations, {s['latency_ms']} ms added to every API call",
        "",
        f"Median of {', '.join(str(n) for n in s['reps'])} interleaved run(s) per N (provider and no-op "
        f"alternating). Floor = ceil(N / 4) x {s['latency_ms']} ms: one call per resource through the "
        "dynamic-provider server's 4 workers.",
        "",
        _table(
            ["operation", "N", "provider (s)", "no-op (s)", "provider - no-op (s)", "floor (s)", "/ floor"],
            [
                [
                    f"`{r['op']}`",
                    str(r["n"]),
                    f"{r['aep_s']:.2f}",
                    f"{r['noop_s']:.2f}",
                    f"{r['overhead_s']:+.2f}",
                    f"{r['floor_s']:.2f}",
                    f"{r['overhead_per_floor']:.2f}" if r["overhead_per_floor"] is not None else "-",
                ]
                for r in result["summary"]
            ],
        ),
        "",
        f"![time against N]({chart})",
        "",
        "## API calls per resource (emulator counters), token requests per run",
        "",
        _table(
            ["operation", "N", "calls per resource", "token requests"],
            [
                [f"`{r['op']}`", str(r["n"]), _calls_text(r["per_resource"]), str(r["tokens"])]
                for r in result["api_calls_per_resource"]
            ],
        ),
        "",
        "## The provider's own cost per call, in-process, zero latency",
        "",
        "Wall time includes the loopback HTTP call to the emulator (its own process) for `create` and "
        "`read`; CPU is the calling thread's (`time.thread_time`).",
        "",
        _table(
            ["method", "iterations", "median (ms)", "p95 (ms)", "CPU median (ms)"],
            [
                [
                    f"`{k}`",
                    str(v["iterations"]),
                    f"{v['median_ms']:.3f}",
                    f"{v['p95_ms']:.3f}",
                    f"{v['cpu_median_ms']:.3f}",
                ]
                for k, v in result["inprocess"].items()
            ],
        ),
        "",
        "Importing the provider in a fresh interpreter that has `pulumi` loaded (the program and the "
        f"dynamic-provider process each pay it once per command): `pulumi_aep` "
        f"{result['import_ms']['pulumi_aep_ms']:.0f} ms, the no-op {result['import_ms']['noop_ms']:.0f} ms.",
        "",
    ]
    if result["memory"]:
        parts += [
            "## The dynamic-provider process during `up`",
            "",
            _table(
                ["program", "N", "peak RSS (MiB)", "CPU (s)", "processes"],
                [
                    [
                        k,
                        str(v["n"]),
                        f"{v['peak_rss_mib']:.1f}",
                        f"{v['provider_cpu_s']:.2f}",
                        str(v["processes"]),
                    ]
                    for k, v in result["memory"].items()
                ],
            ),
            "",
        ]
    parts += _profile_section(result.get("profile"))
    if result.get("pipeline"):
        parts += ["", *pipeline.markdown(result["pipeline"])]
    return "\n".join(parts) + "\n"


#: Frames worth showing from a profile: the provider's code, its HTTP stack, unpickling and imports.
PROFILE_KEYS = (
    "pulumi_aep/",
    "socket.py:readinto",
    "dill",
    "_bootstrap>:_find_and_load",
    "dynamic/__main__.py",
)


def _profile_section(profiles: dict[str, Any] | None) -> list[str]:
    parts: list[str] = []
    for op, profile in (profiles or {}).items():
        busy = profile.get("busy_thread_samples")
        if not busy:
            continue
        rows = [
            (label, count)
            for label, count in profile["inclusive"].items()
            if any(key in label for key in PROFILE_KEYS) and not label.endswith(":wrapper")
        ]
        rpcs = ", ".join(f"{k} {100 * v / busy:.0f} %" for k, v in profile["rpc"].items())
        parts += [
            f"### `{op}`, N={profile['n']} ({profile['seconds']:.1f} s, {profile['provider_cpu_s']:.2f} CPU-s)",
            "",
            f"{busy} busy-thread samples in {profile['samples']} ticks of {profile['interval_s'] * 1000:.0f} ms "
            f"(on average {busy / profile['samples']:.1f} of the 4 workers busy while the process ran); by RPC: "
            f"{rpcs}. Share of busy samples with the function on the stack:",
            "",
            _table(
                ["function", "share"],
                [[f"`{label}`", f"{100 * count / busy:.0f} %"] for label, count in rows[:14]],
            ),
            "",
        ]
    if parts:
        parts = [
            "## Where the provider process spends its time",
            "",
            "Wall-clock stack samples (bench/sampler.py) of the dynamic-provider threads serving an RPC.",
            "",
            *parts,
        ]
    return parts


def chart(result: dict[str, Any], path: Path) -> None:
    """Time against N: one panel per operation (provider, no-op, floor, no-op + floor), and one with the
    provider's overhead over the no-op for every operation beside the floor."""
    summary = result["summary"]
    fig, grid = plt.subplots(2, 3, figsize=(13, 7.5))
    axes = list(grid.flat)
    for ax, op in zip(axes, OPERATIONS, strict=False):
        rows = [r for r in summary if r["op"] == op]
        ns = [r["n"] for r in rows]
        ax.plot(ns, [r["aep_s"] for r in rows], "o-", label="provider")
        ax.plot(ns, [r["noop_s"] for r in rows], "s-", label="no-op baseline")
        if op != "preview":
            ax.plot(ns, [r["noop_s"] + r["floor_s"] for r in rows], "k--", label="no-op + floor")
            ax.plot(ns, [r["floor_s"] for r in rows], "k:", label="floor ceil(N/4) x latency")
        ax.set_title(f"pulumi {op}" if op != "update" else "pulumi up (update all N)")
        ax.set_xlabel("N resources")
        ax.set_ylabel("seconds")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    over = axes[len(OPERATIONS)]
    for op in OPERATIONS:
        rows = [r for r in summary if r["op"] == op]
        over.plot([r["n"] for r in rows], [r["overhead_s"] for r in rows], "o-", label=op)
    ns = sorted({r["n"] for r in summary})
    latency = result["settings"]["latency_ms"]
    over.plot(ns, [floor_s(n, latency) for n in ns], "k:", label="floor")
    over.set_title("provider - no-op")
    over.set_xlabel("N resources")
    over.set_ylabel("seconds")
    over.grid(alpha=0.3)
    over.legend(fontsize=8)
    m = result["machine"]
    fig.suptitle(
        f"pulumi-aep against the emulator, {latency} ms per API call: {m['cpu']}, {m['cores']} cores, "
        f"{m['date'][:10]} (median of {max(result['settings']['reps'])} run(s) at N={max(ns)})",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
