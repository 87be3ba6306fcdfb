"""Checks on ``pulumi_aep.AzureBlobConnection`` inputs; the messages they return never echo a secret."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from fnmatch import fnmatchcase
from typing import Any, Final
from urllib.parse import urlsplit

from aep_policies.azure import (
    ENDPOINT_KEYS,
    InsecureHostRules,
    canonical_key,
    parse_connection_string,
    parse_sas_time,
    sas_params,
    url_scheme_and_host,
)
from aep_policies.settings import (
    AllowedSandboxSettings,
    DescriptionSettings,
    HttpsSettings,
    NamingSettings,
    ProductionSettings,
    SasSettings,
)
from aep_policies.values import collect, get, get_str
from pulumi_aep.config import DEFAULT_SANDBOX

#: What the provider uses when neither ``sandbox_name`` nor ``aep:sandboxName``/``AEP_SANDBOX_NAME`` is set.
PROVIDER_DEFAULT_SANDBOX: Final = DEFAULT_SANDBOX

StackSandbox = Callable[[], "str | None"]


# --- https --------------------------------------------------------------------------------------------


def _endpoint_violation(label: str, url: str, rules: InsecureHostRules) -> list[str]:
    scheme, host = url_scheme_and_host(url)
    if scheme == "https" or (scheme == "http" and rules.exempt(host)):
        return []
    shown = f"'{scheme}://'" if scheme else "no scheme"
    return [
        f"{label} uses {shown} instead of 'https://'. Use the account's https endpoint "
        "(https://<account>.blob.core.windows.net/...); plain http is only allowed for loopback "
        "and hosts listed in allowedInsecureHosts."
    ]


def _connection_string_https(value: str, settings: HttpsSettings) -> list[str]:
    parts = parse_connection_string(value)
    messages: list[str] = []
    dev_storage = parts.get("usedevelopmentstorage", "").lower() == "true"
    if dev_storage and not settings.allow_development_storage:
        messages.append(
            "connection_string uses UseDevelopmentStorage=true (the local storage emulator over http). "
            "Use an https connection string for a real storage account, or set allowDevelopmentStorage "
            "to true for development stacks."
        )
    for key in ENDPOINT_KEYS:
        if key in parts:
            messages += _endpoint_violation(
                f"connection_string {canonical_key(key)}", parts[key], settings.host_rules
            )
    protocol = parts.get("defaultendpointsprotocol", "https").lower()
    # AEP only talks to the blob endpoint: DefaultEndpointsProtocol matters when that endpoint is derived
    # from AccountName + EndpointSuffix, not when an explicit BlobEndpoint (e.g. Azurite's) is given.
    if protocol != "https" and "blobendpoint" not in parts and not dev_storage:
        messages.append(
            f"connection_string sets DefaultEndpointsProtocol={protocol}, so the blob endpoint is reached "
            "without TLS. Set DefaultEndpointsProtocol=https."
        )
    return messages


def https_violations(props: Mapping[str, Any], settings: HttpsSettings) -> list[str]:
    """``connection_string``, ``sas_uri`` and ``service_principal.service_endpoint`` must be https."""

    def connection_string() -> list[str]:
        value = get_str(props, "connection_string")
        return _connection_string_https(value, settings) if value else []

    def sas_uri() -> list[str]:
        value = get_str(props, "sas_uri")
        return _endpoint_violation("sas_uri", value, settings.host_rules) if value else []

    def service_endpoint() -> list[str]:
        principal = get(props, "service_principal")
        if not isinstance(principal, Mapping):
            return []
        value = get_str(principal, "service_endpoint", ["service_principal"])
        label = "service_principal.service_endpoint"
        return _endpoint_violation(label, value, settings.host_rules) if value else []

    return collect(connection_string, sas_uri, service_endpoint)


# --- SAS ----------------------------------------------------------------------------------------------


def _permissions_text(allowed: str) -> str:
    return "read (r) and list (l)" if sorted(allowed) == ["l", "r"] else f"'{allowed}'"


def _sas_violations(label: str, token: str, settings: SasSettings, now: datetime) -> list[str]:
    params = sas_params(token)
    allowed = settings.allowed_permissions
    fix = (
        f"Generate a new SAS with only {_permissions_text(allowed)} permissions (sp={allowed}) that expires "
        f"within {settings.max_expiry_days} days, e.g. `az storage container generate-sas --permissions "
        f"{allowed} --expiry <date> --https-only`."
    )
    permissions = params.get("sp")
    if permissions is None:
        why = "uses a stored access policy (si)" if "si" in params else "has no permissions (sp) parameter"
        return [f"{label} {why}, so its permissions and expiry cannot be checked. {fix}"]
    messages: list[str] = []
    extra = "".join(sorted(set(permissions) - set(allowed)))
    if extra:
        messages.append(f"{label} grants permissions '{extra}' beyond {_permissions_text(allowed)}. {fix}")
    expiry_text = params.get("se")
    expiry = parse_sas_time(expiry_text) if expiry_text else None
    if expiry_text is None:
        messages.append(f"{label} has no expiry (se) parameter. {fix}")
    elif expiry is None:
        messages.append(f"{label} has an expiry (se) that is not an ISO 8601 time. {fix}")
    elif expiry <= now:
        messages.append(f"{label} expired on {expiry:%Y-%m-%d}. {fix}")
    elif expiry > now + timedelta(days=settings.max_expiry_days):
        days = (expiry - now).days
        messages.append(
            f"{label} expires on {expiry:%Y-%m-%d}, {days} days from now, later than the "
            f"{settings.max_expiry_days} days allowed (maxExpiryDays). {fix}"
        )
    return messages


def sas_violations(props: Mapping[str, Any], settings: SasSettings, now: datetime) -> list[str]:
    """Each SAS (``sas_uri``, or a connection string's ``SharedAccessSignature``) is read/list and brief."""

    def sas_uri() -> list[str]:
        value = get_str(props, "sas_uri")
        if not value:
            return []
        return _sas_violations("sas_uri", urlsplit(value.strip()).query, settings, now)

    def connection_string() -> list[str]:
        value = get_str(props, "connection_string")
        token = parse_connection_string(value).get("sharedaccesssignature") if value else None
        if not token:
            return []
        return _sas_violations("connection_string SharedAccessSignature", token, settings, now)

    return collect(sas_uri, connection_string)


# --- sandboxes ----------------------------------------------------------------------------------------


def stack_sandbox_name() -> str | None:
    """``aep:sandboxName`` from the stack config the CLI hands the policy pack, else ``AEP_SANDBOX_NAME``.

    Mirrors the provider's own fallback chain so an absent ``sandbox_name`` resolves to the sandbox the
    provider would really use.
    """
    try:
        import pulumi.runtime  # only needed here

        value = pulumi.runtime.get_config("aep:sandboxName")
    except Exception:  # noqa: BLE001 - config is best effort; the policy has its own default
        value = None
    if isinstance(value, str) and value:
        return value
    return os.environ.get("AEP_SANDBOX_NAME") or None


def resolve_sandbox(
    props: Mapping[str, Any], default_sandbox: str | None, stack_sandbox: StackSandbox
) -> tuple[str, str]:
    """The sandbox a connection targets and where that came from (for messages).

    Order: the ``sandbox_name`` input; the stack's ``aep:sandboxName`` (or ``AEP_SANDBOX_NAME``) as the
    provider would use it; the policy's ``defaultSandbox``; the provider's default, ``prod``.

    Raises:
        UnknownValueError: ``sandbox_name`` is set but not known during preview.
    """
    explicit = get_str(props, "sandbox_name")
    if explicit:
        return explicit, "sandbox_name"
    from_stack = stack_sandbox()
    if from_stack:
        return from_stack, "aep:sandboxName"
    if default_sandbox:
        return default_sandbox, "the policy's defaultSandbox"
    return PROVIDER_DEFAULT_SANDBOX, "the provider's default"


def allowed_sandbox_violations(
    props: Mapping[str, Any], settings: AllowedSandboxSettings, stack_sandbox: StackSandbox
) -> list[str]:
    """The target sandbox matches one of ``allowedSandboxes`` (shell-style patterns)."""
    sandbox, source = resolve_sandbox(props, settings.default_sandbox, stack_sandbox)
    if any(fnmatchcase(sandbox, pattern) for pattern in settings.allowed_sandboxes):
        return []
    allowed = ", ".join(settings.allowed_sandboxes) or "(none)"
    return [
        f"Sandbox '{sandbox}' (from {source}) is not an allowed sandbox ({allowed}). Set sandbox_name "
        "to an allowed sandbox, or add it to allowedSandboxes in the policy pack config."
    ]


def production_protect_violations(
    props: Mapping[str, Any],
    protected: bool,
    settings: ProductionSettings,
    stack_sandbox: StackSandbox,
    how_to_protect: str,
) -> list[str]:
    """Connections in a production sandbox carry ``protect=True``; ``how_to_protect`` says how, in the
    syntax of the resource's face (``faces.how_to_protect``)."""
    if protected:
        return []
    sandbox, source = resolve_sandbox(props, settings.default_sandbox, stack_sandbox)
    if not any(fnmatchcase(sandbox, pattern) for pattern in settings.production_sandboxes):
        return []
    return [
        f"Sandbox '{sandbox}' (from {source}) is a production sandbox, and this connection is not "
        f"protected. {how_to_protect} so it cannot be deleted by accident."
    ]


# --- naming and description -----------------------------------------------------------------------------


def naming_violations(props: Mapping[str, Any], settings: NamingSettings) -> list[str]:
    """The AEP connection ``name`` matches the configured pattern."""
    name = get_str(props, "name")
    if name is None:
        return []
    pattern = settings.compiled()
    if pattern is None:
        return [
            "The configured pattern is not a valid regular expression. Fix `pattern` in the policy pack "
            "config for aep-connection-naming."
        ]
    if pattern.search(name):
        return []
    return [
        f"Connection name '{name}' does not match the pattern {settings.pattern}. Rename it (e.g. "
        "'acme-orders-blob') or change `pattern` in the policy pack config."
    ]


def description_violations(props: Mapping[str, Any], settings: DescriptionSettings) -> list[str]:
    """A ``description`` with at least ``minLength`` non-blank characters."""
    description = get_str(props, "description")
    if description is not None and len(description.strip()) >= settings.min_length:
        return []
    need = (
        "a description"
        if settings.min_length <= 1
        else f"a description of at least {settings.min_length} characters"
    )
    return [
        f"The connection has no usable description. Set `description` to {need} saying what the "
        "connection feeds and who owns it, so it can be identified in the AEP UI."
    ]
