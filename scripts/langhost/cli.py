"""Command line of `pulumi-language-python`: serve LanguageRuntime on a free loopback port, print the port."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from concurrent import futures
from types import FrameType

import grpc
from pulumi.runtime.proto import language_pb2_grpc

from . import goflags, program, watchdog
from .server import LanguageHost

# Same limit the Pulumi SDKs use: resource state can be large.
_MAX_MESSAGE_BYTES = 400 * 1024 * 1024

# Run is long-lived and RunPlugin streams for a whole deployment, while GetRequiredPackages/About may come
# concurrently; a handful of threads is plenty.
_MAX_WORKERS = 8

log = logging.getLogger("pulumi-aep-langhost")


def _parse(argv: list[str]) -> argparse.Namespace:
    """Parse the flags the CLI may pass (Go style or not); unknown flags are ignored so newer CLIs do not break us."""
    parser = argparse.ArgumentParser(prog="pulumi-language-python", description=__doc__)
    parser.add_argument("engine_address", nargs="?", default="", help="the engine's gRPC address")
    parser.add_argument("--logtostderr", action="store_true", help="log to stderr")
    parser.add_argument("-v", "--verbose", type=int, default=0, help="log verbosity (Pulumi's -v)")
    parser.add_argument("--tracing", default="", help="tracing endpoint (ignored)")
    args, _unknown = parser.parse_known_args(goflags.normalize(argv))
    return args


def serve(engine_address: str) -> tuple[grpc.Server, int]:
    """Start the gRPC server on 127.0.0.1 with a kernel-chosen port.

    Returns:
        The running server and its port.
    """
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=_MAX_WORKERS),
        options=[
            ("grpc.max_receive_message_length", _MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", _MAX_MESSAGE_BYTES),
        ],
    )
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(LanguageHost(engine_address), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port


def main(argv: list[str]) -> int:
    """Run the language host until the CLI stops it (SIGINT/SIGTERM)."""
    args = _parse(argv)
    if args.logtostderr and args.verbose > 0:
        logging.basicConfig(stream=sys.stderr, level=logging.DEBUG if args.verbose >= 5 else logging.INFO)
    server, port = serve(args.engine_address)
    log.debug("serving LanguageRuntime on 127.0.0.1:%d for engine %s", port, args.engine_address)

    stopped = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.debug("signal %d: stopping", signum)
        stopped.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    watchdog.watch_parent(stopped.set)  # a CLI killed with SIGKILL cannot tell us to stop
    # The CLI reads exactly one line (the port) before it starts talking to us.
    print(port, flush=True)
    stopped.wait()
    program.stop_all()
    server.stop(grace=1).wait()
    return 0
