"""Command line of the plugin: serve ResourceProvider on a free loopback port and print the port.

The engine starts ``pulumi-resource-aep <engine-address>`` (plus flags such as ``--logtostderr``,
``-v=9`` or ``--tracing``) and reads exactly one line, the port, from stdout before it connects.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from concurrent import futures
from types import FrameType
from typing import Final

import grpc
from pulumi.runtime.proto import provider_pb2_grpc

from pulumi_aep import logs
from pulumi_aep.config import MAX_CALLS_IN_FLIGHT
from pulumi_aep.schema import schema_json

#: gRPC worker threads. Each engine call holds one for as long as its blocking Flow Service calls take;
#: the engine never says its ``--parallel``, so the bound is the process's (``MAX_CALLS_IN_FLIGHT``, far
#: above any ``--parallel``: the engine's is the only limit). Threads start as calls arrive.
MAX_WORKERS: Final = MAX_CALLS_IN_FLIGHT
#: How long calls in flight may finish once the engine closes the plugin (SIGINT when it is done with the
#: plugin; it kills a plugin still running 5 s later: ``sdk/go/common/resource/plugin/plugin.go``).
_STOP_GRACE_S: Final = 1.0
#: Same message limit the Pulumi SDKs use: resource state can be large.
_MAX_MESSAGE_BYTES: Final = 400 * 1024 * 1024
_PARENT_POLL_S: Final = 1.0

log = logging.getLogger("pulumi_aep.plugin")


def _parse(argv: list[str]) -> argparse.Namespace:
    """The flags the engine may pass; ``-v=N`` is read by ``pulumi_aep.logs``, others (``--tracing``) ignored."""
    parser = argparse.ArgumentParser(prog="pulumi-resource-aep", description=__doc__)
    parser.add_argument("engine_address", nargs="?", default="", help="the engine's gRPC address")
    parser.add_argument("--schema", action="store_true", help="print the package schema JSON and exit")
    parser.add_argument(
        "--logtostderr", action="store_true", help="log to stderr (at -v=N, see pulumi_aep.logs)"
    )
    args, _unknown = parser.parse_known_args(argv)
    return args


def serve(engine_address: str) -> tuple[grpc.Server, int]:
    """Start the ResourceProvider server on 127.0.0.1 with a kernel-chosen port."""
    from pulumi_aep.plugin.server import AepProvider

    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="aep-rpc"),
        options=[
            ("grpc.max_receive_message_length", _MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", _MAX_MESSAGE_BYTES),
        ],
    )
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(AepProvider(engine_address), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port


def _watch_parent(on_orphaned: threading.Event) -> None:
    """Stop when the engine that started us dies (a SIGKILLed CLI cannot tell us)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_POLL_S)
        on_orphaned.set()

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def main(argv: list[str]) -> int:
    """Print the schema (``--schema``), or serve until the engine stops us."""
    args = _parse(argv)
    if args.schema:
        sys.stdout.write(schema_json() + "\n")
        return 0
    verbosity = logs.configure(argv)
    server, port = serve(args.engine_address)
    stopped = threading.Event()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    _watch_parent(stopped)
    print(port, flush=True)
    log.debug(
        "serving on 127.0.0.1:%d for the engine at %s (-v=%d)", port, args.engine_address, verbosity.level
    )
    warm_up()
    stopped.wait()
    server.stop(grace=_STOP_GRACE_S).wait()
    # Nothing is left to do: skip the interpreter's teardown (joining the pool's idle threads, gRPC's
    # and the import system's cleanup), which added 0.2-0.3 s to every command that started the plugin
    # (the engine waits for it), and as much again when the YAML language host started one for the schema.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def warm_up() -> None:
    """Import the API modules (``requests``, ``urllib3``) on a thread while the engine configures us.

    The core imports them on the first API call, so that a no-change preview never loads them; a plugin
    process would otherwise pay that import (a tenth of a second on a loaded 2-core machine) between the
    engine's first create and its request, while the engine's handshake, Configure and Checks leave the
    process idle. No network call is made.
    """

    def load() -> None:
        # What the core and the pipeline core import on their first API call.
        import pulumi_aep.operations
        import pulumi_aep.pipeline_client
        import pulumi_aep.pipeline_lifecycle  # noqa: F401 - imported to be loaded, not used here

    threading.Thread(target=load, name="warm-up", daemon=True).start()
