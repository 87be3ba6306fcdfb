"""``BENCH_COUNT`` no-op dynamic resources with the inputs of the ``aep`` program: the engine's own cost."""

import os

import pulumi

from bench.noop import NoopResource

config = pulumi.Config()
connection_string = config.require_secret("connectionString")
description = os.environ.get("BENCH_DESCRIPTION", "bench")

for i in range(int(os.environ.get("BENCH_COUNT", "1"))):
    NoopResource(
        f"c{i}",
        {
            "name": f"bench {i}",
            "description": description,
            "connection_string": connection_string,
            "container": "landing",
            "folder_path": f"/bench/{i}",
            "sandbox_name": "prod",
        },
    )
