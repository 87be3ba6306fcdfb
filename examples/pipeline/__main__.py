"""Sample CSV files on Azurite, ingested hourly into a Platform dataset.

A verified connection to the container, a source connection on the CSV files of one folder, a
dataset of an XDM schema, a Data Lake target connection writing to it, and an enabled hourly
dataflow between them. The stack exports the flow's id and its last run's status (``pulumi refresh``
updates it). Every knob is stack config, so a change is one ``pulumi config set`` away.
"""

from __future__ import annotations

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
#: An XDM schema of the tenant, by its ``$id`` (https://ns.adobe.com/<tenant>/schemas/<hex>).
schema_id = config.require("schemaId")

connection = AzureBlobConnection(
    "samples",
    AzureBlobConnectionArgs(
        name="pipeline samples",
        connection_string=config.require_secret("connectionString"),
        container=config.get("container") or "samples",
        verify=config.get_bool("verify") is not False,
    ),
)
source = AzureBlobSourceConnection(
    "csv-files",
    name="sample CSV files",
    base_connection_id=connection.connection_id,
    path=config.get("sourcePath") or "/incoming/*.csv",
    data_format="delimited",
    column_delimiter=config.get("columnDelimiter") or ",",
)
dataset = Dataset("customers", name=config.get("datasetName") or "customers", schema_id=schema_id)
target = DataLakeTargetConnection(
    "lake", name="customers lake", dataset_id=dataset.dataset_id, schema_id=schema_id
)
flow = Dataflow(
    "hourly",
    name=config.get("flowName") or "customers hourly",
    source_connection_id=source.source_connection_id,
    target_connection_id=target.target_connection_id,
    schedule={
        "frequency": config.get("frequency") or "hour",
        "interval": config.get_int("interval") or 1,
        "start_time": config.get_int("startTime") or 1767225600,
    },
    enabled=config.get_bool("enabled") is not False,
)

pulumi.export("flowId", flow.flow_id)
pulumi.export("flowState", flow.state)
pulumi.export("lastRunStatus", flow.last_run_status)
pulumi.export("sourceConnectionId", source.source_connection_id)
pulumi.export("datasetId", dataset.dataset_id)
