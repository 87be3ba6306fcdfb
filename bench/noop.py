"""The baseline: a dynamic resource whose provider makes no API call, so a run costs only engine and plugin.

It lives in an importable module, so it is pickled by reference like ``pulumi_aep.provider``; the
dynamic-provider process and its 4 worker threads are the same as for the real provider.
"""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider, UpdateResult


class NoopProvider(ResourceProvider):
    """Returns ids and echoes inputs; no network, no validation."""

    serialize_as_secret_always = False

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        """Changed when any input but ``__provider`` differs (like the real provider, without its rules)."""
        keys = {k for k in (*_olds, *_news) if k != "__provider" and _olds.get(k) != _news.get(k)}
        return DiffResult(changes=bool(keys), replaces=[], stables=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """A fresh id; the inputs are the outputs."""
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
        time.sleep(int(os.environ.get("BENCH_WAIT_MS", "0")) / 1000)
        return super().create(props)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Wait one API call's latency."""
        time.sleep(int(os.environ.get("BENCH_WAIT_MS", "0")) / 1000)


class NoopResource(Resource):
    """A dynamic resource with the same inputs as the benchmarked ``AzureBlobConnection``."""

    def __init__(self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None) -> None:
        waits = int(os.environ.get("BENCH_WAIT_MS", "0")) > 0
        super().__init__(WaitingNoopProvider() if waits else NoopProvider(), name, props, opts)
