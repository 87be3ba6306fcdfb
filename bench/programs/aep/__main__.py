"""``BENCH_COUNT`` AzureBlobConnections; changing ``BENCH_DESCRIPTION`` updates all of them in place.

``BENCH_FACE=plugin`` declares them through the plugin's SDK (pulumi_aep.native) instead of the dynamic
provider.

The size and the description come from the environment, so the harness needs no `pulumi config set`
(a CLI start, seconds on a busy machine) between runs.
"""

import os

import pulumi

import pulumi_aep
import pulumi_aep.native

config = pulumi.Config()
connection_string = config.require_secret("connectionString")
description = os.environ.get("BENCH_DESCRIPTION", "bench")
plugin = os.environ.get("BENCH_FACE") == "plugin"
resource = pulumi_aep.native.AzureBlobConnection if plugin else pulumi_aep.AzureBlobConnection

for i in range(int(os.environ.get("BENCH_COUNT", "1"))):
    resource(
        f"c{i}",
        name=f"bench {i}",
        description=description,
        connection_string=connection_string,
        container="landing",
        folder_path=f"/bench/{i}",
    )
