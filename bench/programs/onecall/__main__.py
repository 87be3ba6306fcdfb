"""The ``aep`` program on bench.onecall: one API call per create and update (a what-if)."""

import os

import pulumi

from bench.onecall import OneCallConnection
from pulumi_aep import AzureBlobConnectionArgs

config = pulumi.Config()
connection_string = config.require_secret("connectionString")
description = os.environ.get("BENCH_DESCRIPTION", "bench")

for i in range(int(os.environ.get("BENCH_COUNT", "1"))):
    OneCallConnection(
        f"c{i}",
        AzureBlobConnectionArgs(
            name=f"bench {i}",
            description=description,
            connection_string=connection_string,
            container="landing",
            folder_path=f"/bench/{i}",
        ),
    )
