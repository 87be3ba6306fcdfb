"""The bad-input corpus: each case is resource inputs, the property at fault and the expected message.

``values`` are the resource's keyword arguments (JSON-able, so the CLI program can read them from a
file). ``cli`` says how the real CLI reports the case: ``"check"`` (the provider's check failure,
``property`` and ``message`` appear in the preview output) or ``"program"`` (the typed
``ServicePrincipalArgs`` rejects the value in the program itself; ``cli_message`` appears instead).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

#: A valid 64-byte key (88 base64 characters) and the inputs every case starts from.
KEY = base64.b64encode(bytes(range(1, 65))).decode()
#: Valid base64, but not the 64 bytes of an Azure storage account key.
SHORT_KEY = base64.b64encode(bytes(range(32))).decode()
LONG_KEY = base64.b64encode(bytes(range(96))).decode()
GOOD_CS = (
    f"DefaultEndpointsProtocol=https;AccountName=corpusacct;AccountKey={KEY};EndpointSuffix=core.windows.net"
)
#: A SAS expiry years ahead of the real clock the check reads (a fixed date would expire one day).
FUTURE_YEAR = datetime.now(UTC).year + 5
FUTURE_DAY = (datetime.now(UTC) + timedelta(days=5 * 365)).strftime("%Y-%m-%d")
FUTURE_SE = f"se={FUTURE_DAY}T00:00:00Z"
GOOD_SAS = (
    "https://corpusacct.blob.core.windows.net/?sv=2022-11-02&ss=b&srt=co&sp=rl"
    f"&{FUTURE_SE}&spr=https&sig=c29tZXNpZ25hdHVyZQ%3D%3D"
)
GOOD_SP: dict[str, Any] = {
    "service_endpoint": "https://corpusacct.blob.core.windows.net",
    "service_principal_id": "0b7f9c2e-6f0a-4a51-9a63-3f2d8f1e2a10",
    "service_principal_key": "sp~corpus-secret-value-0123456789",
    "tenant": "contoso.onmicrosoft.com",
    "account_kind": "StorageV2",
}
CS_FIX = "expected 'DefaultEndpointsProtocol=https;AccountName=<name>;AccountKey=<key>'"
ONE_OF = "set exactly one of connection_string, sas_uri, service_principal"


@dataclass(frozen=True)
class Case:
    """One bad input."""

    id: str
    values: dict[str, Any]
    property: str
    message: str
    cli: str = "check"
    cli_message: str = ""
    secret: str | None = field(default=None)
    """A secret inside the bad value that must never be echoed back."""


def _arabic(digits: str) -> str:
    """``digits`` in Arabic-Indic digits (U+0660-U+0669), which ``\\d`` would take for ASCII ones."""
    return "".join(chr(0x0660 + int(d)) for d in digits)


def cs(**changes: Any) -> dict[str, Any]:
    """Inputs of a connection-string connection with ``changes`` applied."""
    return {"connection_string": GOOD_CS, "container": "landing", **changes}


def sp(**fields: Any) -> dict[str, Any]:
    """Inputs of a service-principal connection whose fields are changed (None drops a field)."""
    principal = {k: v for k, v in {**GOOD_SP, **fields}.items() if v is not None}
    return {"service_principal": principal, "container": "landing"}


def _conn(s: str, case_id: str, message: str, **kw: Any) -> Case:
    return Case(case_id, {"connection_string": s}, "connection_string", message, **kw)


def _sas(s: Any, case_id: str, message: str, **kw: Any) -> Case:
    return Case(case_id, {"sas_uri": s}, "sas_uri", message, **kw)


CONTROL = "contains a control character or an invisible one"
EDGE_SPACE = "starts or ends with a space; remove it (the value is sent as written)"
SPACED_SEGMENT = "segment 2 has a space around its key or value; remove it (the value is sent as written)"
EXPIRED_SAS = "expired on 2020-01-01 00:00 UTC; generate a new SAS with an expiry (se) in the future"
BAD_SE = "has an expiry (se) that is not an ISO 8601 UTC time"
CANONICAL_ID = "must be a connection id in canonical form (lowercase UUID"
CONTAINER = "is not a valid container name"
ADOPT_ID = "4cb0c374-d3bb-4557-b139-5712880adc55"
SAS_CS_BASE = (
    "BlobEndpoint=https://corpusacct.blob.core.windows.net;SharedAccessSignature=sv=2022-11-02&sp=rl"
)
SANDBOX = "must be an existing sandbox's name: lowercase letters, digits and hyphens"

CASES: tuple[Case, ...] = (
    # --- malformed connection strings (13) and wrong key lengths (2)
    _conn("", "cs-empty", f"is empty; {CS_FIX}"),
    _conn("   ", "cs-blank", f"is empty; {CS_FIX}"),
    _conn("AccountName=corpusacct;AccountKey", "cs-no-equals", f"segment 2 is not Key=Value; {CS_FIX}"),
    _conn(
        f"AccountNme=corpusacct;AccountKey={KEY}",
        "cs-typo-key",
        "segment 1 has an unknown key (did you mean AccountName?)",
        secret=KEY,
    ),
    _conn(
        f"AccountName=a1b2c3;AccountName=a1b2c3;AccountKey={KEY}",
        "cs-duplicate-key",
        "AccountName appears more than once",
    ),
    _conn(f"AccountName=;AccountKey={KEY}", "cs-empty-value", "AccountName has an empty value"),
    _conn(
        f"AccountName=CorpusAcct;AccountKey={KEY}",
        "cs-uppercase-account",
        "AccountName must be 3-24 characters of lowercase letters and digits",
    ),
    _conn(
        f"AccountName={'a' * 25};AccountKey={KEY}",
        "cs-long-account",
        "AccountName must be 3-24 characters of lowercase letters and digits",
    ),
    _conn(
        "AccountName=corpusacct;EndpointSuffix=core.windows.net",
        "cs-no-key",
        f"has neither AccountKey nor SharedAccessSignature; {CS_FIX}",
    ),
    _conn(
        f"AccountKey={KEY}",
        "cs-key-without-account",
        f"AccountKey needs an AccountName; {CS_FIX}",
        secret=KEY,
    ),
    _conn(
        "AccountName=corpusacct;AccountKey=not*base64!", "cs-key-not-base64", "AccountKey is not valid base64"
    ),
    _conn(
        f"AccountName=corpusacct;AccountKey={KEY[:-1]}",
        "cs-key-truncated",
        "AccountKey is not valid base64",
        secret=KEY[:-1],
    ),
    _conn(
        f"AccountName=corpusacct;AccountKey={KEY}A",
        "cs-key-one-char-too-long",
        "AccountKey is not valid base64",
        secret=KEY,
    ),
    _conn(
        f"AccountName=corpusacct;AccountKey={SHORT_KEY}",
        "cs-key-32-bytes",
        "AccountKey decodes to 32 bytes, but Azure storage account keys are 64 bytes",
        secret=SHORT_KEY,
    ),
    _conn(
        f"AccountName=corpusacct;AccountKey={LONG_KEY}",
        "cs-key-96-bytes",
        "AccountKey decodes to 96 bytes, but Azure storage account keys are 64 bytes",
        secret=LONG_KEY,
    ),
    _conn(
        f"DefaultEndpointsProtocol=ftp;AccountName=corpusacct;AccountKey={KEY}",
        "cs-ftp",
        "DefaultEndpointsProtocol must be https (or http for a local emulator)",
    ),
    _conn(
        f"DefaultEndpointsProtocol=http;AccountName=corpusacct;AccountKey={KEY}",
        "cs-plain-http",
        "DefaultEndpointsProtocol must use https",
    ),
    _conn(
        f"AccountName=corpusacct;AccountKey={KEY};EndpointSuffix=https://core.windows.net",
        "cs-suffix-url",
        "EndpointSuffix must be a DNS suffix such as core.windows.net",
    ),
    _conn(
        f"AccountName=corpusacct;AccountKey={KEY};BlobEndpoint=corpusacct.blob",
        "cs-blob-endpoint-relative",
        "BlobEndpoint must be an absolute URL",
    ),
    _conn(
        f"AccountName=corpusacct;AccountKey={KEY};BlobEndpoint=http://corpusacct.blob.core.windows.net",
        "cs-blob-endpoint-http",
        "BlobEndpoint must use https",
    ),
    _conn(
        "SharedAccessSignature=sv=2022-11-02&sig=abc",
        "cs-sas-no-endpoint",
        "a SharedAccessSignature connection string needs a BlobEndpoint",
    ),
    _conn(
        f"AccountName=corpusacct;AccountKey={KEY}\r\nX-Injected: 1", "cs-crlf-injection", CONTROL, secret=KEY
    ),
    _conn(
        f"AccountName=ünïcødé;AccountKey={KEY}",
        "cs-unicode-account",
        "AccountName must be 3-24 characters of lowercase letters and digits",
    ),
    _conn("x" * 100_000, "cs-100k-chars", f"segment 1 is not Key=Value; {CS_FIX}"),
    Case("cs-wrong-type", {"connection_string": 12345}, "connection_string", "must be a string"),
    # --- malformed SAS URIs (7)
    _sas("not a url", "sas-not-url", "must be an absolute URL like https://<account>.blob.core.windows.net"),
    _sas(
        GOOD_SAS.replace("https://", "http://"),
        "sas-plain-http",
        "the SAS URI must use https",
        secret="c29tZXNpZ25hdHVyZQ",
    ),
    _sas(GOOD_SAS.split("&sig=")[0], "sas-no-sig", "has no 'sig' query parameter"),
    _sas(GOOD_SAS.replace(f"&{FUTURE_SE}", ""), "sas-no-expiry", "has no 'se' query parameter"),
    _sas(
        "https://corpusacct.blob.core.windows.net/?sv=2022-11-02",
        "sas-no-sig-no-se",
        "has no 'sig' and 'se' query parameter",
    ),
    _sas(GOOD_SAS + "\nX-Injected: 1", "sas-newline", CONTROL, secret="c29tZXNpZ25hdHVyZQ"),
    _sas(["https://corpusacct.blob.core.windows.net/?se=1&sig=2"], "sas-wrong-type", "must be a string"),
    # --- names, sandbox names, descriptions: header injection, unicode, length, types (16)
    Case("name-crlf-header", cs(name="landing\r\nx-api-key: evil"), "name", CONTROL),
    Case("name-nul", cs(name="land\x00ing"), "name", CONTROL),
    Case("name-c1-control", cs(name="land\x85ing"), "name", CONTROL),
    Case("name-blank", cs(name="   "), "name", "must not be empty or blank"),
    Case("name-257-chars", cs(name="n" * 257), "name", "is 257 characters long; the limit is 256"),
    Case("name-wrong-type", cs(name=42), "name", "must be a string"),
    Case(
        "sandbox-crlf-header",
        cs(sandbox_name="prod\r\nx-gw-ims-org-id: OTHER@AdobeOrg"),
        "sandbox_name",
        SANDBOX,
    ),
    Case("sandbox-uppercase", cs(sandbox_name="Prod"), "sandbox_name", SANDBOX),
    Case("sandbox-unicode", cs(sandbox_name="prød"), "sandbox_name", SANDBOX),
    Case("sandbox-zero-width", cs(sandbox_name="pro\u200bd"), "sandbox_name", SANDBOX),
    Case("sandbox-space", cs(sandbox_name="prod dev"), "sandbox_name", SANDBOX),
    Case("sandbox-300-chars", cs(sandbox_name="s" * 300), "sandbox_name", SANDBOX),
    Case("sandbox-wrong-type", cs(sandbox_name=["prod"]), "sandbox_name", SANDBOX),
    Case("description-newline", cs(description="line one\nline two"), "description", CONTROL),
    Case(
        "description-1025-chars",
        cs(description="d" * 1025),
        "description",
        "is 1025 characters long; the limit is 1024",
    ),
    Case("description-wrong-type", cs(description={"text": "x"}), "description", "must be a string"),
    # --- container, folder, version, flags, ids (9)
    Case("container-uppercase", cs(container="Landing"), "container", "is not a valid container name"),
    Case("container-double-hyphen", cs(container="land--ing"), "container", "is not a valid container name"),
    Case("container-64-chars", cs(container="c" * 64), "container", "is not a valid container name"),
    Case("container-wrong-type", cs(container=7), "container", "must be a string"),
    Case(
        "folder-backslash", cs(folder_path="in\\coming"), "folder_path", "use '/' as the separator, not '\\'"
    ),
    Case("folder-newline", cs(folder_path="/in\ncoming"), "folder_path", CONTROL),
    Case(
        "spec-version-v1",
        cs(connection_spec_version="v1"),
        "connection_spec_version",
        'must be a version string such as "1.0"',
    ),
    Case("verify-string", cs(verify="yes"), "verify", "must be true or false"),
    Case(
        "adopt-id-not-uuid",
        cs(adopt_existing_id="conn-123"),
        "adopt_existing_id",
        CANONICAL_ID,
    ),
    # --- auth modes: none, two, three; service principal fields (10)
    Case("auth-none", {"container": "landing"}, "connection_string", f"{ONE_OF}; none is set"),
    Case(
        "auth-two",
        {"connection_string": GOOD_CS, "sas_uri": GOOD_SAS},
        "sas_uri",
        f"{ONE_OF}; found connection_string and sas_uri",
    ),
    Case(
        "auth-three",
        {"connection_string": GOOD_CS, "sas_uri": GOOD_SAS, "service_principal": GOOD_SP},
        "sas_uri",
        f"{ONE_OF}; found connection_string and sas_uri and service_principal",
    ),
    Case(
        "sp-unknown-field",
        sp(client_secret="x"),
        "service_principal.client_secret",
        "unknown field; allowed: service_endpoint",
        cli="program",
        cli_message="unexpected keyword argument 'client_secret'",
    ),
    Case(
        "sp-missing-tenant",
        sp(tenant=None),
        "service_principal.tenant",
        "is required for service principal authentication",
        cli="program",
        cli_message="missing 1 required positional argument: 'tenant'",
    ),
    Case(
        "sp-not-an-object",
        {"service_principal": "appid:secret"},
        "service_principal",
        "must be an object with service_endpoint",
        cli="program",
        cli_message="argument after ** must be a mapping",
    ),
    Case(
        "sp-endpoint-http",
        sp(service_endpoint="http://corpusacct.blob.core.windows.net"),
        "service_principal.service_endpoint",
        "the URL must use https",
    ),
    Case(
        "sp-key-blank",
        sp(service_principal_key="   "),
        "service_principal.service_principal_key",
        "must not be empty: use the application's client secret value",
    ),
    Case(
        "sp-account-kind",
        sp(account_kind="Premium"),
        "service_principal.account_kind",
        "must be one of Storage, StorageV2, BlobStorage, BlockBlobStorage",
    ),
    Case("sp-tenant-crlf", sp(tenant="contoso\r\nx-api-key: evil"), "service_principal.tenant", CONTROL),
    # --- issue 11 D9: "$" matched before a final newline, "\\d" matched any Unicode digit (8)
    Case("container-trailing-newline", cs(container="landing\n"), "container", CONTAINER),
    Case("container-trailing-space", cs(container="landing "), "container", CONTAINER),
    Case("container-leading-hyphen", cs(container="-landing"), "container", CONTAINER),
    Case("sandbox-trailing-newline", cs(sandbox_name="dev\n"), "sandbox_name", SANDBOX),
    Case("sandbox-arabic-digit", cs(sandbox_name="dev\u0661"), "sandbox_name", SANDBOX),
    Case(
        "spec-version-trailing-newline", cs(connection_spec_version="1.0\n"), "connection_spec_version", "1.0"
    ),
    Case(
        "spec-version-arabic-digits",
        cs(connection_spec_version="\u0661.\u0660"),
        "connection_spec_version",
        "1.0",
    ),
    Case(
        "spec-version-fullwidth-digits",
        cs(connection_spec_version="\uff11.\uff10"),
        "connection_spec_version",
        "1.0",
    ),
    # --- D10: an expired or unreadable SAS expiry, in a SAS URI or a connection string (10)
    _sas(GOOD_SAS.replace(FUTURE_SE, "se=2020-01-01T00:00:00Z"), "sas-expired", EXPIRED_SAS),
    _sas(GOOD_SAS.replace(FUTURE_SE, "se=tomorrow"), "sas-se-words", BAD_SE),
    _sas(GOOD_SAS.replace(FUTURE_SE, f"se={FUTURE_YEAR}-13-01"), "sas-se-month-13", BAD_SE),
    _sas(
        GOOD_SAS.replace(f"se={FUTURE_DAY[:4]}", f"se={_arabic(FUTURE_DAY[:4])}"),
        "sas-se-arabic-digits",
        BAD_SE,
    ),
    _sas(GOOD_SAS.replace(FUTURE_SE, "se="), "sas-se-empty", "has no 'se' query parameter"),
    _conn(f"{SAS_CS_BASE}&se=2020-01-01&sig=c2ln", "cs-sas-expired", EXPIRED_SAS),
    _conn(f"{SAS_CS_BASE}&se=2020-01-01T00:00Z&sig=c2ln", "cs-sas-expired-minutes", EXPIRED_SAS),
    _conn(f"{SAS_CS_BASE}&se=soon&sig=c2ln", "cs-sas-se-words", BAD_SE),
    _conn(f"{SAS_CS_BASE}&sig=c2ln", "cs-sas-no-se", "SharedAccessSignature has no 'se' query parameter"),
    _conn(
        f"{SAS_CS_BASE}&se={FUTURE_DAY}",
        "cs-sas-no-sig",
        "SharedAccessSignature has no 'sig' query parameter",
    ),
    # --- Also: line/paragraph separators, bidi controls and zero-width characters in names (11)
    Case("name-line-separator", cs(name="landing\u2028prod"), "name", CONTROL),
    Case("name-paragraph-separator", cs(name="landing\u2029prod"), "name", CONTROL),
    Case("name-bidi-override", cs(name="landing\u202edorp"), "name", CONTROL),
    Case("name-bidi-isolate", cs(name="landing\u2066prod"), "name", CONTROL),
    Case("name-zero-width-space", cs(name="land\u200bing"), "name", CONTROL),
    Case("name-zero-width-joiner", cs(name="land\u200ding"), "name", CONTROL),
    Case("name-byte-order-mark", cs(name="\ufefflanding"), "name", CONTROL),
    Case("description-bidi-override", cs(description="owner: \u202eeciffo"), "description", CONTROL),
    Case("description-line-separator", cs(description="feeds\u2028orders"), "description", CONTROL),
    Case("folder-zero-width", cs(folder_path="/in\u200bcoming"), "folder_path", CONTROL),
    Case("sp-tenant-bidi", sp(tenant="contoso\u202e.com"), "service_principal.tenant", CONTROL),
    # --- Also: adopt_existing_id only in canonical form (5)
    Case("adopt-id-braces", cs(adopt_existing_id=f"{{{ADOPT_ID}}}"), "adopt_existing_id", CANONICAL_ID),
    Case("adopt-id-urn", cs(adopt_existing_id=f"urn:uuid:{ADOPT_ID}"), "adopt_existing_id", CANONICAL_ID),
    Case("adopt-id-uppercase", cs(adopt_existing_id=ADOPT_ID.upper()), "adopt_existing_id", CANONICAL_ID),
    Case(
        "adopt-id-no-hyphens",
        cs(adopt_existing_id=ADOPT_ID.replace("-", "")),
        "adopt_existing_id",
        CANONICAL_ID,
    ),
    Case(
        "adopt-id-trailing-newline", cs(adopt_existing_id=f"{ADOPT_ID}\n"), "adopt_existing_id", CANONICAL_ID
    ),
    # --- Also: the value validated is the value sent (nothing stripped before the check only) (12)
    _conn(GOOD_CS + "\n", "cs-trailing-newline", CONTROL, secret=KEY),
    _conn(
        GOOD_CS.replace(";AccountName", "; AccountName"), "cs-space-around-key", SPACED_SEGMENT, secret=KEY
    ),
    _conn(
        GOOD_CS.replace("AccountName=", "AccountName ="), "cs-space-before-equals", SPACED_SEGMENT, secret=KEY
    ),
    _conn(GOOD_CS.replace("=corpusacct;", "=corpusacct ;"), "cs-space-in-value", SPACED_SEGMENT, secret=KEY),
    _conn(
        GOOD_CS.replace(";AccountName", "; ;AccountName"),
        "cs-blank-segment",
        f"segment 2 is not Key=Value; {CS_FIX}",
        secret=KEY,
    ),
    _conn(" " + GOOD_CS, "cs-leading-space", EDGE_SPACE, secret=KEY),
    _sas(GOOD_SAS + "\n", "sas-trailing-newline", CONTROL, secret="c29tZXNpZ25hdHVyZQ"),
    _sas(GOOD_SAS + " ", "sas-trailing-space", EDGE_SPACE, secret="c29tZXNpZ25hdHVyZQ"),
    _sas("\t" + GOOD_SAS, "sas-leading-tab", CONTROL, secret="c29tZXNpZ25hdHVyZQ"),
    Case(
        "sp-endpoint-trailing-space",
        sp(service_endpoint="https://corpusacct.blob.core.windows.net "),
        "service_principal.service_endpoint",
        EDGE_SPACE,
    ),
    Case(
        "sp-key-trailing-newline",
        sp(service_principal_key="sp~corpus-secret-value-0123456789\n"),
        "service_principal.service_principal_key",
        CONTROL,
        secret="sp~corpus-secret-value-0123456789",
    ),
    Case(
        "sp-key-leading-space",
        sp(service_principal_key=" sp~corpus-secret-value-0123456789"),
        "service_principal.service_principal_key",
        EDGE_SPACE,
        secret="sp~corpus-secret-value-0123456789",
    ),
)
