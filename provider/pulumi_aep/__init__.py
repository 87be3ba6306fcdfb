"""Pulumi dynamic provider for Adobe Experience Platform Flow Service connections (Azure Blob)."""

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
    "ConfigurationError",
    "ConflictError",
    "ConnectionInUseError",
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
