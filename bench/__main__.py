"""``python -m bench`` (``make bench``): the provider at the engine's limit, against the emulator.

Writes bench/results/latest.json, latest.md and latest.png. ``--quick`` is a smoke run (N = 1 and 5,
short throughput and in-process runs, no profile) of about two minutes.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from aep_emulator.server import EmulatorServer
from bench import faces, inprocess, machine, pipeline, report
from bench.emulator_throughput import emulator_process
from bench.lifecycle import Lifecycles
from tests.e2e.harness import find_pulumi_shims

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
WORK = BENCH / ".work"
SCHEMA_VERSION = 1


def _progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: N = 1 and 5, one lifecycle each")
    parser.add_argument("--sizes", type=int, nargs="+", help="N values (default 1 25 100; quick 1 5)")
    parser.add_argument(
        "--reps", type=int, nargs="+", help="lifecycles per N, one value per size (default 1 each)"
    )
    parser.add_argument(
        "--previews",
        type=int,
        default=1,
        help="no-change previews per lifecycle at the largest N (default 1)",
    )
    parser.add_argument("--latency-ms", type=int, default=100, help="added to every API call (default 100)")
    parser.add_argument("--no-profile", action="store_true", help="skip the sampled run of the provider")
    parser.add_argument("--output-dir", type=Path, default=RESULTS, help="default bench/results")
    parser.add_argument(
        "--only",
        choices=["pipeline"],
        help="run one part alone: `pipeline` measures the pipeline and updates that section of latest.* "
        "and faces.* in the output directory",
    )
    parser.add_argument("--flows", type=int, default=pipeline.FLOWS, help="pipelines (default 25)")
    parser.add_argument("--no-pipeline", action="store_true", help="skip the pipeline part")
    args = parser.parse_args(argv)
    args.sizes = args.sizes or ([1, 5] if args.quick else [1, 25, 100])
    # One lifecycle per N: a second at N = 100 cost ~70 s of make bench's budget and moved no verdict.
    args.reps = args.reps or [1] * len(args.sizes)
    if len(args.reps) != len(args.sizes):
        parser.error("give one --reps value per size")
    return args


def throughput(work: Path, quick: bool) -> dict[str, Any]:
    """bench/emulator_throughput.py, as its author runs it, into the work directory."""
    out = work / "emulator-throughput.json"
    cmd = [sys.executable, str(BENCH / "emulator_throughput.py"), "--duration", "3" if quick else "10"]
    proc = subprocess.run(
        [*cmd, "--output", str(out)], capture_output=True, text=True, timeout=180, check=False
    )
    _progress(f"emulator throughput: {proc.stdout.strip() or proc.stderr.strip()[-300:]}")
    return dict(json.loads(out.read_text())) if out.exists() else {"error": proc.stderr[-2000:]}


def store_pipeline(output_dir: Path, section: dict[str, Any]) -> None:
    """Put a pipeline section alone into the results there: latest.json and .md, faces.json and .md."""
    for name, render in (("latest", lambda r: report.markdown(r, "latest.png")), ("faces", faces.markdown)):
        path = output_dir / f"{name}.json"
        if not path.exists():
            _progress(f"no {path}: the pipeline section is only in the other file")
            continue
        result = json.loads(path.read_text())
        result["pipeline"] = section
        path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        (output_dir / f"{name}.md").write_text(render(result), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    started = time.perf_counter()
    logging.basicConfig(level=logging.WARNING)
    shims = find_pulumi_shims()
    if shims is None:
        _progress("the pulumi CLI is missing: run `make engine` (scripts/ensure-pulumi.sh)")
        return 2
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    if args.only == "pipeline":
        section = pipeline.run(shims, WORK, args.latency_ms, _progress, args.flows)
        args.output_dir.mkdir(parents=True, exist_ok=True)
        store_pipeline(args.output_dir, section)
        _progress(f"pipeline done in {section['runtime_s']:.0f} s -> {args.output_dir}")
        return 0
    result: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "machine": machine.info(shims),
        "settings": {
            "command": " ".join(["python -m bench", *(argv if argv is not None else sys.argv[1:])]),
            "quick": args.quick,
            "sizes": args.sizes,
            "reps": args.reps,
            "latency_ms": args.latency_ms,
            "previews": args.previews,
        },
    }
    _progress(f"machine: {result['machine']}")
    result["emulator_throughput"] = throughput(WORK, args.quick)
    with emulator_process() as base_url:
        result["inprocess"] = inprocess.measure(base_url, quick=args.quick)
    result["import_ms"] = inprocess.import_cost()
    _progress(f"in-process: {result['inprocess']}; imports: {result['import_ms']}")
    with EmulatorServer(port=0) as emulator:
        runs = Lifecycles(shims, WORK, emulator, args.latency_ms)
        runs.init()
        try:
            if not args.quick:
                runs.warm_up(_progress)
            for n, reps in zip(args.sizes, args.reps, strict=True):
                runs.run_size(n, reps, _progress, previews=args.previews if n == max(args.sizes) else 1)
            if not args.no_profile and not args.quick:
                runs.profile(max(args.sizes), _progress)
        finally:
            runs.close()
    if not args.no_pipeline:
        result["pipeline"] = pipeline.run(
            shims, WORK, args.latency_ms, _progress, 2 if args.quick else args.flows
        )
    raw = runs.results
    result.update(
        runs=raw.runs,
        api_calls=raw.api_calls,
        memory=raw.memory,
        profile=raw.profile,
        summary=report.summarize(raw.runs, args.latency_ms),
        api_calls_per_resource=report.calls_per_resource(raw.api_calls),
    )
    result["targets"] = report.targets(result)
    result["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    result["runtime_s"] = round(time.perf_counter() - started, 1)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    (args.output_dir / "latest.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    report.chart(result, args.output_dir / "latest.png")
    (args.output_dir / "latest.md").write_text(report.markdown(result, "latest.png"), encoding="utf-8")
    _progress(f"done in {result['runtime_s']:.0f} s -> {args.output_dir}/latest.{{json,md,png}}")
    for target in result["targets"]:
        _progress(f"{'met   ' if target['met'] else 'MISSED'} {target['target']}: {target['measured']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
