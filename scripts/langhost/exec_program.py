"""Run one Pulumi Python program inside a stack; executed as a script by the program's own interpreter.

Self-contained on purpose (standard library and `pulumi` only): the program's virtualenv need not contain
anything of ours. The language host passes config through PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS and
everything else as arguments. Exit codes: 0 success, BAIL_EXIT_CODE when the error was already reported to the
engine (the host then answers Run with bail=True so the user sees it once), anything else is unexpected.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import logging
import os
import runpy
import signal
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor

BAIL_EXIT_CODE = 32
"""The program failed and its error was already logged through the engine."""

#: Threads per unit of `--parallel` in the loop's default executor, as Pulumi's own Python host sizes it
#: (`pulumi.automation._server`, "derived from pulumi-language-python-exec": max(parallel, 1) * 4 workers).
#: The SDK runs every RegisterResource on that executor and each one holds a thread until the engine has
#: created the resource, so asyncio's default (min(32, cpus + 4) threads: 6 on 2 cores) would cap the
#: program's resource operations in flight whatever `--parallel` says.
THREADS_PER_PARALLEL = 4

# The SDK raises RunError with this text when the engine went away (it already reported why).
_MONITOR_GONE = "Resource monitor has terminated, shutting down"


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run a Pulumi Python program (pulumi-aep language host).")
    parser.add_argument("--monitor", required=True)
    parser.add_argument("--engine", required=True)
    parser.add_argument("--project", required=True)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--organization", default="")
    parser.add_argument("--root-directory", default="")
    parser.add_argument("--pwd", default="")
    parser.add_argument("--parallel", type=int, default=0)
    parser.add_argument("--dry-run", choices=["true", "false"], default="false")
    parser.add_argument("program")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    return parser.parse_args(argv)


def _watch_parent() -> None:
    """Exit if the language host dies, instead of waiting forever on an engine that is gone."""
    # Loaded by path under a private name: a top-level `watchdog` would shadow the PyPI package of that name.
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "watchdog.py")
    spec = importlib.util.spec_from_file_location("_pulumi_aep_langhost_watchdog", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    watchdog = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(watchdog)
    watchdog.watch_parent(lambda: os._exit(1))


def _prepare_sys_path(program: str) -> None:
    """Let the program import its sibling modules, and not ours."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    program_dir = program if os.path.isdir(program) else os.path.dirname(program)
    sys.path.insert(0, program_dir)


def _is_machinery(filename: str) -> bool:
    """Frames of this runner, runpy, asyncio and the SDK's stack runner say nothing about the user's bug."""
    here = os.path.abspath(__file__)
    return (
        filename == here
        or filename.startswith("<frozen runpy")
        or f"{os.sep}asyncio{os.sep}" in filename
        or filename.endswith(os.path.join("pulumi", "runtime", "stack.py"))
    )


def _user_traceback() -> str:
    """Format the exception being handled, without the frames of the machinery that ran the program."""
    exc = sys.exc_info()[1]
    assert exc is not None
    summary = traceback.TracebackException.from_exception(exc)
    frames = [frame for frame in summary.stack if not _is_machinery(frame.filename)]
    summary.stack = traceback.StackSummary.from_list(frames)
    return "".join(summary.format())


def _run_path(program: str) -> None:
    runpy.run_path(program, run_name="__main__")


def default_executor(parallel: int) -> ThreadPoolExecutor | None:
    """The event loop's default executor for `--parallel` (None: the engine sent none, keep asyncio's).

    Threads start as work arrives, so a large `--parallel` costs nothing until the program has that many
    resource operations waiting on the engine.
    """
    if parallel <= 0:
        return None
    return ThreadPoolExecutor(max_workers=parallel * THREADS_PER_PARALLEL, thread_name_prefix="pulumi-rpc")


def _stopped_by_the_host(signum: int, frame: object) -> None:
    """SIGINT: the host stops its programs so when the engine cancels or shuts down. Leave at once.

    Unwinding instead (a ``KeyboardInterrupt``) would leave the SDK's coroutines to be closed after the
    event loop, whose clean-up then fails and prints tracebacks (``no running event loop``) into the
    CLI's output; nothing is left to do that the engine would still read.
    """
    del signum, frame
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(BAIL_EXIT_CODE)


def main(argv: list[str]) -> int:
    """Configure the Pulumi runtime from `argv` and run the program in a stack; return the exit code."""
    try:
        import pulumi
        import pulumi.runtime
    except ImportError:
        print(
            "The Pulumi Python SDK is not installed for "
            f"{sys.executable}: install it (`pip install pulumi`) into the program's virtualenv.",
            file=sys.stderr,
        )
        return 1

    args = _parse(argv)
    _watch_parent()
    program = os.path.abspath(os.path.join(args.pwd or ".", args.program))
    pulumi.runtime.set_all_config(
        pulumi.runtime.get_config_env(), pulumi.runtime.get_config_secret_keys_env()
    )
    pulumi.runtime.configure(
        pulumi.runtime.Settings(
            project=args.project,
            stack=args.stack,
            monitor=args.monitor,
            engine=args.engine,
            parallel=args.parallel,
            dry_run=args.dry_run == "true",
            organization=args.organization or None,
            root_directory=args.root_directory or None,
        )
    )
    if args.pwd:
        os.chdir(args.pwd)
    sys.argv = [program, *args.args]
    _prepare_sys_path(program)
    # asyncio complains about futures never awaited when a program fails half-way; that is expected here.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    executor = default_executor(args.parallel)
    if executor is not None:
        loop.set_default_executor(executor)
    signal.signal(signal.SIGINT, _stopped_by_the_host)
    try:
        loop.run_until_complete(pulumi.runtime.run_in_stack(lambda: _run_path(program)))
    except pulumi.RunError as exc:
        if str(exc) != _MONITOR_GONE:
            pulumi.log.error(str(exc))
        return BAIL_EXIT_CODE
    except Exception:  # noqa: BLE001 - any program error is reported to the user, once
        pulumi.log.error("Program failed with an unhandled exception:\n" + _user_traceback())
        return BAIL_EXIT_CODE
    finally:
        # The program is over: the host's SIGINT as the engine shuts down (after a failed preview it comes
        # at once) must not turn the loop's teardown into a KeyboardInterrupt traceback in the CLI's output.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        loop.close()
        sys.stdout.flush()
        sys.stderr.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
