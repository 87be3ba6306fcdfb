"""`count` pipelines named `<prefix> <i>`: connection -> source connection -> dataset -> target -> dataflow.

The chaos run over the pipeline (tests/pipeline_wire/test_chaos_cli.py) drives it through the CLI.
"""

import pulumi

from pulumi_aep import (
    AzureBlobConnection,
    AzureBlobConnectionArgs,
    AzureBlobSourceConnection,
    Dataflow,
    DataLakeTargetConnection,
    Dataset,
)

config = pulumi.Config()
count = config.require_int("count")
prefix = config.get("prefix") or "chaos"
schema_id = config.require("schemaId")
#: A start in the future: no runs are synthesized, so a refresh finds nothing new.
start_time = config.require_int("startTime")
connection_string = config.require_secret("connectionString")

flows = []
for i in range(count):
    name = f"{prefix} {i}"
    connection = AzureBlobConnection(
        f"{prefix}-connection-{i}",
        AzureBlobConnectionArgs(
            name=name, connection_string=connection_string, container="landing", folder_path=f"/{prefix}/{i}"
        ),
    )
    source = AzureBlobSourceConnection(
        f"{prefix}-source-{i}",
        name=name,
        base_connection_id=connection.connection_id,
        path=f"/landing/{prefix}/{i}/*.csv",
        data_format="delimited",
    )
    dataset = Dataset(f"{prefix}-dataset-{i}", name=name, schema_id=schema_id)
    target = DataLakeTargetConnection(
        f"{prefix}-target-{i}", name=name, dataset_id=dataset.dataset_id, schema_id=schema_id
    )
    flow = Dataflow(
        f"{prefix}-flow-{i}",
        name=name,
        source_connection_id=source.source_connection_id,
        target_connection_id=target.target_connection_id,
        schedule={"frequency": "hour", "interval": 1, "start_time": start_time},
    )
    flows.append(flow.flow_id)

pulumi.export("flowIds", flows)
