"""Access tokens: IMS OAuth server-to-server (client credentials) with a thread-safe cache, or static."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Final, Protocol

import requests

from pulumi_aep.config import ProviderConfig
from pulumi_aep.errors import AuthenticationError
from pulumi_aep.transport import error_from_response, transport_error

#: IMS v3 client-credentials endpoint path.
IMS_TOKEN_PATH: Final = "/ims/token/v3"  # noqa: S105 - a URL path, not a password
#: Refresh this long before expiry (Adobe's own wrapper uses ~500 s on 24 h tokens).
REFRESH_MARGIN_S: Final = 300.0


class TokenSource(Protocol):
    """Gives a bearer token; ``invalidate`` drops a token the API rejected (401)."""

    def token(self) -> str: ...

    def invalidate(self, token: str) -> None: ...

    @property
    def refreshable(self) -> bool: ...


class StaticToken:
    """A fixed ``aep:accessToken``; cannot be refreshed."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "StaticToken(<redacted>)"

    def token(self) -> str:
        return self._token

    def invalidate(self, token: str) -> None:
        """Nothing to do: a static token cannot be renewed."""

    @property
    def refreshable(self) -> bool:
        return False


class ClientCredentialsToken:
    """IMS client-credentials tokens, cached and renewed before expiry; safe across threads.

    One instance is shared by every resource of a provider process, so N concurrent CRUD calls cause
    one token request, not N.
    """

    def __init__(
        self,
        session: requests.Session,
        config: ProviderConfig,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._session = session
        self._config = config
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0

    def __repr__(self) -> str:
        return (
            f"ClientCredentialsToken(client_id={self._config.client_id!r}, ims_url={self._config.ims_url!r})"
        )

    @property
    def refreshable(self) -> bool:
        return True

    def token(self) -> str:
        """Return a valid token, asking IMS for a new one when none is cached or it is near expiry.

        Raises:
            AuthenticationError: IMS rejected the client id/secret or scopes.
            TransportError: IMS could not be reached.
        """
        with self._lock:
            if self._token is None or self._clock() >= self._renew_at:
                self._token, lifetime = self._fetch()
                margin = min(REFRESH_MARGIN_S, lifetime / 2)
                self._renew_at = self._clock() + lifetime - margin
            return self._token

    def invalidate(self, token: str) -> None:
        """Forget ``token`` if it is still the cached one (another thread may have renewed it)."""
        with self._lock:
            if self._token == token:
                self._token = None

    def _fetch(self) -> tuple[str, float]:
        cfg = self._config
        what = f"getting an access token from IMS for client id {cfg.client_id!r}"
        form = {
            "grant_type": "client_credentials",
            "client_id": cfg.client_id or "",
            "client_secret": cfg.client_secret or "",
            "scope": cfg.scopes,
        }
        try:
            response = self._session.post(
                f"{cfg.ims_url}{IMS_TOKEN_PATH}", data=form, timeout=cfg.timeouts.as_requests()
            )
        except requests.RequestException as exc:
            raise transport_error(exc, what) from exc
        if response.status_code >= 400:
            error = error_from_response(response, what, [cfg.client_secret or ""])
            raise AuthenticationError(
                error.message,
                status=error.status,
                code=error.code,
                request_id=error.request_id,
            ) from None
        body = response.json()
        return str(body["access_token"]), float(body.get("expires_in", 86399))


def token_source(session: requests.Session, config: ProviderConfig) -> TokenSource:
    """A static token when ``aep:accessToken`` is set, else client credentials.

    Raises:
        ConfigurationError: neither a token nor client credentials are configured.
    """
    config.require_credentials()
    if config.access_token:
        return StaticToken(config.access_token)
    return ClientCredentialsToken(session, config)
