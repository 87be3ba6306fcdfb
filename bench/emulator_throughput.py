"""Benchmark: GET /connections/{id} per second against the stand-alone emulator, 16 concurrent clients.

Starts ``python -m aep_emulator serve --port 0`` in its own process (apart from the load generator, as a
user's emulator would be), creates one connection, and drives it with ``wrk`` (Debian package ``wrk``;
its C event loop leaves the CPU to the server). Without wrk it falls back to a threaded Python client,
which itself eats much of a 2-core machine and so understates the server. Loopback only; the run is bounded.

    python bench/emulator_throughput.py [--duration 10] [--connections 16] [--threads 2]

Writes ``bench/results/emulator-throughput.json`` and prints a one-line summary.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "emulator"))

from aep_emulator import defaults  # noqa: E402
from aep_emulator.testing import fetch_token, platform_headers  # noqa: E402

#: Seconds to wait for the emulator's READY line.
READY_TIMEOUT_S = 30.0
#: Per-request timeout of setup calls and of the Python fallback client (loopback answers in ms).
TIMEOUT_S = 10.0


@contextmanager
def emulator_process() -> Iterator[str]:
    """Run the stand-alone emulator on a free port; yield its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "aep_emulator", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT / "emulator")},
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if line.startswith("READY "):
                yield line.split()[1]
                return
            if not line:
                break
        raise RuntimeError("the emulator did not print READY")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def setup(base_url: str) -> tuple[str, dict[str, str]]:
    """Get a token and create one connection; return its URL and the headers to GET it with."""
    headers = platform_headers(fetch_token(base_url))
    del headers["Content-Type"]  # set per request below, as the GET needs none
    body = {
        "name": "bench",
        "auth": {
            "specName": "ConnectionString",
            "params": {"connectionString": "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=a2V5"},
        },
        "connectionSpec": {"id": defaults.AZURE_BLOB_SPEC_ID, "version": "1.0"},
    }
    flow = base_url + defaults.FLOW_SERVICE_PREFIX
    created = requests.post(flow + "/connections", json=body, headers=headers, timeout=TIMEOUT_S)
    created.raise_for_status()
    return f"{flow}/connections/{created.json()['id']}", headers


def run_wrk(
    url: str, headers: dict[str, str], duration: int, connections: int, threads: int
) -> dict[str, Any]:
    """Drive ``url`` with wrk and parse its report."""
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*args, url], capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.MULTILINE))
    return {
        "client": "wrk",
        "requests": total,
        "requests_per_s": rps,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": errors.group(1) if errors else None,
        "latency_percentiles": latency,
        "raw": out,
    }


def run_python(url: str, headers: dict[str, str], duration: int, connections: int) -> dict[str, Any]:
    """Fallback load: ``connections`` threads with keep-alive sessions (the client competes for the CPU)."""
    counts = [0] * connections
    failures = [0] * connections
    stop = time.monotonic() + duration

    def worker(i: int) -> None:
        with requests.Session() as session:
            while time.monotonic() < stop:
                ok = session.get(url, headers=headers, timeout=TIMEOUT_S).status_code == 200
                counts[i] += 1
                failures[i] += 0 if ok else 1

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.monotonic() - started
    total = sum(counts)
    return {
        "client": "python-threads",
        "requests": total,
        "requests_per_s": total / elapsed,
        "non_2xx": sum(failures),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load (default 10)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--output", default=str(RESULTS / "emulator-throughput.json"))
    args = parser.parse_args()
    with emulator_process() as base_url:
        url, headers = setup(base_url)
        requests.get(url, headers=headers, timeout=TIMEOUT_S).raise_for_status()  # warm-up
        if shutil.which("wrk"):
            result = run_wrk(url, headers, args.duration, args.connections, args.threads)
        else:
            result = run_python(url, headers, args.duration, args.connections)
    result.update(
        endpoint="GET /data/foundation/flowservice/connections/{id}",
        connections=args.connections,
        duration_s=args.duration,
        cpus=os.cpu_count(),
        load_average_1m_after=round(os.getloadavg()[0], 2),
        python=platform.python_version(),
        machine=platform.machine(),
        date=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        target_requests_per_s=1000,
    )
    result["meets_target"] = result["requests_per_s"] >= 1000 and result["non_2xx"] == 0
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"{result['requests_per_s']:.0f} req/s GET /connections/{{id}} with {args.connections} clients "
        f"({result['client']}, {result['requests']} requests, {result['non_2xx']} non-2xx) -> {output}"
    )
    return 0 if result["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
