"""The pipeline's bad-input corpus: each case is a valid resource with one bad field, the property the
failure must name and a part of its reason.

Every case is new next to ``test_check.BAD_INPUTS`` (asserted by ``test_corpus.py``), and every one is
sent through the real CLI by ``tests/pipeline_wire/test_bad_input_cli.py``. ``inputs`` are the
resource's snake_case keyword arguments, JSON-able so that a program can read them from a file.
Facts: ``shared/reference/flow-service-pipeline.md`` (§ numbers below).
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Any, Final

from pulumi_aep.model import AZURE_BLOB_SPEC_ID
from pulumi_aep.pipeline.facts import DATA_LAKE_SPEC_ID, FLOW_SPEC_IDS
from tests.pipeline.helpers import DATASET_ID, DROP, MAPPING_ID, SCHEMA_ID, SOURCE_ID, START

SOURCE: Final = "AzureBlobSourceConnection"
DATASET: Final = "Dataset"
TARGET: Final = "DataLakeTargetConnection"
FLOW: Final = "Dataflow"
#: The short names of ``tests.pipeline.helpers.VALID``.
SHORT: Final = {SOURCE: "source", DATASET: "dataset", TARGET: "target", FLOW: "flow"}
#: What a case is about (each topic of the brief has cases).
TOPICS: Final = ("schedule", "format", "delimiter", "id", "spec", "path", "text")

CLOUD_SPEC_ID: Final = FLOW_SPEC_IDS["CloudStorageToAEP"]
SCHEDULE: Final = {"frequency": "hour", "interval": 1, "start_time": START}


@dataclass(frozen=True)
class Case:
    """One bad input: the valid inputs of ``resource`` with ``overrides`` (``DROP`` removes a key)."""

    id: str
    resource: str
    topic: str
    overrides: dict[str, Any]
    property: str
    reason: str

    @builtins.property  # the field ``property`` shadows the builtin
    def inputs(self) -> dict[str, Any]:
        from tests.pipeline.helpers import VALID

        raw = {**VALID[SHORT[self.resource]], **self.overrides}
        return {k: v for k, v in raw.items() if v is not DROP}


def sched(**overrides: Any) -> dict[str, Any]:
    """The valid hourly schedule with ``overrides`` (``DROP`` removes a field)."""
    raw = {**SCHEDULE, **overrides}
    return {k: v for k, v in raw.items() if v is not DROP}


def _schedule(case_id: str, prop: str, reason: str, **fields: Any) -> Case:
    return Case(case_id, FLOW, "schedule", {"schedule": sched(**fields)}, f"schedule.{prop}", reason)


ONE_CHAR = "must be exactly one character"
SOURCE_FORMATS = "must be one of delimited, json, parquet"
TARGET_FORMATS = "must be one of parquet_xdm, delimited, json, parquet"
SCHEMA = "must be an XDM schema's $id"
DATASET_ID_RULE = "must be a Catalog dataset id: 24 lowercase hex characters"
VERSION = "must be a schema version"
CONTROL = "contains a control character or an invisible one"
SEGMENTS = "must not contain empty, '.' or '..' segments"
WILDCARD = "wildcards ('*') are documented only in the file name"
WHOLE = "must be a whole number"
EPOCH = "must be a whole number of Unix epoch seconds"
FREQUENCY = "must be one of once, minute, hour, day, week"

CASES: Final[tuple[Case, ...]] = (
    # --- AzureBlobSourceConnection: data formats and their properties (§3.1 table, SRCERR 1327/1331)
    Case("src-format-parquet-xdm", SOURCE, "format", {"data_format": "parquet_xdm"}, "data_format", SOURCE_FORMATS),
    Case("src-compression-tar-gz", SOURCE, "format", {"compression_type": "tar.gz"}, "compression_type",
         "must be one of bzip2, gzip, deflate, zipDeflate, tarGzip, tar"),
    Case("src-encoding-parquet", SOURCE, "format", {"data_format": "parquet", "encoding": "UTF-8"}, "encoding",
         "applies only to delimited files, not parquet"),
    # --- delimiters: one character, tab included (SRCERR 1331), delimited only
    Case("src-delimiter-escaped-tab", SOURCE, "delimiter", {"column_delimiter": "\\t"}, "column_delimiter",
         f"{ONE_CHAR} (got 2)"),
    Case("src-delimiter-cr", SOURCE, "delimiter", {"column_delimiter": "\r"}, "column_delimiter",
         "cannot be a line break"),
    Case("src-delimiter-parquet", SOURCE, "delimiter", {"data_format": "parquet", "column_delimiter": ","},
         "column_delimiter", "applies only to delimited files, not parquet"),
    # --- the base connection's id (§1 "Id formats")
    Case("src-base-id-braces", SOURCE, "id", {"base_connection_id": "{1f164d1b-debe-4b39-b4a9-df767f7d6f7c}"},
         "base_connection_id", "must be a base connection id: a lowercase UUID"),
    # --- paths: wildcards, root, backslashes, CRLF (§3.1 params.path / params.type)
    Case("src-path-double-slash-root", SOURCE, "path", {"path": "//"}, "path", SEGMENTS),
    Case("src-path-globstar", SOURCE, "path", {"path": "/acme/**/*.csv"}, "path", WILDCARD),
    Case("src-path-backslash-folder", SOURCE, "path", {"path": "/acme\\summerCampaign/"}, "path",
         "use '/' as the separator"),
    Case("src-path-crlf", SOURCE, "path", {"path": "/acme/summerCampaign/accounts.csv\r\n"}, "path", CONTROL),
    Case("src-path-type-file-for-folder", SOURCE, "path", {"path": "/acme/summerCampaign/", "path_type": "file"},
         "path_type", "must be 'folder' for a wildcard or a path ending in '/'"),
    # --- Dataset: the schema's $id (§8.1), name and description
    Case("ds-schema-field-group", DATASET, "id",
         {"schema_id": "https://ns.adobe.com/acme/mixins/995dabbea86d58e346ff91bd8aa741a9"}, "schema_id", SCHEMA),
    Case("ds-name-blank", DATASET, "text", {"name": ""}, "name", "must not be empty or blank"),
    Case("ds-description-bell", DATASET, "text", {"description": "customers\a"}, "description", CONTROL),
    # --- DataLakeTargetConnection: dataset id, schema id and version, format (§4.1, §13 q6-7)
    Case("tgt-dataset-ref", TARGET, "id", {"dataset_id": f"@/dataSets/{DATASET_ID}"}, "dataset_id",
         DATASET_ID_RULE),
    Case("tgt-schema-with-version", TARGET, "id", {"schema_id": f"{SCHEMA_ID};version=1"}, "schema_id", SCHEMA),
    Case("tgt-schema-version-latest", TARGET, "id", {"schema_version": "latest"}, "schema_version", VERSION),
    Case("tgt-format-tabular", TARGET, "format", {"data_format": "tabular"}, "data_format", TARGET_FORMATS),
    Case("tgt-name-257", TARGET, "text", {"name": "t" * 257}, "name", "is 257 characters long; the limit is 256"),
    # --- Dataflow: connection and mapping ids (§6.1)
    Case("flow-same-connection-twice", FLOW, "id", {"target_connection_id": SOURCE_ID}, "target_connection_id",
         "is the same id as source_connection_id"),
    Case("flow-target-id-missing", FLOW, "id", {"target_connection_id": DROP}, "target_connection_id",
         "is required: pass a DataLakeTargetConnection's target_connection_id"),
    Case("flow-mapping-uppercase", FLOW, "id", {"mapping_id": MAPPING_ID.upper()}, "mapping_id",
         "32 lowercase hex characters"),
    # --- Dataflow: the flow spec must fit a cloud-storage-to-AEP flow (§5)
    Case("flow-spec-name-blank", FLOW, "spec", {"flow_spec_name": ""}, "flow_spec_name",
         "must not be empty or blank"),
    Case("flow-spec-name-trailing-space", FLOW, "spec", {"flow_spec_name": "CloudStorageToAEP "},
         "flow_spec_name", "starts or ends with a space"),
    Case("flow-spec-name-is-an-id", FLOW, "spec", {"flow_spec_name": CLOUD_SPEC_ID}, "flow_spec_name",
         "is a flow spec id, not a name: set flow_spec_id"),
    Case("flow-spec-id-blob-connection-spec", FLOW, "spec", {"flow_spec_id": AZURE_BLOB_SPEC_ID}, "flow_spec_id",
         "is the Azure Blob connection spec's id, not a flow spec's"),
    Case("flow-spec-id-data-lake-connection-spec", FLOW, "spec", {"flow_spec_id": DATA_LAKE_SPEC_ID},
         "flow_spec_id", "is the Data Lake connection spec's id, not a flow spec's"),
    Case("flow-spec-id-crm", FLOW, "spec", {"flow_spec_id": FLOW_SPEC_IDS["CRMToAEP"]}, "flow_spec_id",
         f"is the id of CRMToAEP, not of CloudStorageToAEP: use {CLOUD_SPEC_ID}"),
    Case("flow-spec-id-custom-name", FLOW, "spec", {"flow_spec_name": "MyBlobSpec", "flow_spec_id": CLOUD_SPEC_ID},
         "flow_spec_id", "is the id of CloudStorageToAEP, not of MyBlobSpec: remove flow_spec_id"),
    # --- Dataflow: schedule rules (§6.2: the flow spec's JSON schema, SRCERR 1361/1362/1364/1397)
    _schedule("sched-minute-14", "interval", "must be at least 15 with frequency 'minute' (Adobe 1362); got 14",
              frequency="minute", interval=14),
    _schedule("sched-hour-0", "interval", "must be at least 1 with frequency 'hour' (Adobe 1362); got 0",
              interval=0),
    _schedule("sched-minute-no-interval", "interval", "is required with frequency 'minute'",
              frequency="minute", interval=DROP),
    _schedule("sched-interval-fraction", "interval", WHOLE, frequency="minute", interval=15.5),
    _schedule("sched-frequency-daily", "frequency", FREQUENCY, frequency="daily"),
    _schedule("sched-start-iso", "start_time", EPOCH, start_time="2026-01-01T00:00:00Z"),
    _schedule("sched-start-negative", "start_time", "must be 0 or more", start_time=-86400),
    _schedule("sched-once-interval-0", "interval", "is not allowed with frequency 'once' (Adobe 1361)",
              frequency="once", interval=0),
    _schedule("sched-once-backfill-true", "backfill", "is not allowed with frequency 'once' (Adobe 1364)",
              frequency="once", interval=DROP, backfill=True),
)  # fmt: skip

BY_ID: Final = {c.id: c for c in CASES}
