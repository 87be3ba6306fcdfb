"""The dynamic ``ResourceProvider``s of the pipeline resources: ``RegisteredProvider``s of their names.

One class per resource; their import paths and names are stored in every stack's state (pickled by
reference): never move or rename them. Like ``AzureBlobConnectionProvider`` they hold no state: the
configured adapter of each provider instance lives in a process-wide weak map.
"""

from __future__ import annotations

from pulumi_aep.provider import RegisteredProvider

__all__ = [
    "AzureBlobSourceConnectionProvider",
    "DataLakeTargetConnectionProvider",
    "DataflowProvider",
    "DatasetProvider",
]


class PipelineResourceProvider(RegisteredProvider):
    """CRUD of the pipeline resource named ``RESOURCE`` (a ``pipeline_core.PipelineAdapter``)."""


class AzureBlobSourceConnectionProvider(PipelineResourceProvider):
    RESOURCE = "AzureBlobSourceConnection"


class DatasetProvider(PipelineResourceProvider):
    RESOURCE = "Dataset"


class DataLakeTargetConnectionProvider(PipelineResourceProvider):
    RESOURCE = "DataLakeTargetConnection"


class DataflowProvider(PipelineResourceProvider):
    RESOURCE = "Dataflow"
