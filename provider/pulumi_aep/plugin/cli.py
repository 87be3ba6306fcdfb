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
from pulumi_aep.schema import schema_json

#: gRPC worker threads. Each blocking Flow Service call holds one; 64 is above any ``--parallel`` a
#: user runs, so the engine's ``--parallel`` is the only limit on calls in flight.
MAX_WORKERS: Final = 64
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
    stopped.wait()
    server.stop(grace=1).wait()
    return 0
