"""Provider configuration: the ``aep:*`` stack config keys, environment fallbacks and every default."""

from __future__ import annotations

import dataclasses
import ipaddress
import math
import os
import re
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
#: The most API calls one provider process makes at once. The engine bounds the operations it sends a
#: provider by ``pulumi up --parallel`` (default 4 x cores) and never tells the provider that number, so the
#: plugin's gRPC pool (``pulumi_aep.plugin.cli``) and the HTTP connection pool (``transport.build_session``)
#: are sized far above any ``--parallel`` used against one org's API: the engine's is then the only limit.
#: Both pools grow as calls arrive (threads start lazily, connections open on demand), so an unused bound
#: costs nothing.
MAX_CALLS_IN_FLIGHT: Final = 1024
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


@dataclass(frozen=True)
class Bounds:
    """The accepted range of a numeric config key: ``low < value <= high`` (or ``low <= value`` when
    ``low_inclusive``); ``whole`` numbers only for counts."""

    low: float
    high: float
    low_inclusive: bool = False
    whole: bool = False

    def describe(self) -> str:
        """The range in words, for messages."""
        kind = "a whole number" if self.whole else "a number of seconds"
        low = f"at least {self.low:g}" if self.low_inclusive else f"more than {self.low:g}"
        return f"{kind}, {low}" + (f" and at most {self.high:g}" if math.isfinite(self.high) else "")

    def admits(self, value: float) -> bool:
        """Whether ``value`` (finite) lies in the range."""
        above = value >= self.low if self.low_inclusive else value > self.low
        return above and value <= self.high and (not self.whole or value.is_integer())


#: The bounds of each numeric ``aep:*`` key. Timeouts: 0 would make every request fail at once, and
#: past 10 minutes a hung call looks like a hung deployment (the gateway itself gives up after 60 s).
#: Retries: 10 retries of the capped backoff already wait minutes; more is a hang, not resilience.
NUMBER_BOUNDS: Final[Mapping[str, Bounds]] = {
    "connectTimeout": Bounds(0, 120),
    "readTimeout": Bounds(0, 600),
    "maxRetries": Bounds(0, 10, low_inclusive=True, whole=True),
    # How long a lost create is looked for before the POST is sent again (D4): up to 10 minutes.
    "reconcileSeconds": Bounds(0, 600, low_inclusive=True),
}

#: For a numeric key without its own entry: any finite number that is not negative.
_ANY_FINITE: Final = Bounds(0, math.inf, low_inclusive=True)


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
            ConfigurationError: a URL is not https (outside loopback), a number is malformed or out
                of :data:`NUMBER_BOUNDS`, or a value sent as a header holds a control character.
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
            client_id=header_value("clientId", get("clientId")),
            client_secret=header_value("clientSecret", get("clientSecret")),
            org_id=header_value("orgId", get("orgId")),
            sandbox_name=header_value("sandboxName", get("sandboxName")) or base.sandbox_name,
            access_token=header_value("accessToken", get("accessToken")),
            platform_url=get("platformUrl") or base.platform_url,
            ims_url=get("imsUrl") or base.ims_url,
            scopes=get("scopes") or base.scopes,
            timeouts=Timeouts(
                connect=_number("connectTimeout", get("connectTimeout"), base.timeouts.connect),
                read=_number("readTimeout", get("readTimeout"), base.timeouts.read),
            ),
            retries=dataclasses.replace(
                base.retries,
                total=int(_number("maxRetries", get("maxRetries"), base.retries.total)),
                reconcile=_number("reconcileSeconds", get("reconcileSeconds"), base.retries.reconcile),
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


def is_loopback(host: str | None) -> bool:
    """True for ``localhost`` and loopback IP literals (127.0.0.0/8, ``::1``, brackets allowed).

    The one loopback rule of the project (the policy pack imports it): plain http is tolerated only
    for these. Other names (``foo.localhost``, ``localhost.localdomain``) are resolved by DNS or a
    hosts file this code cannot see, so they count as remote.
    """
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


#: Anything but printable ASCII: these values travel in HTTP headers (``x-gw-ims-org-id``, ...),
#: where a trailing newline (a common copy-paste accident) would otherwise fail as a network error.
_NOT_HEADER_SAFE: Final = re.compile(r"[^\x20-\x7e]")


def header_value(key: str, value: str | None) -> str | None:
    """``value`` of the config key ``key`` (or its ``AEP_*`` variable) if it can travel in a header.

    The one check of every credential and id: the configured ones and the rotated ones read from the
    environment (``pulumi_aep.auth``). The message names the key, never the value.

    Raises:
        ConfigurationError: whitespace at an end, a control character or a non-ASCII character.
    """
    if value is not None and (_NOT_HEADER_SAFE.search(value) or value != value.strip()):
        raise ConfigurationError(
            f"{NAMESPACE}:{key} (or {ENV_FALLBACKS[key]}) contains whitespace at an end, a control "
            "character (newline, tab, ...) or a non-ASCII character; set it again without them"
        )
    return value


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
    key = key.removeprefix(f"{NAMESPACE}:")
    bounds = NUMBER_BOUNDS.get(key, _ANY_FINITE)
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not bounds.admits(value):
        raise ConfigurationError(
            f"{NAMESPACE}:{key} must be {bounds.describe()}, got {raw!r}; set it with "
            f"`pulumi config set {NAMESPACE}:{key} <value>` or remove it for the default ({default:g})"
        )
    return value
