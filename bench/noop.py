"""The baseline: a dynamic resource whose provider makes no API call, so a run costs only engine and plugin.

It lives in an importable module, so it is pickled by reference like ``pulumi_aep.provider``; the
dynamic-provider process and its 4 worker threads are the same as for the real provider.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider, UpdateResult

#: Where the provider writes the most creates it was serving at once (bench/faces.py reads it): a no-op makes
#: no API call the emulator could count.
INFLIGHT_FILE_ENV = "BENCH_INFLIGHT_FILE"


class _Gauge:
    """Creates in flight in this provider process; the high-water mark goes to ``$BENCH_INFLIGHT_FILE``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._now = 0
        self._most = 0

    @contextmanager
    def serving(self) -> Iterator[None]:
        with self._lock:
            self._now += 1
            if self._now > self._most:
                self._most = self._now
                path = os.environ.get(INFLIGHT_FILE_ENV)
                if path:
                    with open(path, "w", encoding="utf-8") as out:
                        out.write(str(self._most))
        try:
            yield
        finally:
            with self._lock:
                self._now -= 1


_CREATES = _Gauge()


class NoopProvider(ResourceProvider):
    """Returns ids and echoes inputs; no network, no validation."""

    serialize_as_secret_always = False

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        """Changed when any input but ``__provider`` differs (like the real provider, without its rules)."""
        keys = {k for k in (*_olds, *_news) if k != "__provider" and _olds.get(k) != _news.get(k)}
        return DiffResult(changes=bool(keys), replaces=[], stables=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """A fresh id; the inputs are the outputs."""
        with _CREATES.serving():
            return CreateResult(str(uuid.uuid4()), dict(props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """The state as it is."""
        return ReadResult(id_, dict(props))

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        """The new inputs are the outputs."""
        return UpdateResult(dict(_news))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Nothing to delete."""


class WaitingNoopProvider(NoopProvider):
    """A no-op that waits ``BENCH_WAIT_MS`` per create and delete: the best any dynamic provider can do
    when each call costs that much, since its 4 workers are the only limit left."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Wait one API call's latency, then create like the no-op."""
        with _CREATES.serving():
            time.sleep(int(os.environ.get("BENCH_WAIT_MS", "0")) / 1000)
            return CreateResult(str(uuid.uuid4()), dict(props))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Wait one API call's latency."""
        time.sleep(int(os.environ.get("BENCH_WAIT_MS", "0")) / 1000)


class NoopResource(Resource):
    """A dynamic resource with the same inputs as the benchmarked ``AzureBlobConnection``."""

    def __init__(self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None) -> None:
        waits = int(os.environ.get("BENCH_WAIT_MS", "0")) > 0
        super().__init__(WaitingNoopProvider() if waits else NoopProvider(), name, props, opts)
