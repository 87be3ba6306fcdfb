"""Azure Storage input parsing: connection strings, SAS URIs, names. Messages never echo a secret."""

from __future__ import annotations

import base64
import binascii
import difflib
import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from pulumi_aep.config import is_loopback
from pulumi_aep.errors import ValidationError
from pulumi_aep.sas import Clock, check_sas_token, utc_now

#: Azure storage account keys are 512-bit values (88 base64 characters).
ACCOUNT_KEY_BYTES: Final = 64

#: Connection-string keys holding an explicit endpoint URI, as Azure's docs spell them.
ENDPOINT_KEYS: Final = (
    "BlobEndpoint",
    "QueueEndpoint",
    "TableEndpoint",
    "FileEndpoint",
    "BlobSecondaryEndpoint",
    "QueueSecondaryEndpoint",
    "TableSecondaryEndpoint",
    "FileSecondaryEndpoint",
    "DevelopmentStorageProxyUri",
)
#: Keys Azure accepts in a storage connection string, by lower-case spelling (Azure reads keys
#: case-insensitively) -> the documented spelling, for messages.
KNOWN_KEYS: Final = {
    k.lower(): k
    for k in (
        "DefaultEndpointsProtocol",
        "AccountName",
        "AccountKey",
        "EndpointSuffix",
        *ENDPOINT_KEYS,
        "SharedAccessSignature",
        "UseDevelopmentStorage",
    )
}
DEFAULT_ENDPOINT_SUFFIX: Final = "core.windows.net"
DEV_STORAGE_BLOB_ENDPOINT: Final = "http://127.0.0.1:10000/devstoreaccount1"
# Matched with ``fullmatch``: ``$`` would also match before a final newline ("landing\n").
_ACCOUNT_NAME: Final = re.compile(r"[a-z0-9]{3,24}")
_CONTAINER: Final = re.compile(r"[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}")
_HOSTNAME: Final = re.compile(r"(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*")
_FIX_FORMAT: Final = "expected 'DefaultEndpointsProtocol=https;AccountName=<name>;AccountKey=<key>'"


@dataclass(frozen=True)
class StorageConnectionString:
    """The non-secret facts of a parsed connection string (the key itself is never kept)."""

    account_name: str | None
    blob_endpoint: str
    uses_account_key: bool
    uses_sas: bool


def parse_connection_string(
    value: str, prop: str = "connection_string", now: Clock = utc_now
) -> StorageConnectionString:
    """Parse an Azure Storage connection string the way Azure does.

    ``;``-separated ``Key=Value`` pairs, keys case-insensitive, the value is everything after the
    first ``=`` (base64 keys end in ``=``), a trailing ``;`` is fine. A ``SharedAccessSignature``
    must carry ``sig`` and an expiry ``se`` later than ``now()``.

    Raises:
        ValidationError: with a reason that says how to fix the string, never quoting it.
    """
    pairs = _pairs(value, prop)
    if pairs.get("usedevelopmentstorage", "").lower() == "true":
        return StorageConnectionString("devstoreaccount1", DEV_STORAGE_BLOB_ENDPOINT, True, False)
    account, key, sas = pairs.get("accountname"), pairs.get("accountkey"), pairs.get("sharedaccesssignature")
    if account is not None and not _ACCOUNT_NAME.fullmatch(account):
        raise ValidationError(prop, "AccountName must be 3-24 characters of lowercase letters and digits")
    if key is None and sas is None:
        raise ValidationError(prop, f"has neither AccountKey nor SharedAccessSignature; {_FIX_FORMAT}")
    key_bytes = 0
    if key is not None:
        if account is None:
            raise ValidationError(prop, f"AccountKey needs an AccountName; {_FIX_FORMAT}")
        key_bytes = _check_base64_key(key, prop)
    endpoint = _blob_endpoint(pairs, account, prop)
    if sas is not None:
        check_sas_token(sas, prop, "SharedAccessSignature", now)
    if key is not None and key_bytes != ACCOUNT_KEY_BYTES and not is_loopback(urlsplit(endpoint).hostname):
        # Local emulators (Azurite's custom accounts) take keys of any length; Azure's are 512 bits.
        raise ValidationError(
            prop,
            f"AccountKey decodes to {key_bytes} bytes, but Azure storage account keys are "
            f"{ACCOUNT_KEY_BYTES} bytes (88 base64 characters); copy key1 or key2 whole from the "
            "storage account's Access keys",
        )
    return StorageConnectionString(account, endpoint, key is not None, sas is not None)


def parse_sas_uri(value: str, prop: str = "sas_uri", now: Clock = utc_now) -> str:
    """Check a blob SAS URI (``https``, host, ``sig`` and an unexpired ``se``); return its host.

    Raises:
        ValidationError: naming what is missing or expired, never quoting the URI.
    """
    parts = urlsplit(value)
    if not parts.hostname:
        raise ValidationError(
            prop, "must be an absolute URL like https://<account>.blob.core.windows.net/?sv=...&sig=..."
        )
    _require_https(parts.scheme, parts.hostname, prop, "the SAS URI")
    check_sas_token(parts.query, prop, "the SAS URI", now)
    return parts.hostname


