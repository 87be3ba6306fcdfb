"""``BENCH_FLOWS`` ingestion pipelines (source connection, dataset, target connection, dataflow) sharing one
AzureBlobConnection, through the dynamic provider. bench/pipeline.py writes the same program in YAML.

The flows start in 2030 (``START_TIME``), so the emulator synthesizes no runs: the bench times the provider.
"""

import os

import pulumi

from pulumi_aep import (
    AzureBlobConnection,
    AzureBlobSourceConnection,
    Dataflow,
    DataLakeTargetConnection,
    Dataset,
)

START_TIME = 1893456000  # 2030-01-01T00:00:00Z

config = pulumi.Config()
schema_id = config.require("schemaId")
base = AzureBlobConnection(
    "base",
    name="bench base",
    connection_string=config.require_secret("connectionString"),
    container="landing",
)
for i in range(int(os.environ.get("BENCH_FLOWS", "1"))):
    source = AzureBlobSourceConnection(
        f"source{i}",
        name=f"bench source {i}",
        base_connection_id=base.connection_id,
        path=f"/landing/bench/{i}/*.csv",
        data_format="delimited",
    )
    dataset = Dataset(f"dataset{i}", name=f"bench dataset {i}", schema_id=schema_id)
    target = DataLakeTargetConnection(
        f"target{i}", name=f"bench target {i}", dataset_id=dataset.dataset_id, schema_id=schema_id
    )
    Dataflow(
        f"flow{i}",
        name=f"bench flow {i}",
        source_connection_id=source.source_connection_id,
        target_connection_id=target.target_connection_id,
        schedule={"frequency": "hour", "interval": 1, "start_time": START_TIME},
    )
