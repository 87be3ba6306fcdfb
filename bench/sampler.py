"""``python -m bench.sampler (-m pulumi.dynamic | RUNNER.py pulumi.dynamic) ENGINE``: a sampled provider.

The dynamic-provider server under a wall-clock stack sampler. Started in place of the interpreter the
plugin script runs (``python -u -m pulumi.dynamic``, or the langhost's ``run_module.py pulumi.dynamic``)
through a ``PULUMI_PYTHON_CMD`` wrapper, it samples
every thread that is serving an RPC every few milliseconds and writes, to ``$BENCH_PROFILE_OUT``, how
often each function was on such a stack (inclusive) and at its top (self). The file is rewritten
every half second, because the engine may kill the plugin without letting it exit cleanly.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from types import FrameType

#: Sampling interval (s): ~200 samples a second, a few percent of one core.
INTERVAL_S = 0.005
#: How often the counts are written out (s).
FLUSH_S = 0.5
#: A thread counts as busy when one of these servicer methods is on its stack.
RPCS = frozenset({"Check", "Diff", "Create", "Read", "Update", "Delete", "Configure"})


def _label(frame: FrameType) -> str:
    code = frame.f_code
    parts = Path(code.co_filename).parts
    short = (
        "/".join(parts[-2:])
        if "site-packages" not in parts
        else "/".join(parts[parts.index("site-packages") + 1 :])
    )
    return f"{short}:{code.co_name}"


class Sampler:
    """Counts functions on the stacks of busy threads."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.inclusive: Counter[str] = Counter()
        self.self_: Counter[str] = Counter()
        self.rpc: Counter[str] = Counter()
        self.samples = 0
        self.busy = 0
        self._me = 0

    def sample(self) -> None:
        self.samples += 1
        for ident, top in sys._current_frames().items():
            if ident == self._me:
                continue
            labels: list[str] = []
            rpc = None
            frame: FrameType | None = top
            while frame is not None:
                labels.append(_label(frame))
                if frame.f_code.co_name in RPCS and frame.f_code.co_filename.endswith("dynamic/__main__.py"):
                    rpc = frame.f_code.co_name
                frame = frame.f_back
            if rpc is None:
                continue
            self.busy += 1
            self.rpc[rpc] += 1
            self.self_[labels[0]] += 1
            self.inclusive.update(set(labels))

    def flush(self) -> None:
        data = {
            "interval_s": INTERVAL_S,
            "samples": self.samples,
            "busy_thread_samples": self.busy,
            "rpc": dict(self.rpc),
            "inclusive": dict(self.inclusive.most_common(60)),
            "self": dict(self.self_.most_common(30)),
        }
        tmp = self.out.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(self.out)

    def run(self) -> None:
        self._me = threading.get_ident()
        next_flush = time.monotonic() + FLUSH_S
        while True:
            self.sample()
            if time.monotonic() >= next_flush:
                self.flush()
                next_flush = time.monotonic() + FLUSH_S
            time.sleep(INTERVAL_S)


def main() -> None:
    sampler = Sampler(Path(os.environ["BENCH_PROFILE_OUT"]))
    threading.Thread(target=sampler.run, name="bench-sampler", daemon=True).start()
    args = sys.argv[1:]
    if args[0] == "-m":
        sys.argv = [args[1], *args[2:]]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = args
        runpy.run_path(args[0], run_name="__main__")


if __name__ == "__main__":
    main()
