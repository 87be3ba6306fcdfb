"""Small, dependency-free parsers for Azure connection strings, SAS tokens, endpoints and region names."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final
from urllib.parse import parse_qs, urlsplit

#: Connection-string keys holding explicit endpoint URIs (lower-cased: Azure reads keys case-insensitively).
ENDPOINT_KEYS: Final = (
    "blobendpoint",
    "blobsecondaryendpoint",
    "queueendpoint",
    "queuesecondaryendpoint",
    "tableendpoint",
    "tablesecondaryendpoint",
    "fileendpoint",
    "filesecondaryendpoint",
    "developmentstorageproxyuri",
)

#: The spelling Azure's docs use for each key, for messages (never values).
CANONICAL_KEYS: Final[Mapping[str, str]] = {
    "defaultendpointsprotocol": "DefaultEndpointsProtocol",
    "accountname": "AccountName",
    "accountkey": "AccountKey",
    "endpointsuffix": "EndpointSuffix",
    "sharedaccesssignature": "SharedAccessSignature",
    "usedevelopmentstorage": "UseDevelopmentStorage",
    "blobendpoint": "BlobEndpoint",
    "blobsecondaryendpoint": "BlobSecondaryEndpoint",
    "queueendpoint": "QueueEndpoint",
    "queuesecondaryendpoint": "QueueSecondaryEndpoint",
    "tableendpoint": "TableEndpoint",
    "tablesecondaryendpoint": "TableSecondaryEndpoint",
    "fileendpoint": "FileEndpoint",
    "filesecondaryendpoint": "FileSecondaryEndpoint",
    "developmentstorageproxyuri": "DevelopmentStorageProxyUri",
}


def parse_connection_string(value: str) -> dict[str, str]:
    """Split ``Key=Value;...`` into a dict keyed by the lower-cased key.

    Values may contain ``=`` (base64 keys, SAS tokens), so each segment splits on its first ``=`` only.
    Empty segments (a trailing ``;``) and segments without ``=`` are ignored: rejecting malformed strings
    is the provider's ``check``'s job, a policy only judges what it can read.
    """
    parsed: dict[str, str] = {}
    for segment in value.split(";"):
        key, sep, val = segment.partition("=")
        if sep and key.strip():
            parsed[key.strip().lower()] = val.strip()
    return parsed


def canonical_key(key: str) -> str:
    """The documented spelling of a lower-cased connection-string key."""
    return CANONICAL_KEYS.get(key, key)


def is_loopback_host(host: str) -> bool:
    """``localhost`` (and ``*.localhost``), 127.0.0.0/8 and ``::1``."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class InsecureHostRules:
    """Which plain-http hosts a policy tolerates (development endpoints such as Azurite)."""

    allow_loopback: bool = True
    allowed_hosts: frozenset[str] = frozenset()

    def exempt(self, host: str | None) -> bool:
        """True when plain http to ``host`` is acceptable."""
        if not host:
            return False
        host = host.lower()
        if host in self.allowed_hosts:
            return True
        return self.allow_loopback and is_loopback_host(host)


def url_scheme_and_host(url: str) -> tuple[str, str | None]:
    """Lower-cased scheme and host of ``url`` (``("", None)`` when it has no scheme)."""
    try:
        parts = urlsplit(url.strip())
        return parts.scheme.lower(), parts.hostname
    except ValueError:
        return "", None


def storage_account_from_host(host: str | None) -> str | None:
    """``myacct`` from ``myacct.blob.core.windows.net`` (any Azure cloud suffix); else ``None``."""
    if not host:
        return None
    labels = host.lower().split(".")
    if len(labels) >= 4 and labels[1] in {"blob", "dfs", "file", "queue", "table"}:
        return labels[0]
    return None


def sas_params(token: str) -> dict[str, str]:
    """The query parameters of a SAS token (with or without a leading ``?``), first value of each."""
    parsed = parse_qs(token.lstrip("?"), keep_blank_values=True)
    return {key: values[0] for key, values in parsed.items() if values}


def parse_sas_time(value: str) -> datetime | None:
    """Parse a SAS ``st``/``se`` value (ISO 8601 date, or date-time in UTC); ``None`` if unreadable."""
    text = value.strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def normalize_region(value: str) -> str:
    """``East US 2`` / ``east-us-2`` / ``eastus2`` all become ``eastus2`` (Azure's programmatic name)."""
    return "".join(ch for ch in value.lower() if ch.isalnum())


def normalize_regions(values: Iterable[str]) -> frozenset[str]:
    """Normalise a list of region names (display or programmatic)."""
    return frozenset(normalize_region(v) for v in values if v.strip())
