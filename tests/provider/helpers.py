"""Shared inputs for provider tests: valid credentials whose secret parts are unique per call."""

from __future__ import annotations

import base64
import secrets
from typing import Any

from pulumi_aep.model import UNKNOWN

__all__ = ["UNKNOWN", "account_key", "connection_string", "props", "sas_uri", "service_principal"]


def account_key() -> str:
    """A random 64-byte key, base64 (88 chars ending in ``==``), like Azure's."""
    return base64.b64encode(secrets.token_bytes(64)).decode()


def connection_string(account: str = "aepteststore", key: str | None = None) -> str:
    """An account-key connection string in Adobe's documented form."""
    return (
        f"DefaultEndpointsProtocol=https;AccountName={account};AccountKey={key or account_key()};"
        "EndpointSuffix=core.windows.net"
    )


def sas_uri(account: str = "aepteststore") -> str:
    """A complete blob SAS URI with a unique signature."""
    sig = secrets.token_urlsafe(24)
    return (
        f"https://{account}.blob.core.windows.net/?sv=2022-11-02&ss=b&srt=co&sp=rl"
        f"&se=2030-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig={sig}"
    )


def service_principal(**overrides: Any) -> dict[str, Any]:
    """Service-principal fields with a unique client secret."""
    principal = {
        "service_endpoint": "https://aepteststore.blob.core.windows.net",
        "service_principal_id": "0b7f9c2e-6f0a-4a51-9a63-3f2d8f1e2a10",
        "service_principal_key": f"sp~{secrets.token_urlsafe(24)}",
        "tenant": "72f988bf-86f1-41af-91ab-2d7cd011db47",
        "account_kind": "StorageV2",
    }
    principal.update(overrides)
    return principal


def props(**overrides: Any) -> dict[str, Any]:
    """Checked-looking inputs for a connection-string connection."""
    base: dict[str, Any] = {
        "name": "landing",
        "description": "landing container",
        "connection_string": connection_string(),
        "container": "landing",
        "folder_path": "/incoming",
        "sandbox_name": "prod",
        "connection_spec_version": "1.0",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}
