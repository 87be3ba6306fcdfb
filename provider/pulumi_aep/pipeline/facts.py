"""Adobe's fixed values for the Blob ingestion pipeline (section numbers refer to flow-service-pipeline.md)."""

from __future__ import annotations

from typing import Final

from pulumi_aep.model import AZURE_BLOB_SPEC_ID

#: Connection spec of the Data Lake target (§4.1; SRCERR 1307 names it as the only allowed value).
DATA_LAKE_SPEC_ID: Final = "c604ff05-7f1a-43c0-8e18-33bf874cb11c"
#: Every connection spec is sent with this version (§3.1, §4.1).
SPEC_VERSION: Final = "1.0"

#: The flow spec that moves cloud-storage files into the Data Lake (§5.1).
CLOUD_STORAGE_FLOW_SPEC: Final = "CloudStorageToAEP"
#: Flow specs by name, with the source and target connection specs each accepts (§5.1, §5.2).
#: Only CloudStorageToAEP takes an Azure Blob source; the other two are listed so that a wrong
#: pairing (the brief's old id 6499120c... is RestStorageToAEP) is refused at preview by name.
FLOW_SPEC_IDS: Final = {
    CLOUD_STORAGE_FLOW_SPEC: "9753525b-82c7-4dce-8a9b-5ccfce2b9876",
    "RestStorageToAEP": "6499120c-0b15-42dc-936e-847ea3c24d72",
    "CRMToAEP": "14518937-270c-4525-bdec-c2ba7cce3860",
}
FLOW_SPEC_SOURCES: Final[dict[str, frozenset[str]]] = {
    CLOUD_STORAGE_FLOW_SPEC: frozenset({AZURE_BLOB_SPEC_ID}),
    "RestStorageToAEP": frozenset(),
    "CRMToAEP": frozenset(),
}
FLOW_SPEC_TARGETS: Final[dict[str, frozenset[str]]] = {
    CLOUD_STORAGE_FLOW_SPEC: frozenset({DATA_LAKE_SPEC_ID}),
    "RestStorageToAEP": frozenset({DATA_LAKE_SPEC_ID}),
    "CRMToAEP": frozenset({DATA_LAKE_SPEC_ID}),
}

#: Source-file formats a Blob source connection reads (§3.1; `tabular` is for table sources only).
SOURCE_FORMATS: Final = ("delimited", "json", "parquet")
#: Which format accepts which ``data.properties`` key (§3.1 table).
FORMAT_PROPERTIES: Final[dict[str, frozenset[str]]] = {
    "delimited": frozenset({"column_delimiter", "compression_type", "encoding"}),
    "json": frozenset({"compression_type"}),
    "parquet": frozenset(),
}
#: Snake-case source property -> ``data.properties`` key.
DATA_PROPERTY_KEYS: Final = {
    "column_delimiter": "columnDelimiter",
    "compression_type": "compressionType",
    "encoding": "encoding",
}
COMPRESSION_TYPES: Final = ("bzip2", "gzip", "deflate", "zipDeflate", "tarGzip", "tar")
ENCODINGS: Final = ("UTF-8", "ISO-8859-1")
DEFAULT_COLUMN_DELIMITER: Final = ","
DEFAULT_ENCODING: Final = "UTF-8"
#: ``params.type`` values (§3.1): one file, or a folder (also used for wildcards).
PATH_TYPES: Final = ("file", "folder")

#: Data Lake target formats seen in Adobe's sources (§4.1, §13 question 6); parquet_xdm is sent by default.
TARGET_FORMATS: Final = ("parquet_xdm", "delimited", "json", "parquet")
DEFAULT_TARGET_FORMAT: Final = "parquet_xdm"
#: COLLECT: "must be set application/vnd.adobe.xed-full+json;version=1, which returns the latest minor version".
DEFAULT_SCHEMA_VERSION: Final = "application/vnd.adobe.xed-full+json;version=1"
#: ``schemaRef.contentType`` sent on ``POST /dataSets`` (§8.2, CAT-DS).
DATASET_SCHEMA_CONTENT_TYPE: Final = "application/vnd.adobe.xed+json;version=1"

#: Schedule frequencies and the smallest interval each accepts (§6.2: the flow spec's JSON schema).
FREQUENCIES: Final = ("once", "minute", "hour", "day", "week")
MIN_INTERVAL: Final = {"minute": 15, "hour": 1, "day": 1, "week": 1}
#: Minutes per unit of each repeating frequency (used by the interval-minimum policy).
FREQUENCY_MINUTES: Final = {"minute": 1, "hour": 60, "day": 24 * 60, "week": 7 * 24 * 60}
#: Epoch seconds beyond this are almost certainly milliseconds (year 5138); Adobe wants seconds (§6.2).
MAX_EPOCH_SECONDS: Final = 10**11

#: The transformation that carries a Data Prep mapping set (§5.2, §6.1).
MAPPING_TRANSFORMATION: Final = "Mapping"
