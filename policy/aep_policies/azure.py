"""Azure facts for the pack: the provider's own parsers and loopback rule, plus hosts and regions.

The pack runs in the provider's virtualenv, so connection-string keys, the SAS time format and the
loopback rule are imported from ``pulumi_aep`` (written once), never restated here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from pulumi_aep.azure import ENDPOINT_KEYS as _ENDPOINT_NAMES
from pulumi_aep.azure import KNOWN_KEYS
from pulumi_aep.azure import connection_string_fields as parse_connection_string
from pulumi_aep.config import is_loopback
from pulumi_aep.sas import parse_sas_time, sas_params

__all__ = [
    "ENDPOINT_KEYS",
    "InsecureHostRules",
    "canonical_key",
    "is_loopback",
    "normalize_region",
    "normalize_regions",
    "parse_connection_string",
    "parse_sas_time",
    "sas_params",
    "storage_account_from_host",
    "url_scheme_and_host",
]

#: Connection-string keys holding explicit endpoint URIs, lower-cased as ``parse_connection_string`` keys them.
ENDPOINT_KEYS: Final = tuple(k.lower() for k in _ENDPOINT_NAMES)


def canonical_key(key: str) -> str:
    """The documented spelling of a lower-cased connection-string key."""
    return KNOWN_KEYS.get(key, key)


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
        return self.allow_loopback and is_loopback(host)


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


def normalize_region(value: str) -> str:
    """``East US 2`` / ``east-us-2`` / ``eastus2`` all become ``eastus2`` (Azure's programmatic name)."""
    return "".join(ch for ch in value.lower() if ch.isalnum())


def normalize_regions(values: Iterable[str]) -> frozenset[str]:
    """Normalise a list of region names (display or programmatic)."""
    return frozenset(normalize_region(v) for v in values if v.strip())
