"""Provider configuration: the ``aep:*`` stack config keys, environment fallbacks and every default."""

from __future__ import annotations

import dataclasses
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol
from urllib.parse import urlsplit

from pulumi_aep.errors import ConfigurationError

#: Adobe's production hosts (Flow Service behind the adobe.io gateway, and IMS in NA1).
DEFAULT_PLATFORM_URL: Final = "https://platform.adobe.io"
DEFAULT_IMS_URL: Final = "https://ims-na1.adobelogin.com"
#: Adobe's documented scope string for AEP OAuth server-to-server credentials.
DEFAULT_SCOPES: Final = "openid,session,AdobeID,read_organizations,additional_info.projectedProductContext"
DEFAULT_SANDBOX: Final = "prod"
#: Config namespace of this provider (``pulumi config set aep:clientId ...``).
NAMESPACE: Final = "aep"

#: Pulumi config key (without namespace) -> environment variable that backs it.
ENV_FALLBACKS: Final[Mapping[str, str]] = {
    "clientId": "AEP_CLIENT_ID",
    "clientSecret": "AEP_CLIENT_SECRET",
    "orgId": "AEP_ORG_ID",
    "sandboxName": "AEP_SANDBOX_NAME",
    "accessToken": "AEP_ACCESS_TOKEN",
    "platformUrl": "AEP_PLATFORM_URL",
    "imsUrl": "AEP_IMS_URL",
    "scopes": "AEP_SCOPES",
}


class _ConfigLike(Protocol):
    def get(self, key: str) -> Any: ...


@dataclass(frozen=True)
class Timeouts:
    """Per-request timeouts in seconds (the engine's ``customTimeouts`` never reach a dynamic provider).

    How the numbers were chosen: ``connect`` 10 s covers a TLS handshake to a distant region with
    headroom, while failing fast on a black-holed host. ``read`` 65 s is the adobe.io gateway's own
    60 s request timeout plus a margin, so a slow Flow Service call surfaces as the gateway's 504
    (retryable for reads) instead of our timeout cutting the answer off.
    """

    connect: float = 10.0
    read: float = 65.0

    def as_requests(self) -> tuple[float, float]:
        """Return the ``(connect, read)`` tuple that ``requests`` expects."""
        return (self.connect, self.read)


@dataclass(frozen=True)
class RetrySettings:
    """Retry budget for idempotent calls (429, 502, 503, 504 and connection errors).

    Four retries with a 0.5 s factor wait about 0.5, 1, 2, 4 s (+ up to 0.5 s jitter each), i.e.
    under 10 s, well inside a deployment's patience; ``Retry-After`` is honoured up to 60 s; one
    backoff never exceeds ``backoff_max``.

    ``reconcile`` (``aep:reconcileSeconds``) bounds how long a create whose outcome is unknown is
    looked for (lists spaced by the same backoff) before it is sent again: 15 s covers a write the
    platform applies a few seconds after the gateway gave up (504) or our read timeout fired.
    """

    total: int = 4
    backoff_factor: float = 0.5
    backoff_max: float = 20.0
    jitter: float = 0.5
    retry_after_max: int = 60
    reconcile: float = 15.0


@dataclass(frozen=True)
class ProviderConfig:
    """Everything the provider needs to reach Adobe; secrets are hidden from ``repr``."""

    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    org_id: str | None = None
    sandbox_name: str = DEFAULT_SANDBOX
    access_token: str | None = field(default=None, repr=False)
    platform_url: str = DEFAULT_PLATFORM_URL
    ims_url: str = DEFAULT_IMS_URL
    scopes: str = DEFAULT_SCOPES
    timeouts: Timeouts = field(default_factory=Timeouts)
    retries: RetrySettings = field(default_factory=RetrySettings)

    def __post_init__(self) -> None:
        object.__setattr__(self, "platform_url", _check_url("aep:platformUrl", self.platform_url))
        object.__setattr__(self, "ims_url", _check_url("aep:imsUrl", self.ims_url))

    @classmethod
    def from_pulumi_config(
        cls, config: _ConfigLike, environ: Mapping[str, str] | None = None
    ) -> ProviderConfig:
        """Build from a ``pulumi.dynamic.Config`` (fully-qualified ``aep:*`` keys), then the environment.

        Raises:
            ConfigurationError: a URL is not https (outside loopback) or a number is malformed.
        """
        env = os.environ if environ is None else environ

        def get(key: str) -> str | None:
            value = config.get(f"{NAMESPACE}:{key}")
            if value is None or value == "":
                fallback = ENV_FALLBACKS.get(key)
                value = env.get(fallback) if fallback else None
            return None if value is None or value == "" else str(value)

        base = cls()
        return cls(
            client_id=get("clientId"),
            client_secret=get("clientSecret"),
            org_id=get("orgId"),
            sandbox_name=get("sandboxName") or base.sandbox_name,
            access_token=get("accessToken"),
            platform_url=get("platformUrl") or base.platform_url,
            ims_url=get("imsUrl") or base.ims_url,
            scopes=get("scopes") or base.scopes,
            timeouts=Timeouts(
                connect=_number("aep:connectTimeout", get("connectTimeout"), base.timeouts.connect),
                read=_number("aep:readTimeout", get("readTimeout"), base.timeouts.read),
            ),
            retries=dataclasses.replace(
                base.retries,
                total=int(_number("aep:maxRetries", get("maxRetries"), base.retries.total)),
                reconcile=_number("aep:reconcileSeconds", get("reconcileSeconds"), base.retries.reconcile),
            ),
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ProviderConfig:
        """Build from ``AEP_*`` environment variables only (used when ``configure`` was never called)."""
        return cls.from_pulumi_config(_EmptyConfig(), environ)

    def require_credentials(self) -> None:
        """Raise unless there is a static token or a full client-credentials triple plus the org.

        Raises:
            ConfigurationError: naming the missing config keys and their environment variables.
        """
        missing = [k for k, v in (("clientId", self.client_id), ("orgId", self.org_id)) if not v]
        if not self.access_token and not self.client_secret:
            missing.append("clientSecret")
        if missing:
            keys = ", ".join(f"aep:{k} (or {ENV_FALLBACKS[k]})" for k in missing)
            raise ConfigurationError(
                f"missing provider configuration: {keys}; set it with "
                f"`pulumi config set {NAMESPACE}:<key> <value> [--secret]` or the environment variable"
            )


class _EmptyConfig:
    def get(self, key: str) -> Any:
        return None


_LOOPBACK_NAMES: Final = frozenset({"localhost", "localhost.localdomain"})


def is_loopback(host: str | None) -> bool:
    """True for ``localhost`` and loopback IP literals (127.0.0.0/8, ::1)."""
    if not host:
        return False
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_url(key: str, url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigurationError(f"{key} must be an absolute https URL such as {DEFAULT_PLATFORM_URL}")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ConfigurationError(
            f"{key} uses plain http for the non-loopback host {parts.hostname!r}; use https "
            "(plain http is only allowed for localhost/127.0.0.1, e.g. the offline emulator)"
        )
    return url.strip().rstrip("/")


def _number(key: str, raw: str | None, default: float) -> float:
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigurationError(f"{key} must be a number, got {raw!r}") from None
    if value < 0:
        raise ConfigurationError(f"{key} must not be negative, got {raw!r}")
    return value
