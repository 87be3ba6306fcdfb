"""``BENCH_COUNT`` AzureBlobConnections; changing ``BENCH_DESCRIPTION`` updates all of them in place.

The size and the description come from the environment, so the harness needs no `pulumi config set`
(a CLI start, seconds on a busy machine) between runs.
"""

import os

import pulumi

from pulumi_aep import AzureBlobConnection, AzureBlobConnectionArgs

config = pulumi.Config()
connection_string = config.require_secret("connectionString")
description = os.environ.get("BENCH_DESCRIPTION", "bench")

for i in range(int(os.environ.get("BENCH_COUNT", "1"))):
    AzureBlobConnection(
        f"c{i}",
        AzureBlobConnectionArgs(
            name=f"bench {i}",
            description=description,
            connection_string=connection_string,
            container="landing",
            folder_path=f"/bench/{i}",
        ),
    )
