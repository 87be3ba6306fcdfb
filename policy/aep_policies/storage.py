"""Checks on ``azure-native:storage:StorageAccount`` properties, alone and against the stack's connections."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from pulumi_policy.proxy import UnknownValueError

from aep_policies.azure import (
    normalize_region,
    parse_connection_string,
    storage_account_from_host,
    url_scheme_and_host,
)
from aep_policies.settings import TLS_VERSIONS, RegionSettings, TlsSettings
from aep_policies.values import get, get_str, has_key

STORAGE_ACCOUNT_TYPE: Final = "azure-native:storage:StorageAccount"


def https_only_violations(props: Mapping[str, Any]) -> list[str]:
    """``enableHttpsTrafficOnly`` is not false (Azure's default has been true since API 2019-04-01)."""
    if get(props, "enableHttpsTrafficOnly") is not False:
        return []
    return [
        "enableHttpsTrafficOnly is false, so the account accepts plain-http requests. Set "
        "enableHttpsTrafficOnly to true (`enable_https_traffic_only=True` in Python), or leave it unset: "
        "Azure defaults to true."
    ]


def min_tls_violations(props: Mapping[str, Any], settings: TlsSettings) -> list[str]:
    """``minimumTlsVersion`` is set and at least the configured version."""
    wanted = settings.minimum_tls_version
    value = get_str(props, "minimumTlsVersion")
    fix = f"Set minimumTlsVersion to {wanted} (`minimum_tls_version='{wanted}'` in Python)."
    if value is None:
        return [f"minimumTlsVersion is not set, and older API versions default to TLS1_0. {fix}"]
    if value in TLS_VERSIONS and TLS_VERSIONS.index(value) >= TLS_VERSIONS.index(wanted):
        return []
    return [f"minimumTlsVersion is {value}, below {wanted}. {fix}"]


def public_blob_access_violations(props: Mapping[str, Any]) -> list[str]:
    """``allowBlobPublicAccess`` is explicitly false (API versions before 2023-01-01 default to true)."""
    value = get(props, "allowBlobPublicAccess")
    if value is False:
        return []
    why = "is true" if value is True else "is not set (API versions before 2023-01-01 default to true)"
    return [
        f"allowBlobPublicAccess {why}, so containers can be made anonymously readable. Set "
        "allowBlobPublicAccess to false (`allow_blob_public_access=False` in Python); AEP reads the account "
        "with its own credentials."
    ]


def region_violations(props: Mapping[str, Any], settings: RegionSettings) -> list[str]:
    """``location`` is not a region the AEP Azure Blob source cannot reach from within the same region."""
    location = get_str(props, "location")
    if location is None or normalize_region(location) not in settings.normalized:
        return []
    blocked = ", ".join(settings.blocked_regions)
    return [
        f"location '{location}' is one of the regions ({blocked}) that Adobe's docs say the Azure Blob "
        "source cannot reach from the same region. Create the account in another region, or change "
        "blockedRegions in the policy pack config if your AEP instance runs elsewhere."
    ]


# --- shared-key access vs the connections' auth -----------------------------------------------------------


@dataclass(frozen=True)
class KeyAuthUser:
    """A connection that authenticates with the account key or a SAS (both need shared-key access)."""

    name: str
    auth: str
    #: The storage account it reads, or ``None`` when that cannot be told (then it may be any account).
    account: str | None


def _account_of_connection(props: Mapping[str, Any]) -> str | None:
    try:
        value = get_str(props, "connection_string")
        if value:
            parts = parse_connection_string(value)
            if parts.get("accountname"):
                return parts["accountname"].lower()
            return storage_account_from_host(url_scheme_and_host(parts.get("blobendpoint", ""))[1])
        value = get_str(props, "sas_uri")
        if value:
            return storage_account_from_host(url_scheme_and_host(value)[1])
    except UnknownValueError:
        return None
    return None


def _auth_of_connection(props: Mapping[str, Any]) -> str | None:
    # Presence alone decides the auth type, so unknown values still count.
    if has_key(props, "sas_uri"):
        return "a SAS URI"
    if not has_key(props, "connection_string"):
        return None
    try:
        value = get_str(props, "connection_string")
    except UnknownValueError:
        return "a connection string"
    if value is None:
        return None
    return "a SAS" if "sharedaccesssignature" in parse_connection_string(value) else "an account key"


def key_auth_users(connections: Iterable[tuple[str, Mapping[str, Any]]]) -> list[KeyAuthUser]:
    """The connections (name, props) that need shared-key access on their storage account."""
    users: list[KeyAuthUser] = []
    for name, props in connections:
        auth = _auth_of_connection(props)
        if auth is not None:
            users.append(KeyAuthUser(name=name, auth=auth, account=_account_of_connection(props)))
    return users


def _account_name(props: Mapping[str, Any]) -> str | None:
    # ``accountName`` is the input; ``name`` the output. Auto-named accounts get a random suffix, so the
    # Pulumi resource name is no substitute: an unnamed account may be any account.
    for key in ("accountName", "name"):
        try:
            value = get_str(props, key)
        except UnknownValueError:
            return None
        if value:
            return value.lower()
    return None


def shared_key_violations(props: Mapping[str, Any], users: Iterable[KeyAuthUser]) -> list[str]:
    """``allowSharedKeyAccess`` is not false while a key/SAS connection reads this account."""
    if get(props, "allowSharedKeyAccess") is not False:
        return []
    account = _account_name(props)
    affected = [u for u in users if u.account is None or account is None or u.account == account]
    if not affected:
        return []
    who = ", ".join(f"'{u.name}' ({u.auth})" for u in affected)
    return [
        f"allowSharedKeyAccess is false, but connection(s) {who} authenticate with shared-key "
        "credentials, which Azure then rejects. Set allowSharedKeyAccess to true (`allow_shared_key_access=True` "
        "in Python) on this account, or switch the connections to service-principal auth."
    ]
