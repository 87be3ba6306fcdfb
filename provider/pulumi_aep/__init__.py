"""Pulumi dynamic provider for Adobe Experience Platform Flow Service: Azure Blob connections and the
ingestion pipeline on them (source connection, dataset, target connection, dataflow)."""

from __future__ import annotations

from pulumi_aep.errors import (
    AepError,
    ApiError,
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    ConnectionInUseError,
    NotFoundError,
    PreconditionFailedError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
    VerificationError,
)
from pulumi_aep.pipeline_resources import (
    AzureBlobSourceConnection,
    Dataflow,
    DataLakeTargetConnection,
    Dataset,
)
from pulumi_aep.resource import (
    AzureBlobConnection,
    AzureBlobConnectionArgs,
    AzureBlobConnectionArgsDict,
    ServicePrincipalArgs,
    ServicePrincipalArgsDict,
)

__all__ = [
    "AepError",
    "ApiError",
    "AuthenticationError",
    "AzureBlobConnection",
    "AzureBlobConnectionArgs",
    "AzureBlobConnectionArgsDict",
    "AzureBlobSourceConnection",
    "ConfigurationError",
    "ConflictError",
    "ConnectionInUseError",
    "DataLakeTargetConnection",
    "Dataflow",
    "Dataset",
    "NotFoundError",
    "PreconditionFailedError",
    "RateLimitedError",
    "ServerError",
    "ServicePrincipalArgs",
    "ServicePrincipalArgsDict",
    "TransportError",
    "ValidationError",
    "VerificationError",
]