def check_https_url(value: str, prop: str) -> None:
    """An absolute ``https`` URL (``http`` allowed only for loopback hosts)."""
    parts = urlsplit(value)
    if not parts.hostname:
        raise ValidationError(prop, "must be an absolute URL like https://<account>.blob.core.windows.net")
    _require_https(parts.scheme, parts.hostname, prop, "the URL")


def check_container_name(value: str, prop: str = "container") -> None:
    """Azure container rules: 3-63 chars, lowercase letters, digits and single inner hyphens."""
    if not _CONTAINER.fullmatch(value):
        raise ValidationError(
            prop,
            f"{value!r} is not a valid container name: use 3-63 lowercase letters, digits and hyphens, "
            "starting and ending with a letter or digit, with no two hyphens in a row",
        )


def connection_string_fields(value: str) -> dict[str, str]:
    """The ``Key=Value`` pairs Azure would read, keyed by lower-cased key; unreadable segments skipped.

    For readers that judge only what they can read (the policy pack); :func:`parse_connection_string`
    is the strict form that rejects what this skips.
    """
    return {
        key.strip().lower(): val.strip() for _index, key, sep, val in _segments(value) if sep and key.strip()
    }


def _segments(value: str) -> list[tuple[int, str, str, str]]:
    """``(index, key, "=" or "", value)`` of each non-empty ``;`` segment, as written (not stripped)."""
    segments = (s for s in value.strip().split(";") if s)
    return [
        (index, key, sep, val) for index, (key, sep, val) in enumerate(s.partition("=") for s in segments)
    ]


def _pairs(value: str, prop: str) -> dict[str, str]:
    if not value.strip():
        raise ValidationError(prop, f"is empty; {_FIX_FORMAT}")
    pairs: dict[str, str] = {}
    for index, key, sep, val in _segments(value):
        if not sep or not key.strip():
            raise ValidationError(prop, f"segment {index + 1} is not Key=Value; {_FIX_FORMAT}")
        if key != key.strip() or val != val.strip():
            # Azure reads the string as sent: " AccountName" is not AccountName, "acct01 " not acct01.
            raise ValidationError(
                prop,
                f"segment {index + 1} has a space around its key or value; remove it (the value is sent as written)",
            )
        canonical = KNOWN_KEYS.get(key.lower())
        if canonical is None:
            raise ValidationError(prop, _unknown_key(key, index))
        if key.lower() in pairs:
            raise ValidationError(prop, f"{canonical} appears more than once")
        if not val:
            raise ValidationError(prop, f"{canonical} has an empty value")
        pairs[key.lower()] = val
    return pairs


def _unknown_key(key: str, index: int) -> str:
    # The key itself is never echoed: a pasted secret can look like "<base64>=".
    close = difflib.get_close_matches(key.lower(), list(KNOWN_KEYS), n=1, cutoff=0.8)
    hint = f" (did you mean {KNOWN_KEYS[close[0]]}?)" if close else ""
    return f"segment {index + 1} has an unknown key{hint}; keys allowed: {', '.join(KNOWN_KEYS.values())}"


def _check_base64_key(key: str, prop: str) -> int:
    """The key's length in bytes; it must be non-empty, valid base64."""
    try:
        decoded = base64.b64decode(key, validate=True)
    except (binascii.Error, ValueError):
        decoded = b""
    if not decoded:
        raise ValidationError(
            prop, "AccountKey is not valid base64; copy key1 or key2 from the storage account's Access keys"
        )
    return len(decoded)


def _blob_endpoint(pairs: dict[str, str], account: str | None, prop: str) -> str:
    protocol = pairs.get("defaultendpointsprotocol", "https").lower()
    if protocol not in ("http", "https"):
        raise ValidationError(prop, "DefaultEndpointsProtocol must be https (or http for a local emulator)")
    explicit = pairs.get("blobendpoint")
    if explicit is not None:
        parts = urlsplit(explicit)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError(
                prop, "BlobEndpoint must be an absolute URL such as https://<account>.blob.core.windows.net"
            )
        _require_https(parts.scheme, parts.hostname, prop, "BlobEndpoint")
        return explicit
    if account is None:
        raise ValidationError(prop, "a SharedAccessSignature connection string needs a BlobEndpoint")
    suffix = pairs.get("endpointsuffix", DEFAULT_ENDPOINT_SUFFIX)
    if "://" in suffix or "/" in suffix or not _HOSTNAME.fullmatch(suffix):
        raise ValidationError(
            prop, "EndpointSuffix must be a DNS suffix such as core.windows.net (no scheme or path)"
        )
    host = f"{account}.blob.{suffix}"
    _require_https(protocol, host, prop, "DefaultEndpointsProtocol")
    return f"{protocol}://{host}"


def _require_https(scheme: str, host: str, prop: str, what: str) -> None:
    if scheme == "https" or (scheme == "http" and is_loopback(host)):
        return
    raise ValidationError(prop, f"{what} must use https (plain http is only accepted for loopback emulators)")
